/**
 * Figure "generate" (island): the character LSTM continues the reader's prompt, one character
 * at a time, streamed onto the page as it is drawn. A generation is a pure function of (prompt,
 * temperature, top-k, seed, length) (models/rnn/generate.ts), so the build-time render, a
 * reload and an embed with the same URL show the same text.
 *
 * It stops at once on Stop, when the settings change (and starts again with the new ones), when
 * the figure scrolls out of view, when the page is hidden or left, and when the island goes.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { CharVocab } from '../../../models/rnn/char-vocab';
import { generate, type StepFn } from '../../../models/rnn/generate';
import { EP_LABEL, type Ep } from '../../../models/runtime/ep';
import { liveModel } from '../../../models/runtime/web';
import { FigureBar } from '../../ui/FigureBar';
import { fmtFixed, fmtInt, listChars } from '../../ui/format';
import type { ModelInfo } from '../../ui/models';
import { useFigure } from '../../ui/useFigure';
import {
  K_MAX,
  MAX_SEED,
  N_MAX,
  PROMPT_MAX,
  T_MAX,
  generateMeta as meta,
  type GenerateState,
} from './meta';

interface Props {
  models: ModelInfo[];
  /** The model's vocabulary (its card's), id by id. */
  vocabulary: string[];
  initial: { state: GenerateState; text: string };
  embed?: boolean;
}

type Phase = 'static' | 'running' | 'done' | 'stopped';

interface Shown {
  /** The settings the text belongs to (meta.serialize). */
  key: string;
  text: string;
  phase: Phase;
  /** Why it stopped early, in words. */
  why?: string;
  /** Generated characters per second (this run, prompt reading included), once measured. */
  cps?: number | undefined;
  ep?: Ep;
}

const keyOf = (s: GenerateState): string => meta.serialize(s).toString();
/** Hand the page back to the browser this often while generating (ms). */
const YIELD_MS = 30;
/** Wait this long after the last change of settings (typing) before generating. */
const SETTLE_MS = 250;

const nextTask = (): Promise<void> => new Promise((r) => setTimeout(r, 0));
const reducedMotion = (): boolean =>
  typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;

