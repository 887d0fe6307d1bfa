/**
 * The drawn graph: boxes from the layout, values and gradients from a trace, revealed by step.
 * Pure SVG, so the build-time render and the live page draw it the same way.
 */
import { DataTable } from '../../ui/DataTable';
import type { Layout, LayoutBox, LayoutEdge } from '../../../models/graph/layout';
import type { StepView } from './steps';
import type { Summary, TraceResult } from './trace';
import { num } from '../../ui/format';

interface Props {
  layout: Layout;
  result: TraceResult | undefined;
  view: StepView;
  scalar: boolean;
  selected: string | undefined;
  onSelect: (id: string) => void;
  /** How to show integer inputs (e.g. character ids as characters). */
  formatInts?: (id: string, values: number[]) => string;
  /** Prefix of the ids in the SVG (the arrowhead marker): unique per figure on a page. */
  idPrefix?: string;
}

const SYMBOL: Record<string, string> = { Mul: '×', Add: '+', Sub: '−', Div: '÷' };

/** "e" for named tensors; the builder's automatic names (t17) are not shown. */
export function named(id: string): boolean {
  return !/^t\d+$/.test(id);
}

export function boxTitle(b: LayoutBox, layout: Layout): string {
  if (b.kind === 'leaf') return b.id;
  const ins = layout.edges
    .filter((e) => e.to === b.id)
    .sort((p, q) => p.input - q.input)
    .map((e) => e.from);
  const sym = SYMBOL[b.op];
  const lhs = named(b.id) ? `${b.id} = ` : '';
  if (sym && ins.length === 2 && ins.every(named)) return `${lhs}${ins[0]} ${sym} ${ins[1]}`;
  if (b.op === 'Tanh' && ins.length === 1 && named(ins[0] as string)) return `${lhs}tanh ${ins[0]}`;
  return `${lhs}${b.op}`;
}

function shapeText(s: readonly (number | string)[]): string {
  return s.length ? `[${s.map((d) => (typeof d === 'string' ? 1 : d)).join('×')}]` : '';
}

export function summaryText(s: Summary | undefined, withShape: boolean): string {
  if (!s) return '';
  if (s.values && s.values.length === 1) return num(s.values[0] as number);
  return `${withShape ? shapeText(s.shape) + ' ' : ''}‖·‖ ${num(s.norm)}`;
}

function edgePath(p: LayoutBox, q: LayoutBox, h: number): string {
  const y0 = p.y + h / 2;
  const y1 = q.y - h / 2;
  const my = (y0 + y1) / 2;
  // An edge that skips layers bows out to the left, around the boxes in between.
  if (y1 - y0 > 2 * h) {
    const side = Math.min(p.x, q.x) - 95;
    return `M${p.x},${y0} C${side},${y0 + h} ${side},${y1 - h} ${q.x},${y1}`;
  }
  return `M${p.x},${y0} C${p.x},${my} ${q.x},${my} ${q.x},${y1}`;
}

/** Rough width of an edge label (10.5px monospace: about 0.6em a character). */
const labelWidth = (text: string): number => text.length * 6.4;

function EdgeLabel({
  e,
  p,
  q,
  result,
  scalar,
  h,
  width,
}: {
  e: LayoutEdge;
  p: LayoutBox;
  q: LayoutBox;
  result: TraceResult;
  scalar: boolean;
  h: number;
  /** The drawing's width: a label never runs out of it. */
  width: number;
}) {
  const carried = result.edges[e.id];
  if (!carried) return null;
  const local = result.locals[e.id]?.values?.[0];
  const up = result.grads[e.to]?.values?.[0];
  const text =
    scalar && local !== undefined && up !== undefined
      ? `${num(local)} × ${num(up)} = ${num(carried.values?.[0] ?? NaN)}`
      : `‖·‖ ${num(carried.norm)}`;
  // Just below the source box, on the side away from the target: two inputs of one node (a
  // and b into e, e and c into f) put their labels on opposite sides of their edges, so they
  // never run into each other or across the edge they belong to.
  const w = labelWidth(text);
  const toLeft = q.x > p.x || (q.x === p.x && scalar);
  const left = Math.min(Math.max(toLeft ? p.x - 6 - w : p.x + 6, 2), width - w - 2);
  return (
    <text class="bg-edge__label" x={left} y={p.y + h / 2 + 11} dominant-baseline="middle">
      {text}
    </text>
  );
}

