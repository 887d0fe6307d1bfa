/**
 * What a head does, measured: scores computed from attention weights alone, for figure 5.5
 * ("head-gallery"). Pure functions over plain arrays (browser-safe, no model, no runtime), so
 * the build (onnxruntime-node over held-out sentences) and the unit tests (hand-made tensors)
 * call the same code.
 *
 * Attention of one sequence: a Float32Array [L, H, T, T] (batch 1 of the inspect graph's
 * `attention` output [B, L, H, T, T]); row i of head (l, h) is where query position i looks,
 * over key positions 0..i (the rest are 0, the causal mask).
 *
 * Every score is a mean, over the query positions it is defined for, of the weight a query puts
 * on one kind of key position:
 *   previous     the position just before it (i - 1), for queries i >= 1
 *   first        position 0 (the <s> every sequence starts with: an "attention sink"), i >= 1
 *   self         itself (i), for queries i >= 1 (row 0 has only itself to look at)
 *   punctuation  every position whose token is punctuation, for queries i >= 1
 *   induction    for a query whose token also occurs earlier, at j with j + 1 < i: the
 *                positions j + 1 just after those earlier occurrences ("what came next last
 *                time"), summed; queries without an earlier occurrence do not count
 * A perfect previous-token head scores 1 on `previous`; a head that spreads evenly over the
 * positions scores about 1 / (i + 1) on each single-position score.
 */

export const SCORE_KINDS = ['previous', 'first', 'self', 'punctuation', 'induction'] as const;
export type ScoreKind = (typeof SCORE_KINDS)[number];

/** Running sums of one head: total weight and number of queries counted, per score. */
export interface HeadTally {
  sum: Record<ScoreKind, number>;
  count: Record<ScoreKind, number>;
}

export interface AttentionShape {
  layers: number;
  heads: number;
}

const zeros = (): Record<ScoreKind, number> => ({
  previous: 0,
  first: 0,
  self: 0,
  punctuation: 0,
  induction: 0,
});

export function emptyTallies({ layers, heads }: AttentionShape): HeadTally[] {
  return Array.from({ length: layers * heads }, () => ({ sum: zeros(), count: zeros() }));
}

/**
 * For each position i, the positions j + 1 (j + 1 < i) just after every earlier occurrence j of
 * the token at i. Tokens for which `skip(id)` is true (the boundary, <unk>) have none: two
 * unknown words are not the same word.
 */
export function inductionTargets(
  tokens: readonly number[],
  skip: (id: number) => boolean,
): number[][] {
  const seen = new Map<number, number[]>();
  return tokens.map((id, i) => {
    if (skip(id)) return [];
    const before = seen.get(id) ?? [];
    const targets = before.map((j) => j + 1).filter((k) => k < i);
    seen.set(id, [...before, i]);
    return targets;
  });
}

/**
 * Add one sequence's attention ([L, H, T, T], T = tokens.length) to the tallies. `punct(id)`
 * says which tokens are punctuation; `skip(id)` which never count as a repeat (see above).
 * `only` restricts every score to those query positions (the second half of a repeated
 * sequence, for the standard induction test).
 */
export function tallyAttention(
  tallies: HeadTally[],
  attention: ArrayLike<number>,
  shape: AttentionShape,
  tokens: readonly number[],
  punct: (id: number) => boolean,
  skip: (id: number) => boolean,
  only?: (i: number) => boolean,
): void {
  const T = tokens.length;
  const { layers, heads } = shape;
  if (attention.length !== layers * heads * T * T)
    throw new Error(
      `attention has ${attention.length} weights; expected ${layers}x${heads}x${T}x${T}`,
    );
  const isPunct = tokens.map((id) => punct(id));
  const induction = inductionTargets(tokens, skip);
  for (let lh = 0; lh < layers * heads; lh++) {
    const t = tallies[lh] as HeadTally;
    const base = lh * T * T;
    for (let i = 1; i < T; i++) {
      if (only && !only(i)) continue;
      const row = base + i * T;
      t.sum.previous += attention[row + i - 1] as number;
      t.sum.first += attention[row] as number;
      t.sum.self += attention[row + i] as number;
      let p = 0;
      for (let j = 0; j <= i; j++) if (isPunct[j]) p += attention[row + j] as number;
      t.sum.punctuation += p;
      t.count.previous++;
      t.count.first++;
      t.count.self++;
      t.count.punctuation++;
      const targets = induction[i] as number[];
      if (targets.length > 0) {
        let s = 0;
        for (const k of targets) s += attention[row + k] as number;
        t.sum.induction += s;
        t.count.induction++;
      }
    }
  }
}

/** Mean per score; NaN where no query counted (e.g. no repeated token in the sample). */
export function meanScores(t: HeadTally): Record<ScoreKind, number> {
  const out = zeros();
  for (const k of SCORE_KINDS) out[k] = t.count[k] > 0 ? t.sum[k] / t.count[k] : NaN;
  return out;
}

/**
 * The standard induction test's input: `n` distinct random ids drawn from `pool`, repeated
 * twice after the boundary: [0, r1..rn, r1..rn] (length 2n + 1). `random` returns [0, 1).
 */
export function repeatedSequence(
  pool: readonly number[],
  n: number,
  random: () => number,
): number[] {
  if (pool.length < n)
    throw new Error(`a pool of ${pool.length} ids cannot give ${n} distinct ones`);
  const bag = [...pool];
  for (let i = bag.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [bag[i], bag[j]] = [bag[j] as number, bag[i] as number];
  }
  const r = bag.slice(0, n);
  return [0, ...r, ...r];
}

/** Query positions of the second copy in repeatedSequence's output (n + 1 .. 2n). */
export const secondHalf =
  (n: number) =>
  (i: number): boolean =>
    i > n;

/** The classes a head is put in: one per score, or none above the threshold. */
export type HeadClass = ScoreKind | 'mixed';

export interface HeadScores {
  layer: number;
  head: number;
  /** Means on held-out text. */
  text: Record<ScoreKind, number>;
  /** The induction score on repeated random tokens (the standard test). */
  repeated: number;
}

/** The scores a head is classified by: held-out text, with induction from the repeat test. */
export function classScores(s: HeadScores): Record<ScoreKind, number> {
  return { ...s.text, induction: s.repeated };
}

/**
 * A head's class: the score with the highest value if that value is at least `threshold`,
 * else 'mixed'. NaN scores never win.
 */
export function classify(s: HeadScores, threshold: number): { kind: HeadClass; score: number } {
  let best: { kind: HeadClass; score: number } = { kind: 'mixed', score: -Infinity };
  const scores = classScores(s);
  for (const k of SCORE_KINDS) {
    const v = scores[k];
    if (Number.isFinite(v) && v > best.score) best = { kind: k, score: v };
  }
  return best.score >= threshold ? best : { kind: 'mixed', score: best.score };
}

/** For each score, the head that scores highest on it (ties: the lower layer, then head). */
export function bestHeads(all: readonly HeadScores[]): Record<ScoreKind, HeadScores | undefined> {
  const out = {} as Record<ScoreKind, HeadScores | undefined>;
  for (const k of SCORE_KINDS) {
    let best: HeadScores | undefined;
    for (const s of all) {
      const v = classScores(s)[k];
      if (Number.isFinite(v) && (best === undefined || v > classScores(best)[k])) best = s;
    }
    out[k] = best;
  }
  return out;
}
