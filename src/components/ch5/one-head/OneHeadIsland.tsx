/**
 * Figure "one-head" (island): one head of the word GPT's first layer on the reader's text, every
 * stage of the attention formula as numbers. The arithmetic is done here in TypeScript from the
 * model's own weights (read from the .onnx file the page already fetched for the model), and the
 * model itself runs in onnxruntime-web on the same tokens: its `attention` output for the same
 * layer, head and query is compared with the figure's weights, and the difference is shown.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { fetchModel, liveModel } from '../../../models/runtime/web';
import { Vocabulary } from '../../../models/words/vocab';
import { showWord } from '../../../models/words/lm';
import { FigureBar } from '../../ui/FigureBar';
import { fmtInt } from '../../ui/format';
import { latestOnly } from '../../ui/latest';
import type { ModelInfo } from '../../ui/models';
import { useFigure } from '../../ui/useFigure';
import { readSentence } from '../../../models/words/lm';
import { sentenceNotes } from '../sentence-notes';
import { namedWeights } from '../../../models/graph/proto-read';
import { LAYER0_WEIGHTS, layer0Head, type HeadStep, type Weights } from '../weights';
import { maxDifference, modelAttentionRow } from './compare';
import { Exercise } from '../../ui/Exercise';
import { sameWordTwoPlaces } from './exercise';
import { TEXT_MAX, oneHeadMeta as meta, type OneHeadState } from './meta';

/** What the figure draws: the state it was computed for and every stage's numbers. */
export interface Shown {
  state: OneHeadState;
  ids: number[];
  words: string[];
  step: HeadStep;
  /** Largest |figure weight - model weight| over the query's row. */
  agreement: number;
  /** Where the model ran: 'onnxruntime-node' (the build) or the page's EP. */
  ep: string;
}

interface Props {
  models: ModelInfo[];
  /** The vocabulary, one word per line. */
  vocabulary: string;
  heads: number;
  context: number;
  initial: Shown;
  embed?: boolean;
  /** Show the figure's exercise (exercise.ts), checked on the weights drawn live. */
  exercise?: boolean;
}

/** The agreement the page promises (float32 model against float64 arithmetic). */
export const AGREEMENT = 1e-4;

const f3 = (x: number): string => (Math.abs(x) < 5e-4 ? '0.000' : x.toFixed(3));
const vec = (v: readonly number[]): string => `[${v.map((x) => x.toFixed(2)).join(', ')}]`;
const sci = (x: number): string => (x === 0 ? '0' : x.toExponential(1));

let weightsOnce: Promise<Weights> | undefined;
function layer0Weights(model: ModelInfo): Promise<Weights> {
  weightsOnce ??= fetchModel(model).then((bytes) => namedWeights(bytes, LAYER0_WEIGHTS));
  weightsOnce.catch(() => (weightsOnce = undefined));
  return weightsOnce;
}

