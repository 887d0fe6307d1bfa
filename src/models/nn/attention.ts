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
  const t = x.shape[1];
  if (typeof t !== 'number') throw new Error('causalSelfAttention: T must be static');
  const a = selfAttention(x, nHead, w, { mask: maskFor(x.graph, t) });
  return { out: a.out, weights: a.weights };
}

export interface SelfAttentionOut extends AttentionOut {
  /** (B, H, S, d): the keys and values attended over (S = T, or the cache's length + T) */
  keys: Tensor;
  values: Tensor;
}

/**
 * The same attention, for any T (symbolic is fine), in one of two ways:
 *   mask   additive (T, T), the causal mask cut to the text's length: the whole text at once;
 *   cache  keys and values (B, H, P, d) of the P positions before: x holds the next position(s),
 *          which attend to the cache and to themselves, no mask needed for one new position.
 * `keys` and `values` are what the next step's cache is.
 */
export function selfAttention(
  x: Tensor,
  nHead: number,
  w: Attention,
  opts: { mask?: Tensor; cache?: { keys: Tensor; values: Tensor; length: string } },
): SelfAttentionOut {
  const c = x.shape[2];
  if (typeof c !== 'number') throw new Error('selfAttention: C must be static');
  if (c % nHead !== 0) throw new Error(`selfAttention: ${nHead} heads do not divide C=${c}`);
  const d = c / nHead;

  // (B, T, C) -> (B, H, T, d)
  const heads = (u: Tensor): Tensor => op.transpose(op.reshapeTail(u, 2, [nHead, d]), [0, 2, 1, 3]);
  const [q, k, v] = op.split(linear(x, w.qkv), [c, c, c], -1).map(heads) as [
    Tensor,
    Tensor,
    Tensor,
  ];
  const cache = opts.cache;
  const keys = cache ? op.concat([cache.keys, k], 2, cache.length) : k;
  const values = cache ? op.concat([cache.values, v], 2, cache.length) : v;

  let scores = op.mul(op.matmul(q, op.transposeLast(keys)), 1 / Math.sqrt(d)); // (B, H, T, S)
  if (opts.mask) scores = op.add(scores, opts.mask); // (T, T), broadcast over B and H
  const weights = op.softmax(scores, -1);

  const y = op.matmul(weights, values); // (B, H, T, d)
  const merged = op.reshapeTail(op.transpose(y, [0, 2, 1, 3]), 2, [c]); // (B, T, C)
  return { out: linear(merged, w.proj), weights, keys, values };
}
