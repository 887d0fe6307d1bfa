/**
 * Figure "vanishing-gradients" (island): type a text, see how far back the last prediction's
 * gradient reaches in the RNN, the GRU and the LSTM. First paint is the build-time render; when
 * the figure goes live it fetches the three step files, builds each cell's unrolled gradient
 * graph in the page (graph builder + autodiff, loaded then) and reruns them on every keystroke
 * (coalesced: only the latest text is drawn).
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { GraphRunner } from '../../../models/train/step';
import { fetchModel } from '../../../models/runtime/web';
import { FigureBar } from '../../ui/FigureBar';
import { LineChart, Legend, type Series } from '../../ui/charts';
import { listChars, num } from '../../ui/format';
import { latestOnly } from '../../ui/latest';
import type { ModelInfo } from '../../ui/models';
import type { RunnerFactory } from '../../ui/pageGraphs';
import { useFigure } from '../../ui/useFigure';
import { CELLS, MAX_LETTERS, vanishing, type Cell, type Typical, type Vanishing } from './compute';
import { vanishingMeta, type VanishingState } from './meta';
import './vanishing.css';

type Runners = Partial<Record<Cell, GraphRunner>>;

interface Props {
  models: ModelInfo[];
  initial: { state: VanishingState; result: Vanishing };
  /** The held-out names' typical decay, computed at build time. */
  typical: Typical;
  embed?: boolean;
}

const LABEL: Record<Cell, string> = { rnn: 'RNN', gru: 'GRU', lstm: 'LSTM' };
const KIND: Record<Cell, string> = { rnn: 'p0', gru: 'p1', lstm: 'p2' };

function isCell(id: string): id is Cell {
  return (CELLS as readonly string[]).includes(id);
}

/** What happened to the reader's input, in words. */
export function readReport(v: Vanishing): string {
  const n = v.read.length;
  const parts = [
    n === 0
      ? 'No letters: the only prediction is the end right after the start, so there is only k = 0.'
      : `Reading “${v.read}”: the start marker and ${n} letter${n === 1 ? '' : 's'}; L is the loss of the last prediction, the end of the name.`,
  ];
  if (v.encoded.lowercased.length > 0)
    parts.push(`Lowercased: ${listChars(v.encoded.lowercased)}.`);
  if (v.encoded.dropped.length > 0)
    parts.push(`Skipped (not a–z): ${listChars(v.encoded.dropped)}.`);
  if (v.cut > 0)
    parts.push(
      `Only the first ${MAX_LETTERS} letters are read; ${v.cut} more ${v.cut === 1 ? 'was' : 'were'} left out.`,
    );
  return parts.join(' ');
}

async function loadRunners(models: ModelInfo[], factory: RunnerFactory): Promise<Runners> {
  // The graph builder and autodiff come with the figure's going live, not with the page.
  const g = await import('../../../models/rnn/gradients');
  const { GRAD_STEPS } = await import('../../../models/rnn/bptt');
  const runners: Runners = {};
  for (const m of models) {
    if (!isCell(m.id)) continue;
    const w = g.stepWeights(m.id, await fetchModel(m));
    runners[m.id] = await factory(`bptt-${m.id}-${m.sha256.slice(0, 16)}`, () =>
      g.gradientOnnx(w, GRAD_STEPS),
    );
  }
  // One real run: a session can fail only when it runs (WebGPU).
  const check = await vanishing(runners, 'ab');
  for (const r of Object.values(check.cells))
    if (!r.byLag.every(Number.isFinite) || !Number.isFinite(r.loss))
      throw new Error('the gradient graphs returned non-finite numbers');
  return runners;
}

