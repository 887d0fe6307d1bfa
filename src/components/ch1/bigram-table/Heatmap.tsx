/**
 * A 27 x 27 heatmap as plain SVG (the same markup server-side and in the browser). Rows are the
 * previous character, columns the next. Darker = larger; the highlighted cell is outlined.
 * Pointer: hover/click a cell. Keyboard: focus the grid, arrow keys move, Home/End jump in a row.
 */
import { useMemo } from 'preact/hooks';
import { V, VOCAB } from '../../../models/names/vocab';

const CELL = 20;
const PAD = 22; // room for the row and column labels

interface Props {
  /** Row-major [V * V] values, each already scaled to 0..1 for the colour. */
  shade: readonly number[];
  cell: [number, number];
  onCell: (cell: [number, number]) => void;
  label: string;
}

function Cells({ shade }: { shade: readonly number[] }) {
  const rects = [];
  for (let r = 0; r < V; r++) {
    for (let c = 0; c < V; c++) {
      const v = shade[r * V + c] ?? 0;
      rects.push(
        <rect
          key={r * V + c}
          x={PAD + c * CELL}
          y={PAD + r * CELL}
          width={CELL - 1}
          height={CELL - 1}
          data-r={r}
          data-c={c}
          class="heat__cell"
          fill-opacity={v > 0 ? (0.06 + 0.94 * v).toFixed(3) : 0}
        />,
      );
    }
  }
  return <g>{rects}</g>;
}

function cellFromEvent(e: Event): [number, number] | undefined {
  const t = e.target;
  if (!(t instanceof Element)) return undefined;
  const r = Number(t.getAttribute('data-r'));
  const c = Number(t.getAttribute('data-c'));
  return t.hasAttribute('data-r') && Number.isInteger(r) && Number.isInteger(c)
    ? [r, c]
    : undefined;
}

const KEYS: Record<string, (r: number, c: number) => [number, number]> = {
  ArrowUp: (r, c) => [r - 1, c],
  ArrowDown: (r, c) => [r + 1, c],
  ArrowLeft: (r, c) => [r, c - 1],
  ArrowRight: (r, c) => [r, c + 1],
  Home: (r) => [r, 0],
  End: (r) => [r, V - 1],
};

export function Heatmap({ shade, cell, onCell, label }: Props) {
  const cells = useMemo(() => <Cells shade={shade} />, [shade]);
  const [sr, sc] = cell;
  const size = PAD + V * CELL;
  const clamp = (i: number) => Math.max(0, Math.min(V - 1, i));
  return (
    <svg
      class="heat"
      viewBox={`0 0 ${size} ${size}`}
      role="img"
      aria-label={label}
      tabIndex={0}
      onPointerMove={(e) => {
        const at = cellFromEvent(e);
        if (at && (at[0] !== sr || at[1] !== sc)) onCell(at);
      }}
      onClick={(e) => {
        const at = cellFromEvent(e);
        if (at) onCell(at);
      }}
      onKeyDown={(e) => {
        const move = KEYS[e.key];
        if (!move) return;
        e.preventDefault();
        const [r, c] = move(sr, sc);
        onCell([clamp(r), clamp(c)]);
      }}
    >
      {VOCAB.map((ch, i) => (
        <g key={ch} class="heat__labels">
          <text
            x={PAD + i * CELL + CELL / 2}
            y={PAD - 7}
            class={i === sc ? 'is-on' : undefined}
            text-anchor="middle"
          >
            {ch}
          </text>
          <text
            x={PAD - 7}
            y={PAD + i * CELL + CELL / 2 + 4}
            class={i === sr ? 'is-on' : undefined}
            text-anchor="end"
          >
            {ch}
          </text>
        </g>
      ))}
      {cells}
      <rect
        class="heat__row"
        x={PAD - 1}
        y={PAD + sr * CELL - 1}
        width={V * CELL + 1}
        height={CELL + 1}
      />
      <rect
        class="heat__focus"
        x={PAD + sc * CELL - 1.5}
        y={PAD + sr * CELL - 1.5}
        width={CELL + 2}
        height={CELL + 2}
      />
    </svg>
  );
}
