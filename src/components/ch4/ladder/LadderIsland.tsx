/**
 * Figures "ladder" (4.6) and "ladder-all" (5.6) (island): a name under every character model
 * and a phrase under every word model of the figure's ladder (build.ladder: which rungs),
 * surprisal per prediction side by side, with the cards' held-out table under each.
 * First paint is the build-time render; once the models load it rescores on every keystroke
 * (coalesced per panel: only the latest text is drawn). Window models run in one batch, step
 * models stream (runtime/run.ts).
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ModelId } from '../../../models/contract';
import { liveModel } from '../../../models/runtime/web';
import { Vocabulary } from '../../../models/words/vocab';
import { FigureBar } from '../../ui/FigureBar';
import { fmtFixed, fmtInt, listChars, num } from '../../ui/format';
import { latestOnly } from '../../ui/latest';
import type { ModelInfo } from '../../ui/models';
import { useFigure } from '../../ui/useFigure';
import type { LadderBuild } from './build';
import { ladderModels, type Corpus, type HeldOutRow, type Ladder } from './ladder';
import {
  MAX_LETTERS,
  MAX_WORD_TOKENS,
  scoreCorpus,
  windowed,
  type CorpusScores,
  type Scorer,
} from './score';
import { ladderMeta, type LadderState } from './meta';
import './ladder.css';

/** Which figure this is (4.6 or 5.6): both read and write the same state as ladderMeta. */
export interface LadderFigure {
  id: string;
  title: string;
  embedHeight: number;
}

interface Props {
  build: LadderBuild;
  initial: LadderState;
  /** Default: figure 4.6 (ladderMeta). */
  figure?: LadderFigure;
  embed?: boolean;
}

type Scorers = Record<Corpus, Record<string, Scorer>>;

const PANELS: { corpus: Corpus; heading: string; field: 'name' | 'words'; label: string }[] = [
  { corpus: 'names', heading: 'Names, character by character', field: 'name', label: 'Name' },
  { corpus: 'words', heading: 'State of the Union, word by word', field: 'words', label: 'Phrase' },
];

/** What happened to the reader's input, in words. */
export function readReport(
  corpus: Corpus,
  s: CorpusScores,
  vocabSize: number,
  models: readonly ModelInfo[] = [],
): string {
  const t = s.text;
  const n = t.tokens.length;
  const parts: string[] = [];
  if (corpus === 'names') {
    const letters = n - 1;
    parts.push(
      letters === 0
        ? 'No letters: the only prediction is the end of the name, right after its start.'
        : `${letters} letter${letters === 1 ? '' : 's'} and the end of the name: ${n} predictions.`,
    );
    if (t.lowercased.length > 0) parts.push(`Lowercased: ${listChars(t.lowercased)}.`);
    if (t.dropped.length > 0) parts.push(`Skipped (not a–z): ${listChars(t.dropped)}.`);
    if (t.cut > 0)
      parts.push(`Only the first ${MAX_LETTERS} letters are scored; ${t.cut} more left out.`);
  } else {
    parts.push(
      n === 0
        ? 'Nothing to score: type a phrase.'
        : `${n} prediction${n === 1 ? '' : 's'}: each word, and the end of each sentence you closed with . ? or !`,
    );
    if (t.unknown.length > 0)
      parts.push(
        `Outside the ${fmtInt(vocabSize)}-word vocabulary, read as <unk> (the models score <unk> itself): ${listChars(t.unknown)}.`,
      );
    if (t.dropped.length > 0) parts.push(`Skipped (no part of any word): ${listChars(t.dropped)}.`);
    if (t.cutChars) parts.push('Only the first 2,000 characters are read.');
    if (t.cut > 0)
      parts.push(`Only the first ${MAX_WORD_TOKENS} words are scored; ${t.cut} more left out.`);
  }
  // A sequence model reads a window of positions: a longer name or sentence is scored in
  // windows overlapping by half, as its held-out number was.
  for (const m of models) {
    if (m.io.kind !== 'sequence' || !windowed(t, m.io.maxLength)) continue;
    const n = m.io.maxLength;
    parts.push(
      `${m.title} reads at most ${n} positions: a ${corpus === 'names' ? 'name' : 'sentence'} longer than that is scored in windows of ${n} overlapping by half, so each prediction after the first ${n} sees only the last ${n - (n >> 1)} or more ${corpus === 'names' ? 'letters' : 'tokens'} before it.`,
    );
  }
  return parts.join(' ');
}

