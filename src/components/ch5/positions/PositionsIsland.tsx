/**
 * Figure "positions" (island): the similarity matrix of a GPT's position vectors, drawn from
 * numbers computed at build time, with one row picked out (hover, click, arrow keys or the
 * number field) and read as text.
 */
import { useState } from 'preact/hooks';
import { DataTable } from '../../ui/DataTable';
import { FigureBar } from '../../ui/FigureBar';
import { fmtFixed } from '../../ui/format';
import { useFigure } from '../../ui/useFigure';
import {
  POSITION_MODELS,
  positionsMeta as meta,
  type PositionModel,
  type PositionsState,
} from './meta';

export type PositionTables = Record<PositionModel, { title: string; n: number; cos: number[] }>;

interface Props {
  tables: PositionTables;
  initial: PositionsState;
  embed?: boolean;
}

const CELL = 8;

/** The mean similarity of positions `gap` apart. */
function meanAtGap(cos: readonly number[], n: number, gap: number): number {
  let s = 0;
  let k = 0;
  for (let i = 0; i + gap < n; i++) {
    s += cos[i * n + i + gap] as number;
    k++;
  }
  return k ? s / k : NaN;
}

export default function PositionsIsland({ tables, initial, embed = false }: Props) {
  const { state, set, status, bar } = useFigure(meta, { initial, embed });
  const [hover, setHover] = useState<number | undefined>(undefined);
  const table = tables[state.model];
  const n = table.n;
  const picked = Math.min(state.row, n - 1);
  const row = hover ?? picked;
  const cells = table.cos.slice(row * n, (row + 1) * n);
  const others = cells
    .map((c, j) => ({ j, c }))
    .filter((x) => x.j !== row)
    .sort((a, b) => b.c - a.c);
  const pick = (r: number): void => set({ row: Math.max(0, Math.min(n - 1, r)) });
  const onKey = (e: KeyboardEvent): void => {
    const to: Record<string, number> = {
      ArrowUp: picked - 1,
      ArrowLeft: picked - 1,
      ArrowDown: picked + 1,
      ArrowRight: picked + 1,
      Home: 0,
      End: n - 1,
    };
    const r = to[e.key];
    if (r === undefined) return;
    e.preventDefault();
    setHover(undefined);
    pick(r);
  };
  const rowAt = (e: MouseEvent): number | undefined => {
    const svg = e.currentTarget as SVGSVGElement;
    const box = svg.getBoundingClientRect();
    if (box.height <= 0) return undefined;
    const r = Math.floor(((e.clientY - box.top) / box.height) * n);
    return r >= 0 && r < n ? r : undefined;
  };
  const near = [1, 2, 4, 8].filter((g) => g < n);

  return (
    <div
      class="fig-body positions"
      data-figure="positions"
      data-status={status.kind}
      data-model={state.model}
      data-row={row}
    >
      <div class="fig-controls">
        <label class="fig-field">
          <span>Model</span>
          <select
            data-role="model"
            value={state.model}
            onChange={(e) => {
              const id = e.currentTarget.value as PositionModel;
              if (!(id in tables)) return;
              set({ model: id, row: Math.min(state.row, tables[id].n - 1) });
            }}
          >
            {POSITION_MODELS.map((id) => (
              <option key={id} value={id}>
                {tables[id].title} ({tables[id].n} positions)
              </option>
            ))}
          </select>
        </label>
        <label class="fig-field">
          <span>Position (0–{n - 1})</span>
          <input
            type="number"
            min={0}
            max={n - 1}
            step={1}
            value={picked}
            class="fig-seed"
            data-role="row"
            onInput={(e) => {
              const v = Number(e.currentTarget.value);
              if (Number.isInteger(v) && v >= 0 && v < n) pick(v);
            }}
          />
        </label>
      </div>
      <div
        class="positions__grid"
        role="slider"
        tabIndex={0}
        aria-label="Position whose row is read; arrow keys move it"
        aria-valuemin={0}
        aria-valuemax={n - 1}
        aria-valuenow={picked}
        aria-valuetext={`position ${picked}`}
        onKeyDown={onKey}
      >
        <svg
          viewBox={`0 0 ${n * CELL} ${n * CELL}`}
          role="img"
          aria-label={`Cosine similarity of each of the ${n} position vectors with every other`}
          onMouseMove={(e) => setHover(rowAt(e))}
          onMouseLeave={() => setHover(undefined)}
          onClick={(e) => {
            const r = rowAt(e);
            if (r !== undefined) pick(r);
          }}
        >
          {table.cos.map((v, i) => (
            <rect
              key={i}
              x={(i % n) * CELL}
              y={Math.floor(i / n) * CELL}
              width={CELL}
              height={CELL}
              class={v >= 0 ? 'ch5-heat__pos' : 'ch5-heat__neg'}
              fill-opacity={Math.min(1, Math.abs(v)).toFixed(2)}
            />
          ))}
          <rect
            class="ch5-heat__row"
            x={0}
            y={row * CELL}
            width={n * CELL}
            height={CELL}
            data-role="picked-row"
          />
        </svg>
      </div>
      <p class="positions__row" data-role="row-text" aria-live="polite">
        Position {row}: most like position{others.length > 1 ? 's' : ''}{' '}
        {others
          .slice(0, 3)
          .map((x) => `${x.j} (${fmtFixed(x.c, 2)})`)
          .join(', ')}
        ; least like{' '}
        {others
          .slice(-1)
          .map((x) => `${x.j} (${fmtFixed(x.c, 2)})`)
          .join('')}
        .
      </p>
      <p class="positions__row" data-role="summary">
        Mean similarity of positions{' '}
        {near.map((g) => `${g} apart: ${fmtFixed(meanAtGap(table.cos, n, g), 2)}`).join('; ')}.
      </p>
      <DataTable
        caption={`Cosine similarity of position ${row} to every position (${table.title})`}
        columns={['position', 'cosine similarity']}
        rows={cells.map((c, j) => [String(j), fmtFixed(c, 3)])}
      />
      <FigureBar {...bar} />
    </div>
  );
}
