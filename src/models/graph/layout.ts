/**
 * Drawing data for a computational graph, read from the builder's own nodes: which ops lie
 * between the inputs and a loss, and where to put them. A small layered layout, top to bottom:
 *
 * - Ops are boxes (each box also stands for the op's output tensor); graph inputs and
 *   parameters are leaf boxes; constants (shapes, axes, literal numbers) are not drawn.
 * - Layer of an op = 1 + the deepest layer among what feeds it; a leaf sits one layer above the
 *   first op that reads it.
 * - Across: an op goes under the mean of the ops feeding it (so a chain runs straight down), a
 *   leaf beside the op that reads it; boxes of one layer are then pushed apart to a minimum gap.
 *
 * Browser-safe and deterministic: the same graph gives the same picture everywhere.
 */
import type { DType, Graph, Node, Tensor } from './graph';

export interface LayoutBox {
  /** Tensor name: a leaf's own name, or an op's output name. */
  id: string;
  kind: 'leaf' | 'op';
  dtype: DType;
  /** The op type ('MatMul'), or '' for a leaf. */
  op: string;
  /** The node's name in the graph (ops only). */
  node: string;
  shape: readonly (number | string)[];
  layer: number;
  /** Centre. */
  x: number;
  y: number;
}

export interface LayoutEdge {
  /** `${to}:${input}`: unique per (consumer, input slot). */
  id: string;
  from: string;
  to: string;
  /** Which input of the consumer op this edge is. */
  input: number;
}

export interface Layout {
  boxes: LayoutBox[];
  edges: LayoutEdge[];
  width: number;
  height: number;
  /** Op ids in an order the forward pass can run them (creation order). */
  forwardOrder: string[];
}

export interface LayoutOptions {
  /** Horizontal distance between box centres (min), and vertical distance between layers. */
  dx?: number;
  dy?: number;
  /** Margin around everything (box half-sizes included). */
  margin?: number;
}

/** The forward nodes `loss` depends on, in creation order (a topological order). */
export function nodesBehind(
  graph: Graph,
  loss: Tensor,
  nodes: readonly Node[] = graph.nodes,
): Node[] {
  const needed = new Set<Tensor>([loss]);
  const kept: Node[] = [];
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i] as Node;
    if (!n.outputs.some((o) => needed.has(o))) continue;
    kept.push(n);
    for (const t of n.inputs) needed.add(t);
  }
  return kept.reverse();
}

/** Keep boxes of one layer at least `gap` apart, moving them as little as possible on average. */
function separate(l: LayoutBox[], gap: number): void {
  if (l.length < 2) return;
  l.sort((p, q) => p.x - q.x);
  const wanted = l.reduce((s, b) => s + b.x, 0) / l.length;
  for (let i = 1; i < l.length; i++) {
    const prev = l[i - 1] as LayoutBox;
    const b = l[i] as LayoutBox;
    if (b.x < prev.x + gap) b.x = prev.x + gap;
  }
  const shift = wanted - l.reduce((s, b) => s + b.x, 0) / l.length;
  for (const b of l) b.x += shift;
}

