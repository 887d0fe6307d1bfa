/**
 * Small SVG charts shared by figures (line chart, legend, histogram, bars, heat grid), styled by
 * charts.css. Plain SVG rather than Observable Plot: these redraw every animation frame while a
 * model trains and must render on the server for the build-time figure, where Plot would need a
 * DOM.
 */
import { DataTable, sampleIndices } from './DataTable';
import { num } from './format';
import './charts.css';

export interface Series {
  label: string;
  /** CSS class suffix: ch3-line--<kind>. */
  kind: string;
  points: { x: number; y: number }[];
  dashed?: boolean;
}

interface LineProps {
  series: Series[];
  /** Horizontal reference lines. */
  refs?: { y: number; label: string }[];
  xLabel: string;
  yLabel: string;
  log?: boolean;
  /** Fixed y range (else from the data). */
  y?: [number, number];
  height?: number;
  id?: string;
}

const W = 640;
const M = { l: 48, r: 14, t: 10, b: 34 };

function ticks(lo: number, hi: number, n: number): number[] {
  const span = hi - lo || 1;
  const step0 = span / n;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 5, 10].map((k) => k * mag).find((s) => s >= step0) ?? step0;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step)
    out.push(Math.round(v / step) * step);
  return out;
}

export function LineChart({
  series,
  refs = [],
  xLabel,
  yLabel,
  log = false,
  y,
  height = 220,
  id,
}: LineProps) {
  const H = height;
  const all = series.flatMap((s) => s.points);
  const xs = all.map((p) => p.x);
  const tf = (v: number): number => (log ? Math.log10(Math.max(v, 1e-12)) : v);
  const ys = [...all.map((p) => tf(p.y)), ...refs.map((r) => tf(r.y))].filter(Number.isFinite);
  const x0 = 0;
  const x1 = Math.max(10, ...xs);
  let [y0, y1] = y ? [tf(y[0]), tf(y[1])] : [Math.min(...ys), Math.max(...ys)];
  if (!Number.isFinite(y0) || !Number.isFinite(y1)) [y0, y1] = [0, 1];
  if (y1 - y0 < 1e-6) [y0, y1] = [y0 - 0.5, y1 + 0.5];
  const pad = (y1 - y0) * 0.05;
  y0 -= pad;
  y1 += pad;
  const sx = (v: number): number => M.l + ((v - x0) / (x1 - x0)) * (W - M.l - M.r);
  const sy = (v: number): number => M.t + (1 - (tf(v) - y0) / (y1 - y0)) * (H - M.t - M.b);
  const yt = log
    ? ticks(Math.ceil(y0), Math.floor(y1), 4).filter(Number.isInteger)
    : ticks(y0, y1, 5);
  return (
    <>
      <svg
        class="ch3-chart"
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`${yLabel} against ${xLabel}`}
        data-chart={id}
      >
        {yt.map((t) => {
          const v = log ? 10 ** t : t;
          return (
            <g key={t}>
              <line class="ch3-grid" x1={M.l} x2={W - M.r} y1={sy(v)} y2={sy(v)} />
              <text
                class="ch3-tick"
                x={M.l - 6}
                y={sy(v)}
                text-anchor="end"
                dominant-baseline="middle"
              >
                {log ? `1e${t}`.replace('1e0', '1').replace('-', '−') : num(v, 3)}
              </text>
            </g>
          );
        })}
        {ticks(x0, x1, 5).map((t) => (
          <text key={t} class="ch3-tick" x={sx(t)} y={H - M.b + 14} text-anchor="middle">
            {Math.round(t)}
          </text>
        ))}
        <text class="ch3-axis" x={(M.l + W - M.r) / 2} y={H - 4} text-anchor="middle">
          {xLabel}
        </text>
        <text
          class="ch3-axis"
          x={12}
          y={(M.t + H - M.b) / 2}
          text-anchor="middle"
          transform={`rotate(-90 12 ${(M.t + H - M.b) / 2})`}
        >
          {yLabel}
        </text>
        {refs.map((r) => (
          <g key={r.label}>
            <line class="ch3-ref" x1={M.l} x2={W - M.r} y1={sy(r.y)} y2={sy(r.y)} />
            <text class="ch3-ref__label" x={W - M.r - 4} y={sy(r.y) - 4} text-anchor="end">
              {r.label}
            </text>
          </g>
        ))}
        {series.map((s) =>
          s.points.length ? (
            <path
              key={s.label}
              class={`ch3-line ch3-line--${s.kind}${s.dashed ? ' is-dashed' : ''}`}
              d={s.points
                .map((p, i) => `${i ? 'L' : 'M'}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`)
                .join('')}
              data-series={s.label}
            />
          ) : null,
        )}
      </svg>
      <LineTable series={series} xLabel={xLabel} yLabel={yLabel} />
    </>
  );
}

/** The line chart's numbers: up to 11 x values (evenly spaced over the longest series). */
function LineTable({ series, xLabel, yLabel }: Pick<LineProps, 'series' | 'xLabel' | 'yLabel'>) {
  const longest = series.reduce<Series | undefined>(
    (a, s) => (!a || s.points.length > a.points.length ? s : a),
    undefined,
  );
  const xs = sampleIndices(longest?.points.length ?? 0, 11).map((i) => longest?.points[i]?.x ?? 0);
  const at = series.map((s) => new Map(s.points.map((p) => [p.x, p.y])));
  return (
    <DataTable
      caption={`${yLabel} against ${xLabel}`}
      columns={[xLabel, ...series.map((s) => s.label)]}
      rows={xs.map((x) => [
        String(x),
        ...at.map((m) => {
          const y = m.get(x);
          return y === undefined ? '' : num(y);
        }),
      ])}
    />
  );
}