export function GraphView({
  layout,
  result,
  view,
  scalar,
  selected,
  onSelect,
  formatInts,
  idPrefix = 'bg',
}: Props) {
  const arrow = `${idPrefix}-arrow`;
  const w = scalar ? 128 : 124;
  const h = scalar ? 58 : 46;
  const byId = new Map(layout.boxes.map((b) => [b.id, b]));
  return (
    <>
      <svg
        class="bg-graph"
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        width={layout.width}
        role="img"
        aria-label={`Computational graph with ${layout.boxes.length} nodes, ${view.phase === 'start' ? 'before the forward pass' : `${view.phase} pass, step ${view.step} of ${view.total}`}`}
      >
        <defs>
          <marker
            id={arrow}
            viewBox="0 0 8 8"
            refX="7"
            refY="4"
            markerWidth="6"
            markerHeight="6"
            orient="auto"
          >
            <path d="M0,0 L8,4 L0,8 z" class="bg-arrowhead" />
          </marker>
        </defs>
        <g>
          {layout.edges.map((e) => {
            const p = byId.get(e.from);
            const q = byId.get(e.to);
            if (!p || !q) return null;
            const lit = view.edgeLit(e.to) && !!result?.edges[e.id];
            const current = view.phase === 'backward' && view.current === e.to;
            return (
              <path
                key={e.id}
                d={edgePath(p, q, h)}
                class={`bg-edge${lit ? ' is-lit' : ''}${current ? ' is-current' : ''}`}
                marker-end={`url(#${arrow})`}
                data-edge={e.id}
              />
            );
          })}
        </g>
        <g>
          {layout.boxes.map((b) => {
            const value = view.hasValue(b.id) ? result?.values[b.id] : undefined;
            const grad = view.hasGrad(b.id) ? result?.grads[b.id] : undefined;
            const cls = [
              'bg-box',
              `bg-box--${b.kind}`,
              view.current === b.id ? 'is-current' : '',
              selected === b.id ? 'is-selected' : '',
            ].join(' ');
            return (
              <g
                key={b.id}
                class={cls}
                transform={`translate(${b.x - w / 2},${b.y - h / 2})`}
                data-box={b.id}
                data-has-value={value ? '1' : '0'}
                data-has-grad={grad ? '1' : '0'}
                onClick={() => onSelect(b.id)}
              >
                <rect width={w} height={h} rx={b.kind === 'leaf' ? 4 : 10} />
                <text x={w / 2} y={scalar ? 16 : 13} text-anchor="middle" class="bg-box__title">
                  {boxTitle(b, layout)}
                </text>
                <text
                  x={w / 2}
                  y={scalar ? 34 : 27}
                  text-anchor="middle"
                  class="bg-box__value"
                  data-role="value"
                >
                  {value
                    ? b.dtype === 'int64' && value.values
                      ? (formatInts?.(b.id, value.values) ?? value.values.join(' '))
                      : `${scalar ? '= ' : ''}${summaryText(value, !scalar)}`
                    : b.kind === 'leaf'
                      ? ''
                      : '·'}
                </text>
                <text
                  x={w / 2}
                  y={scalar ? 50 : 40}
                  text-anchor="middle"
                  class="bg-box__grad"
                  data-role="grad"
                >
                  {grad ? `∂L/∂${named(b.id) ? b.id : '·'} ${summaryText(grad, false)}` : ''}
                </text>
              </g>
            );
          })}
        </g>
        <g>
          {result &&
            layout.edges.map((e) => {
              const p = byId.get(e.from);
              const q = byId.get(e.to);
              if (!p || !q || !view.edgeLit(e.to)) return null;
              // Tensor graphs: label only the edges of the current backward step (room is short).
              if (!scalar && view.current !== e.to) return null;
              return (
                <EdgeLabel
                  key={e.id}
                  e={e}
                  p={p}
                  q={q}
                  result={result}
                  scalar={scalar}
                  h={h}
                  width={layout.width}
                />
              );
            })}
        </g>
      </svg>
      <DataTable
        caption="Each node of the graph: its value and its gradient, as far as the passes have got"
        columns={['node', 'value', 'gradient ∂L/∂node']}
        rows={layout.boxes.map((b) => {
          const value = view.hasValue(b.id) ? result?.values[b.id] : undefined;
          const grad = view.hasGrad(b.id) ? result?.grads[b.id] : undefined;
          return [
            boxTitle(b, layout),
            value
              ? b.dtype === 'int64' && value.values
                ? (formatInts?.(b.id, value.values) ?? value.values.join(' '))
                : summaryText(value, !scalar)
              : 'not computed yet',
            grad ? summaryText(grad, false) : 'not computed yet',
          ];
        })}
      />
    </>
  );
}