export default function GenerateIsland({ models, vocabulary, initial, embed = false }: Props) {
  const vocab = useMemo(() => new CharVocab(vocabulary), [vocabulary]);
  const [promptText, setPromptText] = useState(initial.state.prompt);
  const fig = useFigure(meta, {
    initial: initial.state,
    embed,
    models,
    onUrlState: (s) => setPromptText(s.prompt),
  });
  const { state, status, markLive, bar } = fig;
  /** The reader has changed a setting (so even under reduced motion, generate). */
  const acted = useRef(false);
  const set = (patch: Partial<GenerateState>): void => {
    acted.current = true;
    fig.set(patch);
  };
  const [shown, setShown] = useState<Shown>({
    key: keyOf(initial.state),
    text: initial.text,
    phase: 'static',
  });
  /** The current run's number: a run whose number is no longer current stops. */
  const run = useRef(0);
  const root = useRef<HTMLDivElement>(null);
  const onScreen = useRef(true);

  /** The text generated so far by the current run (the display may be a frame behind). */
  const sofar = useRef('');
  const stop = (why: string): void => {
    run.current++;
    const text = sofar.current;
    setShown((s) => (s.phase === 'running' ? { ...s, text, phase: 'stopped', why } : s));
  };

  const start = async (s: GenerateState): Promise<void> => {
    const id = ++run.current;
    const model = models[0];
    if (!model) return;
    const { runner, ep } = await liveModel(model);
    if (run.current !== id) return;
    const step: StepFn = (token, st, internals) => runner.step(token, st, internals);
    const { ids } = vocab.encode(s.prompt.slice(0, PROMPT_MAX));
    const key = keyOf(s);
    let text = '';
    sofar.current = '';
    const t0 = performance.now();
    const flush = (phase: Phase): void => {
      if (run.current !== id) return; // stopped, or replaced by a newer run: leave the display
      const seconds = (performance.now() - t0) / 1000;
      setShown({ key, text, phase, ep, cps: seconds > 0 ? text.length / seconds : undefined });
    };
    const stream = !reducedMotion();
    setShown({ key, text: '', phase: 'running', ep });
    const stopped = (): boolean => run.current !== id || !onScreen.current;
    const result = await generate(
      step,
      runner.initialState(1),
      vocab,
      ids,
      { temperature: s.t, topK: s.k, seed: s.seed, length: s.n },
      {
        onChar: (c) => {
          text += c;
          sofar.current = text;
        },
        stopped,
        yieldEvery: {
          ms: YIELD_MS,
          fn: async () => {
            // Streamed onto the page as drawn; under reduced motion, shown once, whole.
            if (stream) flush('running');
            await nextTask();
          },
        },
      },
    );
    if (run.current !== id) return; // a newer run (or Stop) has taken over the display
    if (result.stopped) {
      stop('the figure left the screen');
      return;
    }
    flush('done');
    markLive();
  };

  // Generate when live, and again (after typing settles) whenever the settings change.
  const settings = keyOf(state);
  // What the model runs on: a new generation when it changes, not when the status strip's
  // notes do (the automatic EP choice reports itself after the figure is live).
  const runningOn = status.kind === 'live' ? Object.values(status.eps)[0]?.ep : undefined;
  /** A generation is scheduled (typing is settling): the text is about to be replaced. */
  const [pending, setPending] = useState(false);
  useEffect(() => {
    if (!runningOn) return;
    // Under reduced motion nothing runs by itself: the build-time text stays until the reader
    // changes a setting (an embed page whose address asks for other settings generates them).
    if (reducedMotion() && settings === keyOf(initial.state) && !acted.current) return;
    setPending(true);
    const timer = setTimeout(() => {
      setPending(false);
      start(state).catch((e: unknown) => {
        setShown((x) => ({
          ...x,
          phase: 'stopped',
          why: `the model failed (${e instanceof Error ? e.message : String(e)})`,
        }));
      });
    }, SETTLE_MS);
    return () => {
      clearTimeout(timer);
      setPending(false);
      run.current++;
    };
  }, [settings, runningOn]);

  // Stop when the figure scrolls away or the page is hidden or left; stop for good on unmount.
  useEffect(() => {
    const el = root.current;
    const io =
      el && 'IntersectionObserver' in globalThis
        ? new IntersectionObserver((entries) => {
            const visible = entries.some((e) => e.isIntersecting);
            onScreen.current = visible;
            if (!visible) stop('the figure left the screen');
          })
        : undefined;
    if (el) io?.observe(el);
    const hidden = (): void => {
      if (document.visibilityState === 'hidden') stop('the page was hidden');
    };
    const leave = (): void => stop('the page was left');
    document.addEventListener('visibilitychange', hidden);
    addEventListener('pagehide', leave);
    return () => {
      io?.disconnect();
      document.removeEventListener('visibilitychange', hidden);
      removeEventListener('pagehide', leave);
      run.current++;
    };
  }, []);

  const read = vocab.encode(promptText.slice(0, PROMPT_MAX));
  const cut = promptText.length > PROMPT_MAX;
  const running = shown.phase === 'running';
  const restart = (): void => {
    onScreen.current = true;
    acted.current = true;
    if (status.kind === 'live') void start(state);
  };

  return (
    <div
      class="fig-body generate"
      data-figure="generate"
      data-status={status.kind}
      data-phase={shown.phase}
      data-key={shown.key}
      data-cps={shown.cps === undefined ? undefined : Math.round(shown.cps)}
      ref={root}
    >
      <div class="fig-controls">
        <label class="fig-field fig-field--grow">
          <span>Prompt</span>
          <input
            type="text"
            value={promptText}
            spellcheck={false}
            autocomplete="off"
            maxLength={PROMPT_MAX * 4}
            onInput={(e) => {
              const v = e.currentTarget.value;
              setPromptText(v);
              set({ prompt: v.slice(0, PROMPT_MAX) });
            }}
          />
        </label>
      </div>
      <div class="fig-controls">
        <label class="fig-field fig-field--grow">
          <span>
            Temperature <output data-role="t">{fmtFixed(state.t)}</output>
          </span>
          <input
            type="range"
            min={0}
            max={T_MAX}
            step={0.05}
            value={state.t}
            onInput={(e) => set({ t: Math.round(Number(e.currentTarget.value) * 100) / 100 })}
          />
        </label>
        <label class="fig-field">
          <span>Top-k (0 = all)</span>
          <input
            type="number"
            min={0}
            max={K_MAX}
            step={1}
            value={state.k}
            class="fig-seed"
            onInput={(e) => {
              const v = Number(e.currentTarget.value);
              if (Number.isInteger(v) && v >= 0 && v <= K_MAX) set({ k: v });
            }}
          />
        </label>
        <label class="fig-field">
          <span>Seed</span>
          <input
            type="number"
            min={0}
            max={MAX_SEED}
            step={1}
            value={state.seed}
            class="fig-seed"
            data-role="seed"
            onInput={(e) => {
              const v = Number(e.currentTarget.value);
              if (Number.isInteger(v) && v >= 0 && v <= MAX_SEED) set({ seed: v });
            }}
          />
        </label>
        <label class="fig-field">
          <span>Characters</span>
          <input
            type="number"
            min={1}
            max={N_MAX}
            step={50}
            value={state.n}
            class="fig-seed"
            onInput={(e) => {
              const v = Number(e.currentTarget.value);
              if (Number.isInteger(v) && v >= 1 && v <= N_MAX) set({ n: v });
            }}
          />
        </label>
      </div>
      <div class="fig-controls">
        <button
          type="button"
          class="fig-button fig-button--primary"
          disabled={status.kind !== 'live'}
          onClick={() => set({ seed: (state.seed + 1) % (MAX_SEED + 1) })}
        >
          Generate (next seed)
        </button>
        {running ? (
          <button
            type="button"
            class="fig-button"
            data-role="stop"
            onClick={() => stop('you stopped it')}
          >
            Stop
          </button>
        ) : (
          <button
            type="button"
            class="fig-button"
            data-role="again"
            disabled={status.kind !== 'live'}
            onClick={restart}
          >
            Again (same seed)
          </button>
        )}
      </div>
      {(read.skipped.length > 0 || cut) && (
        <p class="generate__note" role="status" data-role="skipped">
          {cut && `The prompt is cut to its first ${fmtInt(PROMPT_MAX)} characters. `}
          {read.skipped.length > 0 &&
            `Not in the model’s alphabet, so skipped: ${listChars(read.skipped)}.`}
        </p>
      )}
      <p class="generate__text" data-role="text" aria-live="off" aria-busy={running || pending}>
        <span class="generate__prompt">{read.kept === '' ? '' : read.kept}</span>
        <span class="generate__out" data-role="generated">
          {shown.text}
        </span>
        {running && <span class="generate__cursor" aria-hidden="true" />}
      </p>
      <p class="generate__stats" data-role="stats" aria-live="polite">
        {shown.phase === 'static'
          ? `Generated when the site was built: ${fmtInt(shown.text.length)} characters, temperature ${fmtFixed(state.t)}, seed ${state.seed}.`
          : [
              running
                ? `Generating: ${fmtInt(shown.text.length)} of ${fmtInt(state.n)} characters`
                : shown.phase === 'stopped'
                  ? `Stopped after ${fmtInt(shown.text.length)} characters (${shown.why ?? 'stopped'})`
                  : `${fmtInt(shown.text.length)} characters`,
              shown.cps !== undefined
                ? ` · ${fmtInt(Math.round(shown.cps))} characters per second`
                : '',
              shown.ep ? ` · running on ${EP_LABEL[shown.ep]} in your browser` : '',
              '.',
            ].join('')}
        {read.kept === '' &&
          ' The prompt is empty: the model starts as at the beginning of an address.'}
      </p>
      <FigureBar {...bar} />
    </div>
  );
}
