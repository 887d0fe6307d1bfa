/**
 * Figure "unrolled" (island): the names RNN (or LSTM) streamed over the reader's text. First
 * paint is the build-time render; once live, each edit runs only the steps after the longest
 * unchanged prefix, from the state carried in the cache (stream.ts advance).
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Runner } from '../../../models/runtime/web';
import { DataTable } from '../../ui/DataTable';
import { Exercise } from '../../ui/Exercise';
import { FigureBar } from '../../ui/FigureBar';
import { fmtProb, glyph, num } from '../../ui/format';
import { latestOnly } from '../../ui/latest';
import type { ModelInfo } from '../../ui/models';
import { useFigure } from '../../ui/useFigure';
import { streamReport } from '../report';
import {
  advance,
  emptyCache,
  streamInput,
  symbol,
  type StepRecord,
  type StreamCache,
} from '../stream';
import { StateHeatmap, Strip } from '../views';
import { sameWindowNewGuess } from './exercise';
import { isUnrolledModel, unrolledMeta, type UnrolledModel, type UnrolledState } from './meta';

export interface UnrolledDrawn {
  text: string;
  model: UnrolledModel;
  records: StepRecord[];
  /** Steps run for this drawing (the rest came from the cache). */
  ran: number;
  live?: boolean;
}

interface Props {
  models: ModelInfo[];
  /** The state width H of each model (from its card). */
  units: number;
  initial: { state: UnrolledState; drawn: UnrolledDrawn };
  embed?: boolean;
  /** Show the exercise (checked on the steps drawn live). */
  exercise?: boolean;
}

const INTERNALS = ['hidden'] as const;

