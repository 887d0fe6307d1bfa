/**
 * Figure "generate-gpt" (island): the GPT continues the last sentence of the reader's prompt,
 * one token at a time through its step graph, carrying each layer's keys and values, streamed
 * onto the page as drawn. A generation is a pure function of the settings (./text.ts), so the
 * build-time render, a reload and an embed with the same URL show the same text. The run's
 * lifecycle (streaming, Stop, stopping off screen) is ui/useGeneration's, shared with 4.2.
 */
import { useMemo, useState } from 'preact/hooks';
import { promptSentence } from '../../../models/gpt/generate';
import { liveModel } from '../../../models/runtime/web';
import { Vocabulary } from '../../../models/words/vocab';
import { FigureBar } from '../../ui/FigureBar';
import { GenerateForm, GeneratedText, runStats } from '../../ui/GenerateControls';
import { fmtFixed, fmtInt, listChars, unknownWordsNote } from '../../ui/format';
import type { ModelInfo } from '../../ui/models';
import { useFigure } from '../../ui/useFigure';
import { useGeneration } from '../../ui/useGeneration';
import {
  K_MAX,
  MAX_SEED,
  N_MAX,
  PROMPT_MAX,
  T_MAX,
  generateGptMeta as meta,
  type GenerateGptState,
} from './meta';
import { EMPTY_TEXT, generateText, promptShown, type GptText } from './text';

interface Props {
  models: ModelInfo[];
  /** The model's vocabulary (its card's), one word a line. */
  vocabulary: string;
  /** Positions the model reads (its card's config.context): the cache's capacity. */
  context: number;
  initial: { state: GenerateGptState; data: GptText };
  embed?: boolean;
}

const keyOf = (s: GenerateGptState): string => meta.serialize(s).toString();
const LIMITS = {
  tMax: T_MAX,
  kMax: K_MAX,
  maxSeed: MAX_SEED,
  nMax: N_MAX,
  nLabel: 'Tokens',
  nStep: 10,
};

export default function GenerateGptIsland({
  models,
  vocabulary,
  context,
  initial,
  embed = false,
}: Props) {
  const vocab = useMemo(() => new Vocabulary(vocabulary.split('\n')), [vocabulary]);
  const [promptText, setPromptText] = useState(initial.state.prompt);
  const fig = useFigure(meta, {
    initial: initial.state,
    embed,
    models,
    onUrlState: (s) => setPromptText(s.prompt),
  });
  const { state, status, markLive, bar } = fig;

  const gen = useGeneration<GenerateGptState, GptText>({
    state,
    initial: { state: initial.state, data: initial.data },
    status,
    keyOf,
    count: (d) => d.tokens,
    markLive,
    run: async (s, ctx) => {
      const model = models[0];
      if (!model) return undefined;
      const { runner, ep } = await liveModel(model);
      if (ctx.replaced()) return undefined;
      ctx.begin(ep, EMPTY_TEXT);
      return generateText(
        (t, st) => runner.step(t, st),
        () => runner.initialState(1),
        context,
        vocab,
        s,
        { progress: ctx.progress, stopped: ctx.stopped, pause: ctx.pause },
      );
    },
  });
  const set = (patch: Partial<GenerateGptState>): void => {
    gen.acted();
    fig.set(patch);
  };
  const { shown, running } = gen;
  const d = shown.data;

  const prompt = promptShown(promptText);
  const read = useMemo(() => promptSentence(vocab, prompt), [vocab, prompt]);
  const cut = promptText.length > PROMPT_MAX;
  const live = status.kind === 'live';
  const half = context >> 1;

  return (
    <div
      class="fig-body generate"
      data-figure="generate-gpt"
      data-status={status.kind}
      data-phase={shown.phase}
      data-key={shown.key}
      data-tokens={d.tokens}
      data-reencodes={d.reencodes}
      data-tps={shown.perSecond === undefined ? undefined : Math.round(shown.perSecond)}
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
      {(read.unknown.length > 0 || read.dropped.length > 0 || cut) && (
        <p class="generate__note" role="status" data-role="oov">
          {cut && `The prompt is cut to its first ${fmtInt(PROMPT_MAX)} characters. `}
          {read.unknown.length > 0 &&
            `${unknownWordsNote(read.unknown, { vocabSize: vocab.size })} `}
          {read.dropped.length > 0 && `Skipped (no part of any word): ${listChars(read.dropped)}.`}
        </p>
      )}
      {read.skipped > 0 && (
        <p class="generate__info" data-role="sentence">
          The model was trained one sentence at a time, so it reads only the prompt’s last sentence
          {read.ids.length === 0
            ? ': your prompt ends a sentence, so it starts a new one.'
            : ` (${fmtInt(read.ids.length)} token${read.ids.length === 1 ? '' : 's'}); the ${fmtInt(read.skipped)} before it are shown, not read.`}
        </p>
      )}
      <GeneratedText
        prompt={prompt}
        text={d.text}
        running={running}
        busy={running || gen.pending}
      />
      <p class="generate__info" data-role="cache">
        {d.reencodes > 0
          ? `The cache filled up ${d.reencodes === 1 ? 'once' : `${fmtInt(d.reencodes)} times`}: the model reads at most ${fmtInt(context)} positions, so each time the cache was emptied and the last ${fmtInt(half)} tokens were read again before going on.`
          : `The key/value cache holds at most ${fmtInt(context)} positions; a sentence longer than that is continued from its last ${fmtInt(half)} tokens, read again from an empty cache.`}
        {d.sentences > 0 &&
          ` The model ended ${d.sentences === 1 ? 'a sentence' : `${fmtInt(d.sentences)} sentences`}; each new one starts from an empty cache.`}
      </p>
      <p class="generate__stats" data-role="stats" aria-live="polite">
        {shown.phase === 'static'
          ? `Generated when the site was built: ${fmtInt(d.tokens)} tokens, temperature ${fmtFixed(state.t)}, top-k ${state.k === 0 ? 'off' : state.k}, top-p ${fmtFixed(state.p)}, seed ${state.seed}.`
          : runStats({
              phase: shown.phase,
              count: d.tokens,
              n: state.n,
              unit: 'tokens',
              why: shown.why,
              perSecond: shown.perSecond,
              ep: shown.ep,
            })}
        {read.ids.length === 0 &&
          read.skipped === 0 &&
          ' The prompt is empty: the model starts a sentence from ⟨s⟩.'}
      </p>
      <FigureBar {...bar} />
    </div>
  );
}
