/**
 * Drawing pieces of chapter 4's figures: a units x steps heatmap that grows one column per
 * character (columns already drawn are not redrawn), a one-row strip of a state vector, and a
 * strip of one unit's value per character.
 */
import { Component } from 'preact';
import { glyph, num } from '../ui/format';
import { finite, symbol } from './stream';

/** Column width and unit-row height of the heatmap, in CSS pixels. */
const CW = 14;
const RH = 5;
const TOP = 16;
const LEFT = 4;

interface ColumnProps {
  values: number[];
  x: number;
  label: string;
  onPick: () => void;
}

/** One step's column: redrawn only when its values or place change. */
class Column extends Component<ColumnProps> {
  override shouldComponentUpdate(next: ColumnProps): boolean {
    return next.values !== this.props.values || next.x !== this.props.x;
  }
  override render() {
    const { values, x, label, onPick } = this.props;
    return (
      <g class="ch4-col" onClick={onPick}>
        <text x={x + CW / 2} y={TOP - 4} class="ch4-heat__char" text-anchor="middle">
          {glyph(label)}
        </text>
        {values.map((v0, u) => {
          const v = finite(v0);
          return (
            <rect
              key={u}
              x={x}
              y={TOP + u * RH}
              width={CW - 1}
              height={RH}
              class={v >= 0 ? 'ch4-heat__pos' : 'ch4-heat__neg'}
              fill-opacity={Math.min(1, Math.abs(v)).toFixed(2)}
            />
          );
        })}
      </g>
    );
  }
}

/**
 * Units (rows) x steps (columns), values in [-1, 1]. `columns[t]` is the state after step t;
 * `selected` is outlined; clicking a column picks it.
 */
export function StateHeatmap({
  columns,
  tokens,
  selected,
  units,
  label,
  onPick,
}: {
  columns: number[][];
  tokens: number[];
  selected: number;
  units: number;
  label: string;
  onPick: (t: number) => void;
}) {
  const width = LEFT + columns.length * CW + 2;
  const height = TOP + units * RH + 2;
  return (
    <div
      class="ch4-heat fig-scroll-x"
      tabIndex={0}
      role="region"
      aria-label={`${label} (scrolls sideways)`}
    >
      <svg
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={label}
        data-columns={columns.length}
      >
        {columns.map((values, t) => (
          <Column
            key={t}
            values={values}
            x={LEFT + t * CW}
            label={symbol(tokens[t] ?? 0)}
            onPick={() => onPick(t)}
          />
        ))}
        {selected >= 0 && selected < columns.length && (
          <rect
            class="ch4-heat__selected"
            x={LEFT + selected * CW - 1}
            y={1}
            width={CW + 1}
            height={height - 2}
          />
        )}
      </svg>
    </div>
  );
}

/** One vector as a row of cells: [-1, 1] diverging, or [0, 1] for gates. */
export function Strip({
  values,
  label,
  range = 'signed',
  highlight,
}: {
  values: number[];
  label: string;
  range?: 'signed' | 'unit';
  highlight?: number;
}) {
  const w = 7;
  const h = 14;
  const width = values.length * w;
  return (
    // Squeezed sideways on a narrow screen (its cells stay distinct down to ~3 px each).
    <svg
      class="ch4-strip"
      width={width}
      height={h}
      viewBox={`0 0 ${width} ${h}`}
      preserveAspectRatio="none"
      role="img"
      aria-label={label}
    >
      {values.map((v0, u) => {
        const v = finite(v0);
        return (
          <rect
            key={u}
            x={u * w}
            y={0}
            width={w - 1}
            height={h}
            class={range === 'unit' || v >= 0 ? 'ch4-heat__pos' : 'ch4-heat__neg'}
            fill-opacity={Math.min(1, Math.abs(v)).toFixed(2)}
          >
            <title>{`unit ${u + 1}: ${num(v)}`}</title>
          </rect>
        );
      })}
      {highlight !== undefined && (
        <rect class="ch4-heat__selected" x={highlight * w - 0.5} y={0.5} width={w} height={h - 1} />
      )}
    </svg>
  );
}
