/**
 * Figure "score-name" (island): type a name, see every chain-rule factor under the unigram,
 * bigram and MLP models. First paint is the build-time render passed in `initial`; once the
 * models load it rescores on every keystroke (coalesced: only the latest input is drawn).
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import {
  MAX_SCORED_CHARS,
  scoreName,
  type NameScore,
  type Predict,
} from '../../../models/names/lm';
import { Exercise } from '../../ui/Exercise';
import { FigureBar } from '../../ui/FigureBar';
import { listChars } from '../../ui/format';
import { latestOnly } from '../../ui/latest';
import type { ModelInfo } from '../../ui/models';
import { useFigure } from '../../ui/useFigure';
import { isNameModel } from '../name-models';
import { bigramBeatsMlp } from './exercise';
import { ScoreTable } from './ScoreTable';
import { scoreNameMeta, type ScoreNameState } from './meta';

interface Drawn {
  /** The raw text these scores are for. */
  text: string;
  scores: Record<string, NameScore>;
  /** Computed in the page (not the build-time render). */
  live?: boolean;
}

interface Props {
  models: ModelInfo[];
  initial: { state: ScoreNameState; scores: Record<string, NameScore> };
  embed?: boolean;
  /** Show the exercise (checked on the scores drawn live). */
  exercise?: boolean;
}

/** What happened to the reader's input, in words. */
export function inputReport(s: NameScore): string {
  const parts: string[] = [];
  const n = s.scored.length;
  parts.push(
    n === 0
      ? 'Nothing to score but the end of the name: the only factor is P(end | start).'
      : `Scoring “${s.scored}”: ${n} character${n === 1 ? '' : 's'} + the end marker = ${n + 1} factors.`,
  );
  if (s.encoded.lowercased.length > 0)
    parts.push(`Lowercased: ${listChars(s.encoded.lowercased)}.`);
  if (s.encoded.dropped.length > 0)
    parts.push(`Ignored (not a–z): ${listChars(s.encoded.dropped)}.`);
  if (s.truncated) {
    parts.push(
      `Only the first ${MAX_SCORED_CHARS} letters are scored; ${s.encoded.ids.length - MAX_SCORED_CHARS} more were left out.`,
    );
  }
  return parts.join(' ');
}

export default function ScoreNameIsland({
  models,
  initial,
  embed = false,
  exercise = false,
}: Props) {
  const { state, setState, status, markLive, bar } = useFigure(scoreNameMeta, {
    initial: initial.state,
    embed,
    models,
  });
  const [drawn, setDrawn] = useState<Drawn>({ text: initial.state.text, scores: initial.scores });
  const inputAt = useRef(new Map<string, number>());

  const submit = useMemo(
    () =>
      latestOnly(
        async ({ text, predicts }: { text: string; predicts: Record<string, Predict> }) => {
          const results = await Promise.all(
            models.map(async (m) => {
              const predict = predicts[m.id];
              return [m.id, predict ? await scoreName(predict, text) : undefined] as const;
            }),
          );
          const scores: Record<string, NameScore> = {};
          for (const [id, s] of results) if (s) scores[id] = s;
          setDrawn({ text, scores, live: true });
        },
      ),
    [models],
  );

  // Score the latest text whenever it or the models change; typing calls `request` straight
  // from the event handler (an effect would wait for the next frame), effects catch the rest
  // (going live, EP switch, retry, URL state). The same request is never run twice.
  const last = useRef<{ text: string; predicts: Record<string, Predict> } | undefined>(undefined);
  const request = (text: string) => {
    if (status.kind !== 'live') return;
    if (last.current?.text === text && last.current.predicts === status.predicts) return;
    last.current = { text, predicts: status.predicts };
    submit(last.current);
  };
  useEffect(() => request(state.text), [status, state.text]);
  const edit = (next: string) => {
    setState((s) => ({ ...s, text: next }));
    request(next);
  };

  // Timing for scripts/bench.ts: input event -> this render committed to the DOM.
  useLayoutEffect(() => {
    if (status.kind !== 'live') return;
    const start = inputAt.current.get(drawn.text);
    if (start !== undefined) {
      performance.measure('score-name:update', { start, end: performance.now() });
      inputAt.current.clear();
    }
    markLive();
  }, [drawn]);

  const first = Object.values(drawn.scores)[0];
  const shown = state.model === 'all' ? models : models.filter((m) => m.id === state.model);

  return (
    <div
      class="fig-body score-name"
      data-figure="score-name"
      data-status={status.kind}
      data-text={drawn.text}
    >
      <div class="fig-controls">
        <label class="fig-field fig-field--grow">
          <span>Name</span>
          <input
            type="text"
            value={state.text}
            spellcheck={false}
            autocomplete="off"
            autocapitalize="off"
            onInput={(e) => {
              const text = e.currentTarget.value;
              inputAt.current.set(text, performance.now());
              edit(text);
            }}
          />
        </label>
        <label class="fig-field">
          <span>Models</span>
          <select
            value={state.model}
            onChange={(e) => {
              const v = e.currentTarget.value;
              setState((s) => ({ ...s, model: isNameModel(v) ? v : 'all' }));
            }}
          >
            <option value="all">all three</option>
            {models.map((m) => (
              <option value={m.id} key={m.id}>
                {m.title}
              </option>
            ))}
          </select>
        </label>
      </div>
      {exercise && (
        <Exercise
          exercise={bigramBeatsMlp}
          result={
            drawn.live && status.kind === 'live' ? bigramBeatsMlp.check(drawn.scores) : undefined
          }
        />
      )}
      {first && (
        <p class="score-name__report" aria-live="polite">
          {inputReport(first)}
        </p>
      )}
      <ScoreTable models={shown} scores={drawn.scores} />
      <FigureBar {...bar} />
    </div>
  );
}