/** Lay out the nodes that compute `loss`. */
export function layoutGraph(graph: Graph, loss: Tensor, opts: LayoutOptions = {}): Layout {
  const dx = opts.dx ?? 120;
  const dy = opts.dy ?? 64;
  const margin = opts.margin ?? 60;
  const nodes = nodesBehind(graph, loss);
  const constants = new Set(graph.constants.map((c) => c.tensor));
  const producer = new Map<Tensor, Node>();
  for (const n of nodes) for (const o of n.outputs) producer.set(o, n);

  // Boxes and edges.
  const boxes = new Map<string, LayoutBox>();
  const edges: LayoutEdge[] = [];
  const idOf = (t: Tensor): string => t.name;
  for (const n of nodes) {
    const out = n.outputs[0] as Tensor;
    n.inputs.forEach((t, k) => {
      if (constants.has(t)) return;
      if (!producer.has(t) && !boxes.has(idOf(t))) {
        boxes.set(idOf(t), {
          id: idOf(t),
          kind: 'leaf',
          dtype: t.dtype,
          op: '',
          node: '',
          shape: t.shape,
          layer: 0,
          x: 0,
          y: 0,
        });
      }
      edges.push({ id: `${idOf(out)}:${k}`, from: idOf(t), to: idOf(out), input: k });
    });
    boxes.set(idOf(out), {
      id: idOf(out),
      kind: 'op',
      dtype: out.dtype,
      op: n.opType,
      node: n.name,
      shape: out.shape,
      layer: 0,
      x: 0,
      y: 0,
    });
  }

  // Layers: ops by longest path; leaves just above their first reader.
  const parents = new Map<string, string[]>();
  const children = new Map<string, string[]>();
  for (const e of edges) {
    parents.set(e.to, [...(parents.get(e.to) ?? []), e.from]);
    children.set(e.from, [...(children.get(e.from) ?? []), e.to]);
  }
  const forwardOrder = nodes.map((n) => idOf(n.outputs[0] as Tensor));
  for (const id of forwardOrder) {
    const b = boxes.get(id) as LayoutBox;
    const ps = (parents.get(id) ?? [])
      .map((p) => boxes.get(p) as LayoutBox)
      .filter((p) => p.kind === 'op');
    b.layer = ps.length ? 1 + Math.max(...ps.map((p) => p.layer)) : 1;
  }
  for (const b of boxes.values()) {
    if (b.kind !== 'leaf') continue;
    const cs = (children.get(b.id) ?? []).map((c) => (boxes.get(c) as LayoutBox).layer);
    b.layer = Math.max(0, Math.min(...cs) - 1);
  }

  // x, top down: an op sits under the mean of the ops that feed it, so the main chain runs
  // straight; leaves sit beside the op that reads them (left and right when it has no op above).
  const depth = Math.max(...[...boxes.values()].map((b) => b.layer)) + 1;
  const layers: LayoutBox[][] = Array.from({ length: depth }, () => []);
  for (const b of boxes.values()) (layers[b.layer] as LayoutBox[]).push(b);
  const mean = (xs: number[]): number => xs.reduce((p, q) => p + q, 0) / xs.length;
  for (let i = 1; i < depth; i++) {
    const ops = (layers[i] as LayoutBox[]).filter((b) => b.kind === 'op');
    for (const b of ops) {
      const above = (parents.get(b.id) ?? [])
        .map((p) => boxes.get(p) as LayoutBox)
        .filter((p) => p.kind === 'op');
      b.x = above.length ? mean(above.map((p) => p.x)) : 0;
    }
    separate(ops, dx);
    for (const b of ops) {
      const hasOpAbove = (parents.get(b.id) ?? []).some(
        (p) => (boxes.get(p) as LayoutBox).kind === 'op',
      );
      const leaves = (parents.get(b.id) ?? [])
        .map((p) => boxes.get(p) as LayoutBox)
        .filter((p) => p.kind === 'leaf' && p.layer === b.layer - 1);
      leaves.forEach((leaf, k) => {
        leaf.x = hasOpAbove ? b.x + (k + 1) * dx : b.x + (k - (leaves.length - 1) / 2) * dx;
      });
    }
  }
  for (const l of layers) separate(l, dx);

  const xs = [...boxes.values()].map((b) => b.x);
  const minX = Math.min(...xs);
  const maxX = Math.max(...xs);
  for (const b of boxes.values()) {
    b.x = Math.round(b.x - minX + margin);
    b.y = Math.round(b.layer * dy + margin * 0.6);
  }
  return {
    boxes: [...boxes.values()],
    edges,
    width: Math.round(maxX - minX + 2 * margin),
    height: Math.round((depth - 1) * dy + margin * 1.2),
    forwardOrder,
  };
}
