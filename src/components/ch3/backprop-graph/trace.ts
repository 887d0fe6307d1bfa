/**
 * Figure "backprop-graph", the computation behind it (browser-safe, runtime-agnostic): build a
 * graph with the builder, differentiate it with our autodiff, and export ONE ONNX file whose
 * outputs are every intermediate value, every dLoss/dTensor, and, for every edge, the
 * gradient the edge carries back (the consumer's gradient rule applied to its upstream
 * gradient). A second file computes only the loss, for finite differences.
 *
 * Two graphs: a four-input scalar expression, and the chapter-1 MLP on one training example.
 */
import { gradients } from '../../../models/graph/autodiff';
import type { Graph, Node, Tensor } from '../../../models/graph/graph';
import { Graph as GraphClass } from '../../../models/graph/graph';
import { layoutGraph, nodesBehind, type Layout } from '../../../models/graph/layout';
import * as op from '../../../models/graph/ops';
import { CONTEXT } from '../../../models/names/vocab';
import { buildLab } from '../../../models/names/mlp-lab';
import type { Feed, GraphRunner } from '../../../models/train/step';

export type ExampleKind = 'expr' | 'mlp';

export interface TraceGraph {
  kind: ExampleKind;
  layout: Layout;
  /** Outputs: values (tensor names), g_<id>, e_<edge>, and (scalar graph) l_<edge>. */
  bytes: Uint8Array;
  /** Output `loss` only. */
  lossBytes: Uint8Array;
  lossId: string;
  /** Box ids that have a gradient (float tensors the loss depends on through differentiable ops). */
  withGrad: string[];
  /** Edge ids that carry a gradient. */
  edgesWithGrad: string[];
  /** True when every tensor is a scalar: edges also show their local derivative. */
  scalar: boolean;
  /** Differentiable leaves (inputs or parameters) with their shapes, for the "check" control. */
  leaves: { id: string; shape: number[] }[];
  /** Initial parameter values for the MLP (by name); the expression has none. */
  params: Record<string, Float64Array>;
}

/** Output names: ONNX names may not contain ':' safely everywhere. */
export const gradOut = (id: string): string => `g_${id}`;
export const edgeOut = (edge: string): string => `e_${edge.replace(':', '_')}`;
export const localOut = (edge: string): string => `l_${edge.replace(':', '_')}`;

export const EXPR_INPUTS = ['a', 'b', 'c', 'd'] as const;
export type ExprInput = (typeof EXPR_INPUTS)[number];

/** L = tanh(a·b + c)·d, named step by step. */
function exprGraph(): { g: Graph; loss: Tensor } {
  const g = new GraphClass('expression');
  const [a, b, c, d] = EXPR_INPUTS.map((n) => g.input(n, 'float32', [])) as [
    Tensor,
    Tensor,
    Tensor,
    Tensor,
  ];
  const e = g.label(op.mul(a, b), 'e'); // e = a·b
  const f = g.label(op.add(e, c), 'f'); // f = e + c
  const h = g.label(op.tanh(f), 'h'); // h = tanh(f)
  const loss = g.label(op.mul(h, d), 'L'); // L = h·d
  return { g, loss };
}

/** Gradients for as many of `candidates` as reach the loss (stopGradient cuts some off). */
function reachableGradients(loss: Tensor, candidates: Tensor[]): Map<Tensor, Tensor> {
  let wrt = candidates;
  for (;;) {
    try {
      const gs = gradients(loss, wrt);
      return new Map(wrt.map((t, i) => [t, gs[i] as Tensor]));
    } catch (e) {
      const m = /gradients: (\S+) does not reach the loss/.exec(
        e instanceof Error ? e.message : '',
      );
      if (!m) throw e;
      // A dead branch (e.g. the max inside log-softmax). The nodes the failed attempt added are
      // unused and left out of the export.
      wrt = wrt.filter((t) => t.name !== m[1]);
    }
  }
}

