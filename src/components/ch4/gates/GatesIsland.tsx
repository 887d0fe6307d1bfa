/**
 * Figure "gates" (island): the names LSTM and GRU streamed over the reader's text, their gates
 * shown for one unit, one bar per character. Like "unrolled", each edit runs only the steps
 * after the unchanged prefix, per model, from the carried state.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Runner } from '../../../models/runtime/web';
import { FigureBar } from '../../ui/FigureBar';
import { glyph, num } from '../../ui/format';
import { latestOnly } from '../../ui/latest';
import type { ModelInfo } from '../../ui/models';
import { useFigure } from '../../ui/useFigure';
import { streamReport } from '../report';
import {
  advance,
  emptyCache,
  finite,
  streamInput,
  symbol,
  type StepRecord,
  type StreamCache,
} from '../stream';
import {
  GATE_MODELS,
  GATES,
  gatesMeta,
  mostChangingUnit,
  type GateModel,
  type GatesState,
} from './meta';

export interface GatesDrawn {
  text: string;
  records: Record<GateModel, StepRecord[]>;
  /** Steps run per model for this drawing (the rest came from the caches). */
  ran: Record<GateModel, number>;
  live?: boolean;
}

interface Props {
  models: ModelInfo[];
  /** The state width H (both models have the same; from the cards). */
  units: number;
  initial: { state: GatesState; drawn: GatesDrawn };
  embed?: boolean;
}

const gateNames = (m: GateModel): string[] => GATES[m].map((g) => g.name);

export default function GatesIsland({ models, units, initial, embed = false }: Props) {
  const { state, setState, status, markLive, bar } = useFigure(gatesMeta, {
    initial: initial.state,
    embed,
    models,
  });
  const [drawn, setDrawn] = useState<GatesDrawn>(initial.drawn);
  const caches = useRef(new Map<Runner, StreamCache>());
  const inputAt = useRef(new Map<string, number>());

  const submit = useMemo(
    () =>
      latestOnly(
        async ({ text, runners }: { text: string; runners: Record<GateModel, Runner> }) => {
          const input = streamInput(text);
          const records = {} as Record<GateModel, StepRecord[]>;
          const ran = {} as Record<GateModel, number>;
          for (const m of GATE_MODELS) {
            const runner = runners[m];
            const out = await advance(
              caches.current.get(runner) ?? emptyCache(),
              input.ids,
              (token, s) => runner.step([token], s, gateNames(m)),
              runner.initialState(1),
              gateNames(m),
            );
            caches.current.set(runner, out.cache);
            records[m] = out.cache.records;
            ran[m] = out.ran;
          }
          setDrawn({ text, records, ran, live: true });
        },
      ),
    [],
  );

  const last = useRef<{ text: string; runners: Record<GateModel, Runner> } | undefined>(undefined);
  const request = (text: string) => {
    if (status.kind !== 'live') return;
    const lstm = status.runners['lstm'];
    const gru = status.runners['gru'];
    if (!lstm || !gru) return;
    const l = last.current;
    if (l?.text === text && l.runners.lstm === lstm && l.runners.gru === gru) return;
    last.current = { text, runners: { lstm, gru } };
    submit(last.current);
  };
  useEffect(() => request(state.text), [status, state.text]);

  useLayoutEffect(() => {
    if (!drawn.live || status.kind !== 'live') return;
    const start = inputAt.current.get(drawn.text);
    if (start !== undefined) {
      performance.measure('gates:update', { start, end: performance.now() });
      inputAt.current.clear();
    }
    markLive();
  }, [drawn]);

  const input = streamInput(drawn.text);
  const unit = Math.min(Math.max(1, state.unit), Math.max(1, units));
  const u = unit - 1;
  const tokens = drawn.records.lstm.map((r) => r.token);
  const rows = GATE_MODELS.flatMap((m) =>
    GATES[m].map((g) => ({
      model: m,
      gate: g.name,
      label: g.label,
      values: drawn.records[m].map((r) => finite(r.values[g.name]?.[u])),
    })),
  );
  const title = (m: GateModel) => models.find((x) => x.id === m)?.title ?? m;

  return (
    <div
      class="fig-body ch4-gates-fig"
      data-figure="gates"
      data-status={status.kind}
      data-text={drawn.text}
      data-steps={tokens.length}
      data-ran={`${drawn.ran.lstm},${drawn.ran.gru}`}
      data-unit={unit}
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
              setState((s) => ({ ...s, text }));
              request(text);
            }}
          />
        </label>
        <label class="fig-field">
          <span>
            Unit {unit} of {units}
          </span>
          <input
            type="range"
            min={1}
            max={Math.max(1, units)}
            value={unit}
            aria-valuetext={`unit ${unit}`}
            onInput={(e) => {
              const v = Number(e.currentTarget.value);
              setState((s) => ({ ...s, unit: Number.isFinite(v) ? v : 1 }));
            }}
          />
        </label>
        <button
          type="button"
          class="fig-button"
          data-action="busiest-unit"
          onClick={() => {
            const forget = drawn.records.lstm.map((r) => r.values['forget'] ?? []);
            setState((s) => ({ ...s, unit: mostChangingUnit(forget) }));
          }}
        >
          Unit whose forget gate moves most
        </button>
      </div>
      <p class="ch4-report" aria-live="polite">
        {streamReport(input)} Unit {unit} of the {title('lstm')} and unit {unit} of the{' '}
        {title('gru')} are unrelated: the two models were trained separately.
      </p>
      <div
        class="ch4-gates__wrap fig-scroll-x"
        tabIndex={0}
        role="region"
        aria-label="Gates (scrolls sideways)"
      >
        <table class="ch4-gates">
          <caption class="fig-sr-only">
            How open each gate of unit {unit} is after each character, from 0 (shut) to 1 (open)
          </caption>
          <thead>
            <tr>
              <th scope="col">
                <span class="fig-sr-only">gate</span>
              </th>
              {tokens.map((id, t) => (
                <th scope="col" key={t}>
                  {glyph(symbol(id))}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={`${row.model}-${row.gate}`} data-gate={`${row.model}:${row.gate}`}>
                <th scope="row">{row.label}</th>
                {row.values.map((v, t) => (
                  <td key={t} data-v={v} title={num(v)}>
                    <span
                      class="ch4-gates__bar"
                      style={`height:${Math.round(Math.min(1, Math.max(0, v)) * 100)}%`}
                    />
                    <span class="fig-sr-only">{num(v, 2)}</span>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <FigureBar {...bar} />
    </div>
  );
}
