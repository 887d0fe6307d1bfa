/**
 * Figure "generate" (island): the character LSTM continues the reader's prompt, one character
 * at a time, streamed onto the page as it is drawn. A generation is a pure function of (prompt,
 * temperature, top-k, seed, length) (models/rnn/generate.ts), so the build-time render, a
 * reload and an embed with the same URL show the same text. The run's lifecycle (streaming,
 * Stop, stopping off screen) is ui/useGeneration's, shared with chapter 5's GPT.
 */
import { useMemo, useState } from 'preact/hooks';
import { CharVocab } from '../../../models/rnn/char-vocab';
import { generate, type StepFn } from '../../../models/rnn/generate';
import { liveModel } from '../../../models/runtime/web';
import { FigureBar } from '../../ui/FigureBar';
import { GenerateForm, GeneratedText, runStats } from '../../ui/GenerateControls';
import { fmtFixed, fmtInt, listChars } from '../../ui/format';
import type { ModelInfo } from '../../ui/models';
import { useFigure } from '../../ui/useFigure';
import { useGeneration } from '../../ui/useGeneration';
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

const keyOf = (s: GenerateState): string => meta.serialize(s).toString();
const LIMITS = {
  tMax: T_MAX,
  kMax: K_MAX,
  maxSeed: MAX_SEED,
  nMax: N_MAX,
  nLabel: 'Characters',
  nStep: 50,
};

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

  const gen = useGeneration<GenerateState, string>({
    state,
    initial: { state: initial.state, data: initial.text },
    status,
    keyOf,
    count: (text) => text.length,
    markLive,
    run: async (s, ctx) => {
      const model = models[0];
      if (!model) return undefined;
      const { runner, ep } = await liveModel(model);
      if (ctx.replaced()) return undefined;
      const step: StepFn = (token, st, internals) => runner.step(token, st, internals);
      const { ids } = vocab.encode(s.prompt.slice(0, PROMPT_MAX));
      let text = '';
      ctx.begin(ep, '');
      const result = await generate(
        step,
        runner.initialState(1),
        vocab,
        ids,
        { temperature: s.t, topK: s.k, seed: s.seed, length: s.n },
        {
          onChar: (c) => {
            text += c;
            ctx.progress(text);
          },
          stopped: ctx.stopped,
          yieldEvery: { ms: 0, fn: ctx.pause },
        },
      );
      return { data: result.text, stopped: result.stopped };
    },
  });
  const set = (patch: Partial<GenerateState>): void => {
    gen.acted();
    fig.set(patch);
  };
  const { shown, running } = gen;

  const read = vocab.encode(promptText.slice(0, PROMPT_MAX));
  const cut = promptText.length > PROMPT_MAX;
  const live = status.kind === 'live';

  return (
    <div
      class="fig-body generate"
      data-figure="generate"
      data-status={status.kind}
      data-phase={shown.phase}
      data-key={shown.key}
      data-cps={shown.perSecond === undefined ? undefined : Math.round(shown.perSecond)}
      ref={gen.root}
    >
      <GenerateForm
        prompt={promptText}
        setPrompt={setPromptText}
        max={PROMPT_MAX}
        settings={state}
        limits={LIMITS}
        set={set}
        live={live}
        running={running}
        onStop={() => gen.stop('you stopped it')}
        onAgain={gen.restart}
      />
      {(read.skipped.length > 0 || cut) && (
        <p class="generate__note" role="status" data-role="skipped">
          {cut && `The prompt is cut to its first ${fmtInt(PROMPT_MAX)} characters. `}
          {read.skipped.length > 0 &&
            `Not in the model’s alphabet, so skipped: ${listChars(read.skipped)}.`}
        </p>
      )}
      <GeneratedText
        prompt={read.kept}
        text={shown.data}
        running={running}
        busy={running || gen.pending}
      />
      <p class="generate__stats" data-role="stats" aria-live="polite">
        {shown.phase === 'static'
          ? `Generated when the site was built: ${fmtInt(shown.data.length)} characters, temperature ${fmtFixed(state.t)}, seed ${state.seed}.`
          : runStats({
              phase: shown.phase,
              count: shown.data.length,
              n: state.n,
              unit: 'characters',
              why: shown.why,
              perSecond: shown.perSecond,
              ep: shown.ep,
            })}
        {read.kept === '' &&
          ' The prompt is empty: the model starts as at the beginning of an address.'}
      </p>
      <FigureBar {...bar} />
    </div>
  );
}
