/**
 * The Kneser-Ney bigram as the page needs it: the baseline's most likely next words, exactly,
 * in an ONNX lookup with the same interface as every other model (ctx int64 [B, n] in, probs
 * float32 [B, V] out), so that the next-word figure runs the baseline like the NNLM.
 *
 * The full bigram table has V x V entries (25 million for 5,000 words); about 1% are counts,
 * the rest "back off to the unigram". The page shows the top few next words only, so each row
 * keeps its k most likely words with their exact Kneser-Ney probability, and spreads what is
 * left over the other words in proportion to the Kneser-Ney unigram:
 *
 *   P(w | v) = P_KN(w | v)                   for the k words of top(v)
 *   P(w | v) = rest(v) P_1(w)                otherwise
 *   rest(v)  = (1 - sum_top P_KN(. | v)) / (1 - sum_top P_1)
 *
 * Every row sums to 1 and its top k are the baseline's own. It is a display device: the
 * baseline's perplexity is that of the full model (kneser-ney.ts), reported on the NNLM card.
 */
import { Graph, type Tensor } from '../graph/graph';
import * as op from '../graph/ops';
import { DataType } from '../graph/proto';
import type { KneserNey, KnLevel } from './kneser-ney';

export interface TopBigram {
  V: number;
  k: number;
  /** [V * k]: row v's k most likely next words under the full bigram, most likely first. */
  ids: Int32Array;
  /** [V * k]: their exact probabilities P_KN(w | v). */
  probs: Float64Array;
  /** [V]: rest(v). */
  rest: Float64Array;
  /** [V]: the Kneser-Ney unigram P_1(w). */
  unigram: Float64Array;
}

/** The exact top-k rows of a Kneser-Ney bigram. */
export function topBigram(kn: KneserNey, k: number): TopBigram {
  if (kn.order !== 2) throw new Error('topBigram needs a bigram model');
  const V = kn.V;
  const unigram = Float64Array.from({ length: V }, (_, w) => kn.prob([], w));
  // A word never seen after v has probability gamma(v) P_1(w): among those, the best are the
  // best by P_1. So the top k are among v's followers and the k best words by P_1.
  const byUnigram = [...unigram.keys()]
    .sort((a, b) => (unigram[b] as number) - (unigram[a] as number) || a - b)
    .slice(0, k);
  const followers = Array.from({ length: V }, () => [] as number[]);
  for (const key of (kn.levels[1] as KnLevel).counts.keys())
    followers[Math.floor(key / V)]!.push(key % V);

  const ids = new Int32Array(V * k);
  const probs = new Float64Array(V * k);
  const rest = new Float64Array(V);
  followers.forEach((row, v) => {
    const candidates = [...new Set([...row, ...byUnigram])].map((w) => ({ w, p: kn.prob([v], w) }));
    candidates.sort((a, b) => b.p - a.p || a.w - b.w);
    let pTop = 0;
    let uTop = 0;
    candidates.slice(0, k).forEach(({ w, p }, j) => {
      ids[v * k + j] = w;
      probs[v * k + j] = p;
      pTop += p;
      uTop += unigram[w] as number;
    });
    rest[v] = (1 - pTop) / (1 - uTop);
  });
  return { V, k, ids, probs, rest, unigram };
}

/** P(w | previous word v) under the lookup (the TypeScript reference of the graph). */
export function topBigramProb(t: TopBigram, v: number, w: number): number {
  for (let j = 0; j < t.k; j++) if (t.ids[v * t.k + j] === w) return t.probs[v * t.k + j] as number;
  return (t.rest[v] as number) * (t.unigram[w] as number);
}

/**
 * The graph: ctx [B, n] -> probs [B, V], reading only the last context word.
 * probs = rest(v) P_1 everywhere, then the top k entries corrected to their exact values.
 * Stored in float32 (not float16): the probabilities shown are the baseline's to 7 digits.
 */
export function topBigramGraph(t: TopBigram, context: number): { graph: Graph; probs: Tensor } {
  const { V, k } = t;
  const delta = t.probs.map(
    (p, i) => p - (t.rest[Math.floor(i / k)] as number) * (t.unigram[t.ids[i] as number] as number),
  );
  const g = new Graph('ngram');
  const ctx = g.input('ctx', 'int64', ['B', context]);
  const rest = g.param('rest', [V, 1], t.rest); // [V, 1]
  const unigram = g.param('unigram', [1, V], t.unigram); // [1, V]
  const correction = g.param('top_correction', [V, k], delta); // [V, k]
  // Ids below 2^24 are exact in float32: half the bytes of int64, cast back after the lookup.
  const idsF = g.constant(t.ids, [V, k], 'float32'); // [V, k]

  const prev = op.squeeze(op.slice(ctx, context - 1, context, 1), [1]); // [B]
  const base = op.mul(op.gather(rest, prev), unigram); // [B, 1] * [1, V] -> [B, V]
  const rows = op.gather(idsF, prev); // [B, k] float
  const idx = g.node(
    'Cast',
    [rows],
    { to: { kind: 'int', value: DataType.INT64 } },
    { dtype: 'int64', shape: rows.shape },
  ); // [B, k]
  const probs = op.scatterElementsAdd(base, idx, op.gather(correction, prev), 1); // [B, V]
  return { graph: g, probs };
}
