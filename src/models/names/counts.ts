/**
 * The counting models: unigram and bigram character frequencies with add-alpha smoothing.
 * They are exported as ONNX too — a lookup into a table of log-probabilities — so that the
 * page runs every model the same way: ctx int64 [B, 3] in, probs float [B, V] out.
 */
import { Graph, type Tensor } from '../graph/graph';
import * as op from '../graph/ops';
import { CONTEXT, V } from './vocab';

/** counts[a][b]: how often b follows a in the training names ('.' = start / end). */
export function bigramCounts(contexts: Int32Array, targets: Int32Array): number[][] {
  const counts = Array.from({ length: V }, () => new Array<number>(V).fill(0));
  for (let i = 0; i < targets.length; i++) {
    const prev = contexts[i * CONTEXT + CONTEXT - 1] as number;
    (counts[prev] as number[])[targets[i] as number]! += 1;
  }
  return counts;
}

/** Smoothed log-probabilities of each row: log((count + alpha) / (total + V alpha)). */
export function smoothedLogProbs(rows: readonly (readonly number[])[], alpha: number): number[][] {
  return rows.map((row) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((c) => Math.log((c + alpha) / (total + V * alpha)));
  });
}

/** Unigram: the same distribution whatever the context. table: [1][V] log-probs. */
export function unigramGraph(logp: readonly number[]): { graph: Graph; probs: Tensor } {
  const g = new Graph('unigram');
  const ctx = g.input('ctx', 'int64', ['B', CONTEXT]);
  const table = g.param('logp', [1, V], logp); // [1, V]
  // The batch size comes from ctx at run time: shape [B, V] = concat(shape(ctx)[0:1], [V]).
  const shape = op.concat([op.slice(op.shapeOf(ctx), 0, 1, 0), g.ints([V])], 0);
  const probs = op.exp(op.expand(table, shape, ['B', V])); // [B, V]
  return { graph: g, probs };
}

/** Bigram: the row of the previous character. table: [V][V] log-probs. */
export function bigramGraph(logp: readonly (readonly number[])[]): { graph: Graph; probs: Tensor } {
  const g = new Graph('bigram');
  const ctx = g.input('ctx', 'int64', ['B', CONTEXT]);
  const table = g.param('logp', [V, V], logp.flat()); // [V, V]
  const prev = op.squeeze(op.slice(ctx, CONTEXT - 1, CONTEXT, 1), [1]); // [B]
  const probs = op.exp(op.gather(table, prev)); // [B, V]
  return { graph: g, probs };
}