export default function UnrolledIsland({
  models,
  units,
  initial,
  embed = false,
  exercise = false,
}: Props) {
  const { state, setState, status, markLive, bar } = useFigure(unrolledMeta, {
    initial: initial.state,
    embed,
    models,
  });
  const [drawn, setDrawn] = useState<UnrolledDrawn>(initial.drawn);
  const caches = useRef(new Map<Runner, StreamCache>());
  const inputAt = useRef(new Map<string, number>());

  const submit = useMemo(
    () =>
      latestOnly(
        async ({ text, model, runner }: { text: string; model: UnrolledModel; runner: Runner }) => {
          const input = streamInput(text);
          const old = caches.current.get(runner) ?? emptyCache();
          const { cache, ran } = await advance(
            old,
            input.ids,
            (token, s) => runner.step([token], s, INTERNALS),
            runner.initialState(1),
            INTERNALS,
          );
          caches.current.set(runner, cache);
          setDrawn({ text, model, records: cache.records, ran, live: true });
        },
      ),
    [],
  );

  const last = useRef<{ text: string; model: UnrolledModel; runner: Runner } | undefined>(
    undefined,
  );
  const request = (text: string, model: UnrolledModel) => {
    if (status.kind !== 'live') return;
    const runner = status.runners[model];
    if (!runner) return;
    const l = last.current;
    if (l?.text === text && l.model === model && l.runner === runner) return;
    last.current = { text, model, runner };
    submit(last.current);
  };
  useEffect(() => request(state.text, state.model), [status, state.text, state.model]);

  useLayoutEffect(() => {
    if (!drawn.live || status.kind !== 'live') return;
    const start = inputAt.current.get(drawn.text);
    if (start !== undefined) {
      performance.measure('unrolled:update', { start, end: performance.now() });
      inputAt.current.clear();
    }
    markLive();
  }, [drawn]);

  const input = streamInput(drawn.text);
  const records = drawn.records;
  const n = records.length;
  // Steps are numbered from 1 (the start marker) as in the chapter: h_0 is the zero state.
  const i = state.step >= 1 && state.step <= n ? state.step - 1 : n - 1;
  const t = i + 1;
  const rec = records[i];
  const prev = i > 0 ? records[i - 1] : undefined;
  const h = (r: StepRecord | undefined) => r?.values['hidden'] ?? new Array<number>(units).fill(0);
  const columns = useMemo(() => records.map((r) => h(r)), [records]);
  const tokens = useMemo(() => records.map((r) => r.token), [records]);
  const modelTitle = models.find((m) => m.id === drawn.model)?.title ?? drawn.model;
  const char = (id: number) => (id === 0 ? 'the start marker ·' : `“${symbol(id)}”`);

  return (
    <div
      class="fig-body ch4-unrolled"
      data-figure="unrolled"
      data-status={status.kind}
      data-text={drawn.text}
      data-model={drawn.model}
      data-steps={n}
      data-ran={drawn.ran}
    >
      <div class="fig-controls">
        <label class="fig-field fig-field--grow">
          <span>Text</span>
          <input
            type="text"
            value={state.text}
            spellcheck={false}
            autocomplete="off"
            autocapitalize="off"
            onInput={(e) => {
              const text = e.currentTarget.value;
              inputAt.current.set(text, performance.now());
              setState((s) => ({ ...s, text, step: -1 }));
              request(text, state.model);
            }}
          />
        </label>
        <label class="fig-field">
          <span>Model</span>
          <select
            value={state.model}
            onChange={(e) => {
              const v = e.currentTarget.value;
              const model = isUnrolledModel(v) ? v : 'rnn';
              setState((s) => ({ ...s, model }));
              request(state.text, model);
            }}
          >
            {models.map((m) => (
              <option value={m.id} key={m.id}>
                {m.title}
              </option>
            ))}
          </select>
        </label>
        <label class="fig-field">
          <span>
            Step {t} of {n}
          </span>
          <input
            type="range"
            min={1}
            max={Math.max(1, n)}
            value={t}
            aria-valuetext={rec ? `step ${t}, reads ${char(rec.token)}` : `step ${t}`}
            onInput={(e) => {
              const v = Number(e.currentTarget.value);
              setState((s) => ({ ...s, step: v >= n ? -1 : v }));
            }}
          />
        </label>
      </div>
      {exercise && (
        <Exercise
          exercise={sameWindowNewGuess}
          result={
            drawn.live && status.kind === 'live'
              ? sameWindowNewGuess.check({ model: drawn.model, records: drawn.records })
              : undefined
          }
        />
      )}
      <p class="ch4-report" aria-live="polite">
        {streamReport(input)}
      </p>
      {rec && (
        <div class="ch4-step" data-step={t} data-h={JSON.stringify(h(rec))}>
          <p class="ch4-step__head">
            Step {t}: {modelTitle} reads x<sub>{t}</sub> = {char(rec.token)}
          </p>
          <div class="ch4-step__row">
            <span class="ch4-step__name">
              h<sub>{t - 1}</sub>
              {t === 1 ? ' (zeros)' : ''}
            </span>
            <Strip values={h(prev)} label={`The state before step ${t}`} />
          </div>
          <div class="ch4-step__row">
            <span class="ch4-step__name">
              h<sub>{t}</sub>
            </span>
            <Strip values={h(rec)} label={`The state after step ${t}`} />
          </div>
          <p class="ch4-step__next">
            Next character:{' '}
            {rec.top.map((p, i) => (
              <span key={p.id} class="ch4-step__guess">
                {i > 0 && ', '}
                <b>{glyph(symbol(p.id))}</b> {fmtProb(p.p)}
              </span>
            ))}
          </p>
        </div>
      )}
      <StateHeatmap
        columns={columns}
        tokens={tokens}
        selected={i}
        units={units}
        label={`The state of ${modelTitle} after each of ${n} steps: ${units} units by ${n} steps`}
        onPick={(k) => setState((st) => ({ ...st, step: k >= n - 1 ? -1 : k + 1 }))}
      />
      <DataTable
        caption={`The state after each step (${units} units each), summarised`}
        columns={['step', 'reads', 'mean |h|', 'most positive unit', 'most negative unit', 'next']}
        rows={records.map((r, k) => {
          const v = h(r);
          let hi = 0;
          let lo = 0;
          v.forEach((x, u) => {
            if (x > (v[hi] ?? 0)) hi = u;
            if (x < (v[lo] ?? 0)) lo = u;
          });
          const mean = v.reduce((a, x) => a + Math.abs(x), 0) / (v.length || 1);
          const best = r.top[0];
          return [
            String(k + 1),
            glyph(symbol(r.token)),
            num(mean),
            `${hi + 1} (${num(v[hi] ?? 0)})`,
            `${lo + 1} (${num(v[lo] ?? 0)})`,
            best ? `${glyph(symbol(best.id))} ${fmtProb(best.p)}` : '—',
          ];
        })}
      />
      <FigureBar {...bar} />
    </div>
  );
}