export default function OneHeadIsland({
  models,
  vocabulary,
  heads,
  context,
  initial,
  embed = false,
  exercise = false,
}: Props) {
  const vocab = useMemo(() => new Vocabulary(vocabulary.split('\n')), [vocabulary]);
  const [text, setText] = useState(initial.state.text);
  const { state, set, status, markLive, bar } = useFigure(meta, {
    initial: initial.state,
    embed,
    models,
    onUrlState: (s) => setText(s.text),
  });
  const [shown, setShown] = useState<Shown>(initial);
  const [failure, setFailure] = useState<string | undefined>(undefined);
  const [kvOpen, setKvOpen] = useState(false);
  const read = readSentence(vocab, text, context);
  const T = read.ids.length;
  const head = Math.min(state.head, heads - 1);
  const query = state.query < 0 || state.query >= T ? T - 1 : state.query;

  const submit = useMemo(
    () =>
      latestOnly(async (s: OneHeadState) => {
        const model = models[0];
        if (!model) return;
        try {
          const [{ runner, ep }, w] = await Promise.all([liveModel(model), layer0Weights(model)]);
          const r = readSentence(vocab, s.text, context);
          const q = s.query < 0 || s.query >= r.ids.length ? r.ids.length - 1 : s.query;
          const h = Math.min(s.head, heads - 1);
          const step = layer0Head(w, heads, r.ids, h, q);
          const out = await runner.sequence([r.ids], ['attention']);
          const att = out['attention'];
          if (!att) throw new Error('the model returned no attention');
          const agreement = maxDifference(step.weights, modelAttentionRow(att, 0, h, q));
          setShown({
            state: { ...s, head: h, query: s.query },
            ids: r.ids,
            words: r.words,
            step,
            agreement,
            ep,
          });
          setFailure(undefined);
          markLive();
        } catch (e) {
          setFailure(e instanceof Error ? e.message : String(e));
        }
      }),
    [models, vocab, heads, context],
  );
  const live = status.kind === 'live';
  const runningOn = live ? Object.values(status.eps)[0]?.ep : undefined;
  const stateNow = useRef(state);
  stateNow.current = { ...state, text: text.slice(-TEXT_MAX) };
  useEffect(() => {
    if (runningOn) submit(stateNow.current);
  }, [runningOn, submit, state.head, state.query, state.text]);

  const edit = (t: string): void => {
    setText(t);
    set({ text: t.slice(-TEXT_MAX), query: -1 });
  };

  const { step, words } = shown;
  const sq = Math.sqrt(step.d);
  const ok = shown.agreement <= AGREEMENT;
  const notes = sentenceNotes(
    read,
    context,
    'No words to read: the model sees only the start marker <s>.',
  );

  const queryWord = words[step.query] ?? '';
  const best = step.weights
    .map((w, j) => ({ w, j }))
    .slice(0, step.query + 1)
    .sort((a, b) => b.w - a.w)[0];

  return (
    <div
      class="fig-body one-head"
      data-figure="one-head"
      data-status={status.kind}
      data-head={shown.state.head}
      data-query={step.query}
      data-tokens={words.length}
    >
      <div class="fig-controls">
        <label class="fig-field fig-field--grow">
          <span>Your text</span>
          <input
            type="text"
            value={text}
            spellcheck={false}
            autocomplete="off"
            data-role="text"
            onInput={(e) => edit(e.currentTarget.value)}
          />
        </label>
        <label class="fig-field">
          <span>Head (first layer)</span>
          <select
            data-role="head"
            value={head}
            onChange={(e) => set({ head: Number(e.currentTarget.value) })}
          >
            {Array.from({ length: heads }, (_, h) => (
              <option key={h} value={h}>
                head {h + 1} of {heads}
              </option>
            ))}
          </select>
        </label>
      </div>
      {exercise && (
        <Exercise
          exercise={sameWordTwoPlaces}
          result={
            live && shown.ep !== 'onnxruntime-node'
              ? sameWordTwoPlaces.check({
                  ids: shown.ids,
                  words: shown.words,
                  weights: shown.step.weights,
                  query: shown.step.query,
                })
              : undefined
          }
        />
      )}
      {notes.length > 0 && (
        <p class="one-head__note" role="status" data-role="note">
          {notes.join(' ')}
        </p>
      )}
      <p class="one-head__note">
        Query: pick a token.{' '}
        {read.words.map((w, i) => (
          <button
            key={i}
            type="button"
            class="fig-button one-head__token"
            data-role="token"
            aria-pressed={i === query}
            onClick={() => set({ query: i === T - 1 ? -1 : i })}
          >
            {showWord(w)}
          </button>
        ))}
      </p>
      {failure ? (
        <p class="fig-missing" role="alert" data-role="failure">
          The model could not be run on this text ({failure}); the numbers below are the last ones
          computed.
        </p>
      ) : (
        <p
          class="one-head__agree"
          data-role="agree"
          data-diff={shown.agreement}
          data-ok={ok ? 'yes' : 'no'}
        >
          {ok
            ? `The figure's weights agree with the model's own attention (${shown.ep}) to within ${sci(shown.agreement)}.`
            : `The figure's weights differ from the model's own attention (${shown.ep}) by up to ${sci(shown.agreement)}.`}
        </p>
      )}
      <p class="one-head__vec" data-role="q">
        q (query of “{showWord(queryWord)}”, position {step.query}, {step.d} numbers) ={' '}
        {vec(step.q)}
      </p>
      <div
        class="one-head__scroll fig-scroll-x"
        tabIndex={0}
        role="region"
        aria-label="Every stage, per key"
      >
        <table class="one-head__table" data-role="stages">
          <caption class="fig-sr-only">
            Attention of head {shown.state.head + 1} of the first layer, query position {step.query}{' '}
            (“{showWord(queryWord)}”), over every position of the text
          </caption>
          <thead>
            <tr>
              <th scope="col">position j, token</th>
              <th scope="col">q·k_j</th>
              <th scope="col">÷ √d = {sq.toFixed(2)}</th>
              <th scope="col">+ mask</th>
              <th scope="col">softmax weight</th>
            </tr>
          </thead>
          <tbody>
            {words.map((w, j) => {
              const future = j > step.query;
              const weight = step.weights[j] ?? 0;
              return (
                <tr
                  key={j}
                  data-role="row"
                  data-j={j}
                  data-weight={weight}
                  class={j === step.query ? 'is-query' : future ? 'is-future' : undefined}
                >
                  <th scope="row">
                    {j} {showWord(w)}
                  </th>
                  <td>{f3(step.scores[j] ?? 0)}</td>
                  <td>{f3(step.scaled[j] ?? 0)}</td>
                  <td>{future ? '−10⁹ (future)' : '+ 0'}</td>
                  <td>
                    {future ? '0 exactly' : f3(weight)}
                    {!future && (
                      <span
                        class="one-head__bar"
                        style={{ width: `${(weight * 4).toFixed(2)}rem` }}
                        aria-hidden="true"
                      />
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p class="one-head__vec" data-role="out">
        y = Σ weight_j v_j ({step.d} numbers) = {vec(step.out)}
      </p>
      <p class="fig-sr-only" data-role="summary">
        {best
          ? `Head ${shown.state.head + 1} puts the most weight, ${f3(best.w)}, on position ${best.j} (“${showWord(words[best.j] ?? '')}”) when “${showWord(queryWord)}” asks; the ${fmtInt(words.length - step.query - 1)} later positions get 0.`
          : ''}
      </p>
      <details
        class="one-head__details"
        onToggle={(e) => setKvOpen((e.currentTarget as HTMLDetailsElement).open)}
      >
        <summary>Keys and values of every position ({step.d} numbers each)</summary>
        {/* Focusable (to scroll by keyboard) only while shown: a closed box is no Tab stop. */}
        <div
          class="one-head__scroll fig-scroll-x"
          tabIndex={kvOpen ? 0 : undefined}
          role={kvOpen ? 'region' : undefined}
          aria-label={kvOpen ? 'Keys and values' : undefined}
        >
          <table class="one-head__table">
            <thead>
              <tr>
                <th scope="col">position j</th>
                <th scope="col">k_j</th>
                <th scope="col">v_j</th>
              </tr>
            </thead>
            <tbody>
              {words.map((w, j) => (
                <tr key={j} class={j > step.query ? 'is-future' : undefined}>
                  <th scope="row">
                    {j} {showWord(w)}
                  </th>
                  <td class="one-head__vec">{vec(step.keys[j] ?? [])}</td>
                  <td class="one-head__vec">{vec(step.values[j] ?? [])}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
      <FigureBar {...bar} />
    </div>
  );
}