export function Legend({ series }: { series: Pick<Series, 'label' | 'kind' | 'dashed'>[] }) {
  return (
    <ul class="ch3-legend">
      {series.map((s) => (
        <li key={s.label}>
          <svg width="22" height="8" aria-hidden="true">
            <line
              class={`ch3-line ch3-line--${s.kind}${s.dashed ? ' is-dashed' : ''}`}
              x1="0"
              x2="22"
              y1="4"
              y2="4"
            />
          </svg>
          {s.label}
        </li>
      ))}
    </ul>
  );
}

/** A histogram (bars) with an optional outline of an earlier one. */
export function Histogram({
  counts,
  before,
  range,
  label,
}: {
  counts: number[];
  before?: number[] | undefined;
  range: readonly [number, number];
  label: string;
}) {
  const w = 300;
  const h = 110;
  const top = Math.max(1, ...counts, ...(before ?? []));
  const bw = w / counts.length;
  const y = (c: number): number => h - 16 - (c / top) * (h - 24);
  const edge = (i: number): string => num(range[0] + (i / counts.length) * (range[1] - range[0]));
  return (
    <>
      <svg class="ch3-hist" viewBox={`0 0 ${w} ${h}`} role="img" aria-label={label}>
        {counts.map((c, i) => (
          <rect
            key={i}
            class="ch3-hist__bar"
            x={i * bw + 0.5}
            width={bw - 1}
            y={y(c)}
            height={h - 16 - y(c)}
          />
        ))}
        {before && (
          <path
            class="ch3-hist__before"
            d={before.map((c, i) => `${i ? 'L' : 'M'}${i * bw},${y(c)}H${(i + 1) * bw}`).join('')}
          />
        )}
        <line class="ch3-grid" x1={0} x2={w} y1={h - 16} y2={h - 16} />
        {[0, 0.5, 1].map((f) => (
          <text
            key={f}
            class="ch3-tick"
            x={f * w}
            y={h - 3}
            text-anchor={f === 0 ? 'start' : f === 1 ? 'end' : 'middle'}
          >
            {num(range[0] + f * (range[1] - range[0]))}
          </text>
        ))}
      </svg>
      <DataTable
        caption={label}
        columns={['bin', 'count', ...(before ? ['count at the start'] : [])]}
        rows={counts.map((c, i) => [
          `${edge(i)} to ${edge(i + 1)}`,
          String(c),
          ...(before ? [String(before[i] ?? 0)] : []),
        ])}
      />
    </>
  );
}

/** A grid of values in [-1, 1] as colours (rows x cols). */
export function HeatGrid({
  values,
  rows,
  cols,
  label,
}: {
  values: number[];
  rows: number;
  cols: number;
  label: string;
}) {
  const c = 8;
  const row = (r: number): number[] => values.slice(r * cols, (r + 1) * cols);
  return (
    <>
      <svg class="ch3-heat" viewBox={`0 0 ${cols * c} ${rows * c}`} role="img" aria-label={label}>
        {values.map((v, i) => (
          <rect
            key={i}
            x={(i % cols) * c}
            y={Math.floor(i / cols) * c}
            width={c}
            height={c}
            class={v >= 0 ? 'ch3-heat__pos' : 'ch3-heat__neg'}
            fill-opacity={Math.min(1, Math.abs(v)).toFixed(2)}
          />
        ))}
      </svg>
      <DataTable
        caption={`${label}: each row of ${cols} values, summarised`}
        columns={['row', 'lowest', 'mean', 'highest', 'distinct values (3 digits)']}
        rows={Array.from({ length: rows }, (_, r) => {
          const v = row(r);
          const mean = v.reduce((a, b) => a + b, 0) / (v.length || 1);
          return [
            String(r + 1),
            num(Math.min(...v)),
            num(mean),
            num(Math.max(...v)),
            String(new Set(v.map((x) => num(x))).size),
          ];
        })}
      />
    </>
  );
}

/** One bar per labelled item; items with value exactly 0 are marked (no bar at all). */
export function Bars({
  values,
  labels,
  label,
  counts,
}: {
  values: number[];
  labels: string[];
  label: string;
  counts?: number[] | undefined;
}) {
  const w = 640;
  const h = 150;
  const top = Math.max(1e-12, ...values);
  const bw = w / values.length;
  const y = (v: number): number => h - 30 - (v / top) * (h - 40);
  return (
    <>
      <svg class="ch3-bars" viewBox={`0 0 ${w} ${h}`} role="img" aria-label={label}>
        {values.map((v, i) => (
          <g key={i} data-bar={labels[i]} data-zero={v === 0 ? '1' : '0'}>
            {v === 0 ? (
              <text class="ch3-bars__zero" x={i * bw + bw / 2} y={h - 34} text-anchor="middle">
                0
              </text>
            ) : (
              <rect
                class="ch3-bars__bar"
                x={i * bw + 2}
                width={bw - 4}
                y={y(v)}
                height={h - 30 - y(v)}
              >
                <title>{`${labels[i]}: ${num(v)}${counts ? ` (${counts[i]} times in the batch's contexts)` : ''}`}</title>
              </rect>
            )}
            <text class="ch3-bars__label" x={i * bw + bw / 2} y={h - 16} text-anchor="middle">
              {labels[i]}
            </text>
            {counts && (
              <text class="ch3-tick" x={i * bw + bw / 2} y={h - 3} text-anchor="middle">
                {counts[i]}
              </text>
            )}
          </g>
        ))}
      </svg>
      <DataTable
        caption={label}
        columns={['item', 'value', ...(counts ? ['times in the contexts'] : [])]}
        rows={values.map((v, i) => [
          labels[i] ?? '',
          num(v),
          ...(counts ? [String(counts[i] ?? 0)] : []),
        ])}
      />
    </>
  );
}
