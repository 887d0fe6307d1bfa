/**
 * Chapter 5's GPTs from their own weights (`pos`, `emb.table`, `block{l}.…`, as namedWeights
 * reads them from the .onnx file), in the page or at build time (no Node imports here): the
 * first layer's attention redone in plain arithmetic, one head and one query at a time, and the
 * cosine similarities of the learned position vectors.
 *
 * Layer 0 is the one layer whose input needs no other layer: LN1(C[w_t] + P[t]). The arithmetic
 * follows src/models/gpt/model.ts and src/models/nn/attention.ts step for step (one qkv linear
 * split into q, k, v in that order; head h is columns h*d .. h*d + d - 1 of each; scores scaled
 * by 1/sqrt(d); the additive causal mask MASKED; softmax over the keys), in float64.
 */
import { MASKED } from '../../models/graph/ops';
import type { NamedWeight } from '../../models/graph/proto-read';

/** A weight by parameter name (models/graph/proto-read.ts namedWeights reads them). */
export type Weight = NamedWeight;
export type Weights = ReadonlyMap<string, NamedWeight>;

function get(w: Weights, name: string): Weight {
  const v = w.get(name);
  if (!v) throw new Error(`the model has no weight "${name}"`);
  return v;
}

/** The weights layer 0's attention reads. */
export const LAYER0_WEIGHTS = [
  'emb.table',
  'pos',
  'block0.ln1.gain',
  'block0.ln1.bias',
  'block0.att.qkv.weight',
  'block0.att.qkv.bias',
] as const;

/** Layer normalization of one row, eps as in src/models/nn/layer-norm.ts. */
export function layerNormRow(
  x: ArrayLike<number>,
  gain: ArrayLike<number>,
  bias: ArrayLike<number>,
  eps = 1e-5,
): Float64Array {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i] as number;
  mean /= n;
  let variance = 0;
  for (let i = 0; i < n; i++) variance += ((x[i] as number) - mean) ** 2;
  variance /= n;
  const s = 1 / Math.sqrt(variance + eps);
  return Float64Array.from(
    { length: n },
    (_, i) => ((x[i] as number) - mean) * s * (gain[i] as number) + (bias[i] as number),
  );
}

/** One query of one head of layer 0, every stage of [-@eq:attention]. */
export interface HeadStep {
  /** Head width d = C / H. */
  d: number;
  /** The query position i (0-based) and the positions it may see, 0 .. i. */
  query: number;
  /** q_i [d] */
  q: number[];
  /** k_j [d] and v_j [d] for every position j of the text (those after i are masked). */
  keys: number[][];
  values: number[][];
  /** q_i . k_j for every j */
  scores: number[];
  /** scores / sqrt(d) */
  scaled: number[];
  /** scaled + mask (MASKED for j > i) */
  masked: number[];
  /** softmax(masked): the attention weights, 0 for j > i */
  weights: number[];
  /** sum_j weights_j v_j [d] */
  out: number[];
}

/**
 * Layer 0, head `head`, query position `query`, over the token ids `ids` (positions 0 .. T-1).
 * `heads` is the model's head count (config.heads).
 */
export function layer0Head(
  w: Weights,
  heads: number,
  ids: readonly number[],
  head: number,
  query: number,
): HeadStep {
  const table = get(w, 'emb.table');
  const pos = get(w, 'pos');
  const C = table.dims[1] as number;
  const d = C / heads;
  const gain = get(w, 'block0.ln1.gain').values;
  const bias = get(w, 'block0.ln1.bias').values;
  const W = get(w, 'block0.att.qkv.weight').values; // [C, 3C]
  const b = get(w, 'block0.att.qkv.bias').values; // [3C]
  if (ids.length > (pos.dims[0] as number)) throw new Error('text longer than the context');
  if (query < 0 || query >= ids.length) throw new Error(`query ${query} outside the text`);
  // One of q, k, v (part 0, 1, 2) for this head at position t.
  const project = (u: Float64Array, part: number): number[] =>
    Array.from({ length: d }, (_, k) => {
      const col = part * C + head * d + k;
      let s = b[col] as number;
      for (let i = 0; i < C; i++) s += (u[i] as number) * (W[i * 3 * C + col] as number);
      return s;
    });
  const inputs = ids.map((id, t) => {
    const x = Float64Array.from(
      { length: C },
      (_, i) => (table.values[id * C + i] as number) + (pos.values[t * C + i] as number),
    );
    return layerNormRow(x, gain, bias);
  });
  const q = project(inputs[query] as Float64Array, 0);
  const keys = inputs.map((u) => project(u, 1));
  const values = inputs.map((u) => project(u, 2));
  const scores = keys.map((k) => k.reduce((s, kk, i) => s + kk * (q[i] as number), 0));
  const scaled = scores.map((s) => s / Math.sqrt(d));
  const masked = scaled.map((s, j) => (j > query ? s + MASKED : s));
  const max = Math.max(...masked);
  const e = masked.map((s) => Math.exp(s - max));
  const total = e.reduce((a, x) => a + x, 0);
  const weights = e.map((x) => x / total);
  const out = Array.from({ length: d }, (_, k) =>
    values.reduce((s, v, j) => s + (weights[j] as number) * (v[k] as number), 0),
  );
  return { d, query, q, keys, values, scores, scaled, masked, weights, out };
}

/** Cosine similarity of every pair of rows of a [n, C] matrix, row-major [n * n]. */
export function cosineMatrix(m: Weight): Float64Array {
  const n = m.dims[0] as number;
  const C = m.dims[1] as number;
  const norms = Float64Array.from({ length: n }, (_, i) => {
    let s = 0;
    for (let k = 0; k < C; k++) s += (m.values[i * C + k] as number) ** 2;
    return Math.sqrt(s) || 1;
  });
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < C; k++)
        s += (m.values[i * C + k] as number) * (m.values[j * C + k] as number);
      out[i * n + j] = s / ((norms[i] as number) * (norms[j] as number));
    }
  return out;
}
