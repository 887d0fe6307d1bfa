/**
 * Figure "hidden-layer" (island): the NNLM's tanh units for the reader's phrase, as a histogram
 * against the held-out text's and as a grid of cells. First paint is the build-time render;
 * once the model is live, the phrase's hidden layer is recomputed on every edit (latest only),
 * from the model's own `hidden` output on the same session as its predictions.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Predict } from '../../../models/names/lm';
import { liveOutput } from '../../../models/runtime/web';
import { readPhrase } from '../../../models/words/lm';
import { BOUNDARY } from '../../../models/words/tokenizer';
import { Vocabulary } from '../../../models/words/vocab';
import { HeatGrid, Histogram } from '../../ui/charts';
import { FigureBar } from '../../ui/FigureBar';
import { latestOnly } from '../../ui/latest';
import type { ModelInfo } from '../../ui/models';
import { useFigure } from '../../ui/useFigure';
import { hiddenMeta, type HiddenState } from '../meta';
import { PhraseNotes } from '../PhraseNotes';
import { histogram, saturatedShare, SATURATED } from './activations';

interface Props {
  models: ModelInfo[];
  vocabulary: string;
  context: number;
  units: number;
  heldOut: { counts: number[]; saturated: number; n: number };
  initial: { state: HiddenState; values: number[] };
  embed?: boolean;
}

interface Drawn {
  text: string;
  values: number[];
}

const pct = (x: number): string => `${(100 * x).toFixed(0)}%`;

export default function HiddenIsland({
  models,
  vocabulary,
  context,
  units,
  heldOut,
  initial,
  embed = false,
}: Props) {
  const vocab = useMemo(() => new Vocabulary(vocabulary.split('\n')), [vocabulary]);
  const { state, setState, status, retry, bar } = useFigure(hiddenMeta, {
    initial: initial.state,
    embed,
    models,
  });
  const [drawn, setDrawn] = useState<Drawn>({ text: initial.state.text, values: initial.values });

  const submit = useMemo(
    () =>
      latestOnly(async ({ text, hidden }: { text: string; hidden: Predict }) => {
        const phrase = readPhrase(vocab, text, context);
        setDrawn({ text, values: Array.from(await hidden([phrase.context])) });
      }),
    [vocab, context],
  );

  // The hidden-layer runner: the live model's own session, on the EP its predictions use.
  const [hidden, setHidden] = useState<Predict | undefined>(undefined);
  const [failed, setFailed] = useState<string | undefined>(undefined);
  useEffect(() => {
    const model = models[0];
    if (status.kind !== 'live' || !model) return;
    let cancelled = false;
    const ep = status.eps[model.id]?.ep ?? 'wasm';
    // A runner for an EP that has just gone (a lost WebGPU device) fails here; the model's own
    // status then moves to WASM and this effect runs again, so a success clears the failure.
    liveOutput(model, ep, 'hidden').then(
      (run) => {
        if (cancelled) return;
        setFailed(undefined);
        setHidden(() => run);
      },
      (e: unknown) => {
        if (!cancelled) setFailed(e instanceof Error ? e.message : String(e));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [status, models]);

  const text = useRef(state.text);
  text.current = state.text;
  useEffect(() => {
    if (hidden) submit({ text: text.current, hidden });
  }, [hidden, submit]);
  const edit = (next: string) => {
    // At once, not at the next render: the effect above may run before that render (it runs
    // after the paint that showed the figure live) and must not compute the old text last.
    text.current = next;
    setState({ text: next });
    if (hidden) submit({ text: next, hidden });
  };

  const phrase = readPhrase(vocab, drawn.text, context);
  const shown = failed ? { kind: 'error' as const, message: failed } : status;
  const kind = failed
    ? 'error'
    : hidden
      ? status.kind
      : status.kind === 'live'
        ? 'loading'
        : status.kind;
  const scaled = heldOut.counts.map((c) => (c / (heldOut.n * units)) * drawn.values.length);
  const saturated = drawn.values.filter((v) => Math.abs(v) > SATURATED).length;
  return (
    <div
      class="fig-body hidden-layer"
      data-figure="hidden-layer"
      data-status={kind}
      data-text={drawn.text}
      data-saturated={saturated}
    >
      <div class="fig-controls">
        <label class="fig-field fig-field--grow">
          <span>Phrase</span>
          <input
            type="text"
            value={state.text}
            spellcheck={false}
            autocomplete="off"
            onInput={(e) => edit(e.currentTarget.value)}
          />
        </label>
      </div>
      <p class="fig-note">
        Context:{' '}
        {phrase.contextWords.map((w, i) => (
          <span key={i} class="wtok wtok--ctx">
            {w === BOUNDARY ? '<s>' : w}
          </span>
        ))}
      </p>
      <PhraseNotes phrase={phrase} />
      <div class="hidden-layer__cols">
        <div>
          <Histogram
            counts={histogram(drawn.values)}
            before={scaled}
            range={[-1, 1]}
            label={`Histogram of the ${units} hidden units for this context`}
          />
          <p class="fig-note" aria-live="polite">
            {saturated} of {drawn.values.length} units beyond ±{SATURATED} for this context (
            {pct(saturatedShare(drawn.values))}); {pct(heldOut.saturated)} over {heldOut.n} held-out
            contexts.
          </p>
        </div>
        <HeatGrid
          values={drawn.values}
          rows={Math.ceil(drawn.values.length / 16)}
          cols={16}
          label={`The ${units} hidden units as cells`}
        />
      </div>
      <FigureBar
        {...bar}
        status={shown}
        retry={() => {
          setFailed(undefined);
          retry();
        }}
      />
    </div>
  );
}