export function traceGraph(kind: ExampleKind, seed = 1): TraceGraph {
  let g: Graph;
  let loss: Tensor;
  let params: Record<string, Float64Array> = {};
  if (kind === 'expr') {
    ({ g, loss } = exprGraph());
  } else {
    const lab = buildLab(seed, 'random');
    g = lab.trainable.graph;
    loss = g.label(lab.trainable.loss, 'loss');
    params = Object.fromEntries(
      lab.trainable.params.map((p) => [p.name, Float64Array.from(g.paramValues(p))]),
    );
  }
  // The expression's margin leaves room for an edge label beside the outermost boxes.
  const layout = layoutGraph(
    g,
    loss,
    kind === 'expr' ? { dx: 150, dy: 92, margin: 110 } : { dx: 138, dy: 58, margin: 62 },
  );
  const forward: Node[] = nodesBehind(g, loss);
  const byName = new Map<string, Tensor>();
  for (const n of forward) for (const t of [...n.inputs, ...n.outputs]) byName.set(t.name, t);
  const drawn = layout.boxes.map((b) => byName.get(b.id) as Tensor);
  const floats = drawn.filter((t) => t.dtype === 'float32' || t.dtype === 'float64');
  const grads = reachableGradients(loss, floats);

  const outputs: Record<string, Tensor> = {};
  const leafIds = new Set(layout.boxes.filter((b) => b.kind === 'leaf').map((b) => b.id));
  for (const t of drawn) if (!leafIds.has(t.name)) outputs[t.name] = t;
  for (const [t, gt] of grads) outputs[gradOut(t.name)] = gt;

  // Per edge: what the consumer's gradient rule sends back along it.
  const scalar = drawn.every((t) => t.rank === 0);
  const edgesWithGrad: string[] = [];
  for (const n of forward) {
    const out = n.outputs[0] as Tensor;
    const upstream = grads.get(out);
    if (!upstream || !n.backward) continue;
    const sent = n.backward(upstream);
    const local = scalar ? n.backward(op.onesLike(out)) : [];
    n.inputs.forEach((t, k) => {
      const s = sent[k];
      const edge = `${out.name}:${k}`;
      if (!s || !grads.has(t) || !layout.edges.some((e) => e.id === edge)) return;
      outputs[edgeOut(edge)] = s;
      const l = local[k];
      if (l) outputs[localOut(edge)] = l;
      edgesWithGrad.push(edge);
    });
  }

  const leaves = drawn
    .filter((t) => leafIds.has(t.name) && grads.has(t))
    .map((t) => ({ id: t.name, shape: t.shape as number[] }));
  const paramsMode = 'inputs';
  return {
    kind,
    layout,
    bytes: g.toOnnx({ outputs, params: paramsMode }),
    lossBytes: g.toOnnx({ outputs: { loss }, params: paramsMode }),
    lossId: loss.name,
    withGrad: [...grads.keys()].map((t) => t.name),
    edgesWithGrad,
    scalar,
    leaves,
    params,
  };
}

// ---------------------------------------------------------------------------------------------
// Feeds and results

export interface ExprInputs {
  a: number;
  b: number;
  c: number;
  d: number;
}

export interface MlpExample {
  /** The CONTEXT previous character ids. */
  ctx: number[];
  target: number;
}

export function exprFeeds(x: ExprInputs): Record<string, Feed> {
  const feeds: Record<string, Feed> = {};
  for (const k of EXPR_INPUTS) feeds[k] = { dtype: 'float32', data: [x[k]], dims: [] };
  return feeds;
}

export function mlpFeeds(
  tg: TraceGraph,
  ex: MlpExample,
  params: Record<string, Float64Array> = tg.params,
): Record<string, Feed> {
  const feeds: Record<string, Feed> = {
    ctx: { dtype: 'int64', data: ex.ctx, dims: [1, CONTEXT] },
    targets: { dtype: 'int64', data: [ex.target], dims: [1, 1] },
  };
  for (const leaf of tg.leaves) {
    const v = params[leaf.id];
    if (v) feeds[leaf.id] = { dtype: 'float32', data: v, dims: leaf.shape };
  }
  return feeds;
}

/** What a box or an edge shows; small enough to ship in the page as build-time props. */
export interface Summary {
  shape: number[];
  /** Every value, when there are at most MAX_VALUES. */
  values?: number[];
  norm: number;
  maxAbs: number;
  nonzero: number;
  /** For matrices with at most 32 rows: the norm of each row (which embedding rows got gradient). */
  rowNorms?: number[];
}

const MAX_VALUES = 32;