export default function VanishingIsland({ models, initial, typical, embed = false }: Props) {
  const graphs = useMemo(
    () => ({
      label: 'gradient graphs',
      autoNote: 'auto: WASM for one small graph per keystroke; pick WebGPU to try it',
      load: (factory: RunnerFactory) => loadRunners(models, factory),
    }),
    [models],
  );
  const { state, setState, status, value, markLive, bar } = useFigure(vanishingMeta, {
    initial: initial.state,
    embed,
    graphs,
  });
  const [drawn, setDrawn] = useState<Vanishing & { live?: boolean }>(initial.result);
  const [failed, setFailed] = useState<string | undefined>(undefined);

  const submit = useMemo(
    () =>
      latestOnly(async ({ text, runners }: { text: string; runners: Runners }) => {
        try {
          const v = await vanishing(runners, text);
          setDrawn({ ...v, live: true });
          setFailed(undefined);
        } catch (e) {
          setFailed(e instanceof Error ? e.message : String(e));
        }
      }),
    [],
  );

  const last = useRef<{ text: string; runners: Runners } | undefined>(undefined);
  const request = (text: string) => {
    if (status.kind !== 'live' || !value) return;
    if (last.current?.text === text && last.current.runners === value) return;
    last.current = { text, runners: value };
    submit(last.current);
  };
  useEffect(() => request(state.text), [status, value, state.text]);
  useEffect(() => {
    if (drawn.live) markLive();
  }, [drawn]);

  const shown = CELLS.filter((c) => drawn.cells[c]);
  const series: Series[] = shown.map((c) => ({
    label: LABEL[c],
    kind: KIND[c],
    dashed: c === 'gru',
    points: (drawn.cells[c]?.byLag ?? []).map((y, k) => ({ x: k, y })),
  }));

  return (
    <div
      class="fig-body vanishing"
      data-figure="vanishing-gradients"
      data-status={status.kind}
      data-text={drawn.text}
      data-read={drawn.read}
      data-live-result={drawn.live ? 'true' : 'false'}
    >
      <div class="fig-controls">
        <label class="fig-field fig-field--grow">
          <span>Text (read as a name)</span>
          <input
            type="text"
            value={state.text}
            spellcheck={false}
            autocomplete="off"
            autocapitalize="off"
            onInput={(e) => {
              const text = e.currentTarget.value;
              setState((s) => ({ ...s, text }));
              request(text);
            }}
          />
        </label>
      </div>
      <p class="vanishing__report" aria-live="polite">
        {readReport(drawn)}
      </p>
      {failed && (
        <p class="fig-missing" role="alert">
          The gradient graphs failed on this text ({failed}); the figure shows the last result.
        </p>
      )}
      <LineChart
        series={series}
        xLabel="k, characters back from the last prediction"
        yLabel="‖∂L/∂h(T−k)‖"
        log
        id="vanishing"
      />
      <Legend series={series} />
      <ul class="vanishing__summary">
        {shown.map((c) => {
          const r = drawn.cells[c];
          if (!r) return null;
          const first = r.byLag[0] ?? NaN;
          const lastK = r.byLag.length - 1;
          const end = r.byLag[lastK] ?? NaN;
          return (
            <li
              key={c}
              data-cell={c}
              data-first={String(first)}
              data-last={String(end)}
              data-steps={String(r.byLag.length)}
              data-loss={String(r.loss)}
            >
              <strong>{LABEL[c]}</strong>: L = {num(r.loss)} nats;{' '}
              {lastK === 0
                ? `‖∂L/∂h‖ = ${num(first)} at k = 0`
                : `‖∂L/∂h‖ ${num(first)} at k = 0, ${num(end)} at k = ${lastK}` +
                  (first > 0 && end > 0 ? ` (${ratioText(end / first)})` : '')}
            </li>
          );
        })}
      </ul>
      <p class="vanishing__typical" data-role="typical">
        Typical, over the {typical.names} held-out names of at least {typical.lag} letters: from k =
        0 to k = {typical.lag} the gradient’s norm is multiplied by{' '}
        {CELLS.filter((c) => typical.ratio[c] !== undefined)
          .map((c) => `${fraction(typical.ratio[c] as number)} (${LABEL[c]})`)
          .join(', ')}{' '}
        (geometric means, computed when the page was built).
      </p>
      <FigureBar {...bar} />
    </div>
  );
}

/** "1/240" for a shrinking ratio, "3.1" for a growing one. */
function fraction(r: number): string {
  if (!Number.isFinite(r) || r <= 0) return '—';
  return r >= 1 ? num(r) : `1/${num(1 / r)}`;
}

/** "× 1/240", "× 3.1". */
function ratioText(r: number): string {
  return `× ${fraction(r)}`;
}