function ScoreTable({
  corpus,
  scores,
  models,
  uniformBits,
}: {
  corpus: Corpus;
  scores: CorpusScores;
  models: ModelInfo[];
  uniformBits: number;
}) {
  const shown = models.filter((m) => scores.bits[m.id]);
  const all = shown.flatMap((m) => scores.bits[m.id] ?? []).filter(Number.isFinite);
  const scale = Math.max(uniformBits, ...all);
  const n = scores.text.tokens.length;
  const total = (id: string) => (scores.bits[id] ?? []).reduce((a, b) => a + b, 0);
  return (
    <div
      class="ladder__scroll fig-scroll-x"
      tabIndex={0}
      role="region"
      aria-label={`Surprisal per prediction, ${corpus}`}
    >
      <table class="ladder__table" data-role="ladder-scores">
        <caption class="fig-sr-only">
          Surprisal of each prediction in bits under each model, and the totals
        </caption>
        <thead>
          <tr>
            <th scope="col">{corpus === 'names' ? 'next character' : 'next word'}</th>
            {shown.map((m) => (
              <th scope="col" key={m.id} data-model={m.id}>
                {m.title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {scores.text.tokens.map((t, i) => (
            <tr key={i} class={t.end ? 'is-end' : undefined}>
              <th scope="row" title={t.typed ? `you typed “${t.typed}”` : undefined}>
                {t.shown}
                {t.typed && <span class="ladder__typed"> ({t.typed})</span>}
              </th>
              {shown.map((m) => {
                const b = scores.bits[m.id]?.[i] ?? NaN;
                const w = Number.isFinite(b) ? Math.min(1, Math.max(0, b / scale)) : 1;
                return (
                  <td key={m.id} data-model={m.id} data-bits={String(b)}>
                    <span class="ladder__bar" style={{ width: `${(w * 100).toFixed(1)}%` }} />
                    <span class="ladder__num">{fmtFixed(b, 2)}</span>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">total bits</th>
            {shown.map((m) => (
              <td key={m.id} data-model={m.id} data-total={String(total(m.id))}>
                {fmtFixed(total(m.id), 1)}
              </td>
            ))}
          </tr>
          <tr>
            <th scope="row">bits per prediction</th>
            {shown.map((m) => (
              <td key={m.id}>{n ? fmtFixed(total(m.id) / n, 2) : '—'}</td>
            ))}
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

function HeldOutTable({ corpus, rows }: { corpus: Corpus; rows: HeldOutRow[] }) {
  return (
    <div
      class="ladder__heldout-wrap fig-scroll-x"
      tabIndex={0}
      role="region"
      aria-label={`Held-out scores, ${corpus}`}
    >
      <table class="ladder__heldout" data-role="ladder-heldout" data-corpus={corpus}>
        <caption>
          Held-out {corpus === 'names' ? 'names' : 'sentences'}, from the model cards (every model
          of the corpus on the same predictions)
        </caption>
        <thead>
          <tr>
            <th scope="col">model</th>
            <th scope="col">bits per prediction</th>
            <th scope="col">nats per prediction</th>
            <th scope="col">perplexity</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-id={r.id} data-loss={String(r.loss)}>
              <th scope="row">
                {r.title}
                {!r.runs && <span class="ladder__typed"> (held-out score only)</span>}
              </th>
              <td>{fmtFixed(r.loss / Math.LN2, 3)}</td>
              <td>{fmtFixed(r.loss, 3)}</td>
              <td>{num(r.perplexity, 4)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The live scorers of every runnable model: window models by their Predict, step models streamed. */
async function liveScorers(
  models: ModelInfo[],
  predicts: Record<string, (c: number[][]) => Promise<Float32Array>>,
  ladder: Ladder,
): Promise<Scorers> {
  const one = async (m: ModelInfo): Promise<Scorer> => {
    if (m.io.kind === 'window') {
      const predict = predicts[m.id];
      if (!predict) throw new Error(`${m.id} is not live`);
      return { kind: 'window', context: m.io.context, predict };
    }
    const { runner } = await liveModel(m);
    if (m.io.kind === 'sequence')
      return {
        kind: 'sequence',
        maxLength: m.io.maxLength,
        run: async (rows) => (await runner.sequence(rows))['logprobs']?.data ?? new Float32Array(0),
      };
    return {
      kind: 'step',
      step: (t, s) => runner.step(t, s),
      initial: () => runner.initialState(1),
    };
  };
  const byCorpus = async (c: Corpus) => {
    const ids = new Set<string>(ladderModels(c, ladder));
    const list = models.filter((m) => ids.has(m.id));
    return Object.fromEntries(await Promise.all(list.map(async (m) => [m.id, await one(m)])));
  };
  return { names: await byCorpus('names'), words: await byCorpus('words') };
}

export default function LadderIsland({ build, initial, figure, embed = false }: Props) {
  const meta = useMemo(() => (figure ? { ...ladderMeta, ...figure } : ladderMeta), [figure?.id]);
  const { state, set, status, markLive, bar } = useFigure(meta, {
    initial,
    embed,
    models: build.models,
  });
  const vocab = useMemo(() => new Vocabulary(build.vocabulary.split('\n')), [build.vocabulary]);
  const [drawn, setDrawn] = useState<Record<Corpus, CorpusScores & { live?: boolean }>>(
    build.scores,
  );
  const [scorers, setScorers] = useState<Scorers | undefined>(undefined);
  const [failed, setFailed] = useState<string | undefined>(undefined);

  // Step models stream through liveModel's runner (the session useLive already made).
  useEffect(() => {
    if (status.kind !== 'live') return;
    let cancelled = false;
    liveScorers(build.models, status.predicts, build.ladder).then(
      (s) => !cancelled && setScorers(s),
      (e: unknown) => !cancelled && setFailed(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [status]);

  const submit = useMemo(() => {
    const make = (corpus: Corpus) =>
      latestOnly(async ({ text, s }: { text: string; s: Scorers }) => {
        try {
          const scores = await scoreCorpus(text, s[corpus], corpus === 'words' ? vocab : undefined);
          setDrawn((d) => ({ ...d, [corpus]: { ...scores, live: true } }));
          setFailed(undefined);
        } catch (e) {
          setFailed(e instanceof Error ? e.message : String(e));
        }
      });
    return { names: make('names'), words: make('words') };
  }, [vocab]);

  const last = useRef<Partial<Record<Corpus, { text: string; s: Scorers }>>>({});
  const request = (corpus: Corpus, text: string) => {
    if (!scorers) return;
    const prev = last.current[corpus];
    if (prev?.text === text && prev.s === scorers) return;
    const next = { text, s: scorers };
    last.current[corpus] = next;
    submit[corpus](next);
  };
  useEffect(() => request('names', state.name), [scorers, state.name]);
  useEffect(() => request('words', state.words), [scorers, state.words]);
  useEffect(() => {
    if (drawn.names.live && drawn.words.live) markLive();
  }, [drawn]);

  const live = status.kind === 'live' && scorers !== undefined;
  return (
    <div
      class="fig-body ladder"
      data-figure={meta.id}
      // The name the names panel's scores are for (the figure's first input): when it equals
      // the input's value, a keystroke has been redrawn (scripts/bench's keystroke probe).
      data-text={drawn.names.raw}
      data-status={status.kind === 'live' && !scorers ? 'loading' : status.kind}
    >
      {failed && (
        <p class="fig-missing" role="alert">
          Scoring failed ({failed}); the figure shows the last result.
        </p>
      )}
      {PANELS.map((p) => {
        const scores = drawn[p.corpus];
        const ids = new Set<string>(ladderModels(p.corpus, build.ladder));
        const models = build.models.filter((m) => ids.has(m.id as ModelId));
        const uniform = Math.log2(p.corpus === 'names' ? 27 : vocab.size);
        return (
          <section
            class="ladder__panel"
            key={p.corpus}
            data-corpus={p.corpus}
            data-raw={scores.raw}
            data-live-result={live && scores.live ? 'true' : 'false'}
          >
            <h4 class="ladder__heading">{p.heading}</h4>
            <div class="fig-controls">
              <label class="fig-field fig-field--grow">
                <span>{p.label}</span>
                <input
                  type="text"
                  value={state[p.field]}
                  spellcheck={false}
                  autocomplete="off"
                  autocapitalize="off"
                  onInput={(e) => {
                    const text = e.currentTarget.value;
                    set({ [p.field]: text });
                    request(p.corpus, text);
                  }}
                />
              </label>
            </div>
            <p class="ladder__report" aria-live="polite">
              {readReport(p.corpus, scores, vocab.size, models)}
            </p>
            <ScoreTable corpus={p.corpus} scores={scores} models={models} uniformBits={uniform} />
            <HeldOutTable corpus={p.corpus} rows={build.heldOut[p.corpus]} />
          </section>
        );
      })}
      <p class="ladder__note">
        Surprisal is −log₂ p in bits; the cards give losses in nats (1 nat ={' '}
        {fmtFixed(1 / Math.LN2, 3)} bits). Perplexity is e to the held-out loss in nats.
      </p>
      <FigureBar {...bar} />
    </div>
  );
}