export function summarize(data: ArrayLike<number>, shape: readonly number[]): Summary {
  let sq = 0;
  let maxAbs = 0;
  let nonzero = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    sq += v * v;
    maxAbs = Math.max(maxAbs, Math.abs(v));
    if (v !== 0) nonzero++;
  }
  const s: Summary = { shape: [...shape], norm: Math.sqrt(sq), maxAbs, nonzero };
  if (data.length <= MAX_VALUES) s.values = Array.from(data);
  const [rows, cols] = shape;
  if (shape.length === 2 && rows !== undefined && cols !== undefined && rows <= 32 && rows > 1) {
    s.rowNorms = Array.from({ length: rows }, (_, r) => {
      let q = 0;
      for (let c = 0; c < cols; c++) q += (data[r * cols + c] as number) ** 2;
      return Math.sqrt(q);
    });
  }
  return s;
}

export interface TraceResult {
  loss: number;
  values: Record<string, Summary>;
  grads: Record<string, Summary>;
  edges: Record<string, Summary>;
  locals: Record<string, Summary>;
}

function shapeOfBox(tg: TraceGraph, id: string, n: number): number[] {
  const b = tg.layout.boxes.find((x) => x.id === id);
  const shape = (b?.shape ?? []).map((d) => (typeof d === 'number' ? d : 1));
  return shape.reduce((p, q) => p * q, 1) === n ? shape : [n];
}

/** One run: every value and gradient. Leaves' values are what was fed. */
export async function runTrace(
  runner: GraphRunner,
  tg: TraceGraph,
  feeds: Record<string, Feed>,
): Promise<{ result: TraceResult; raw: Record<string, Float64Array> }> {
  const raw = await runner.run(feeds);
  const values: Record<string, Summary> = {};
  const grads: Record<string, Summary> = {};
  const edges: Record<string, Summary> = {};
  const locals: Record<string, Summary> = {};
  for (const b of tg.layout.boxes) {
    const v = raw[b.id] ?? (feeds[b.id] ? Float64Array.from(feeds[b.id]?.data ?? []) : undefined);
    if (v) values[b.id] = summarize(v, shapeOfBox(tg, b.id, v.length));
    const gv = raw[gradOut(b.id)];
    if (gv) grads[b.id] = summarize(gv, shapeOfBox(tg, b.id, gv.length));
  }
  for (const e of tg.edgesWithGrad) {
    const from = tg.layout.edges.find((x) => x.id === e)?.from ?? '';
    const ev = raw[edgeOut(e)];
    if (ev) edges[e] = summarize(ev, shapeOfBox(tg, from, ev.length));
    const lv = raw[localOut(e)];
    if (lv) locals[e] = summarize(lv, [lv.length]);
  }
  const loss = raw[tg.lossId]?.[0] ?? NaN;
  return { result: { loss, values, grads, edges, locals }, raw };
}

export interface FdCheck {
  leaf: string;
  index: number;
  eps: number;
  plus: number;
  minus: number;
  /** (L(x+ε) − L(x−ε)) / 2ε */
  fd: number;
  /** The backward pass's value for the same entry. */
  grad: number;
  agrees: boolean;
}

/** Central finite difference on one entry of one leaf: two more forward runs of the loss graph. */
export async function finiteDifference(
  lossRunner: GraphRunner,
  feeds: Record<string, Feed>,
  leaf: string,
  index: number,
  grad: number,
  eps = 1e-3,
): Promise<FdCheck> {
  const base = feeds[leaf];
  if (!base) throw new Error(`no input ${leaf}`);
  const at = async (delta: number): Promise<number> => {
    const data = Float64Array.from(base.data);
    data[index] = (data[index] as number) + delta;
    const out = await lossRunner.run({ ...feeds, [leaf]: { ...base, data } }, ['loss']);
    return out['loss']?.[0] ?? NaN;
  };
  const plus = await at(eps);
  const minus = await at(-eps);
  const fd = (plus - minus) / (2 * eps);
  // float32 loss: rounding alone moves fd by about |L|·6e-8/ε.
  const agrees = Math.abs(fd - grad) <= 2e-3 + 2e-2 * Math.abs(grad);
  return { leaf, index, eps, plus, minus, fd, grad, agrees };
}
