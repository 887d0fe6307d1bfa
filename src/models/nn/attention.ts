/**
 * Causal self-attention with several heads, written out in plain ops (no fused Attention op):
 *
 *   q, k, v = split(x Wqkv + bqkv)                          (B, T, C) each
 *   per head: (B, H, T, d), d = C / H
 *   scores  = q k^T / sqrt(d) + mask                        (B, H, T, T)
 *   weights = softmax(scores) over the keys                 (B, H, T, T)
 *   y       = weights v, heads side by side again           (B, T, C)
 *   out     = y Wproj + bproj                               (B, T, C)
 *
 * The mask (ops.causalMask) adds 0 where key j <= query i and -1e9 where j > i, so that after
 * Softmax no position attends to the future: those weights are exactly 0.
 */
import type { Graph, Tensor } from '../graph/graph';
import * as op from '../graph/ops';
import { linear, linearParams, type Linear } from './linear';
import type { Params } from './params';

export interface Attention {
  /** C -> 3 C: queries, keys and values, in that order */
  qkv: Linear;
  /** C -> C */
  proj: Linear;
}

export function attentionParams(p: Params, channels: number): Attention {
  return {
    qkv: linearParams(p.scope('qkv'), channels, 3 * channels),
    proj: linearParams(p.scope('proj'), channels, channels),
  };
}

export interface AttentionOut {
  /** (B, T, C) */
  out: Tensor;
  /** (B, H, T, T): row i holds how much query i takes from each key j (0 for j > i) */
  weights: Tensor;
}

/** One mask constant per graph and length, shared by every layer. */
const masks = new WeakMap<Graph, Map<number, Tensor>>();

function maskFor(g: Graph, t: number): Tensor {
  let byT = masks.get(g);
  if (!byT) masks.set(g, (byT = new Map()));
  let m = byT.get(t);
  if (!m) byT.set(t, (m = op.causalMask(g, t)));
  return m;
}

/** x (B, T, C) with T and C static (B may be symbolic) */
export function causalSelfAttention(x: Tensor, nHead: number, w: Attention): AttentionOut {
  const [b, t, c] = x.shape as [string | number, number, number];
  if (typeof t !== 'number' || typeof c !== 'number')
    throw new Error('causalSelfAttention: T and C must be static');
  if (c % nHead !== 0) throw new Error(`causalSelfAttention: ${nHead} heads do not divide C=${c}`);
  const d = c / nHead;

  // (B, T, C) -> (B, H, T, d)
  const heads = (u: Tensor): Tensor => op.transpose(op.reshape(u, [b, t, nHead, d]), [0, 2, 1, 3]);
  const [q, k, v] = op.split(linear(x, w.qkv), [c, c, c], -1).map(heads) as [
    Tensor,
    Tensor,
    Tensor,
  ];

  const scores = op.add(
    op.mul(op.matmul(q, op.transposeLast(k)), 1 / Math.sqrt(d)), // (B, H, T, T)
    maskFor(x.graph, t), // (T, T), broadcast over B and H
  );
  const weights = op.softmax(scores, -1); // (B, H, T, T)

  const y = op.matmul(weights, v); // (B, H, T, d)
  const merged = op.reshape(op.transpose(y, [0, 2, 1, 3]), [b, t, c]); // (B, T, C)
  return { out: linear(merged, w.proj), weights };
}
