/**
 * Drawing the next token from a model's probabilities, shared by every generator of the book
 * (chapter 4's character LSTM, chapter 5's GPT): temperature, top-k and top-p (nucleus), then
 * exactly one draw from a seeded Rng whatever the settings, so that the stream of draws stays
 * aligned and the same settings always give the same text. Browser-safe.
 */
import type { Rng } from './rng';

export interface SampleOptions {
  /** 0: always the most likely token; 1: the model as trained. */
  temperature: number;
  /** Draw only among the k most likely tokens; 0 for all. */
  topK: number;
  /**
   * Draw only among the fewest most likely tokens whose probabilities (after temperature and
   * top-k) add up to at least topP; 1 (or absent) for all.
   */
  topP?: number;
}

/**
 * The id to emit from `probs` among the ids `allowed` says may be drawn (ids of probability 0
 * are never drawn): temperature, top-k, top-p, then one draw from `rng`.
 */
export function pickToken(
  probs: ArrayLike<number>,
  { temperature, topK, topP = 1 }: SampleOptions,
  rng: Rng,
  allowed: (id: number) => boolean,
): number {
  const u = rng.next();
  // Only the top k (or the top 1 at temperature 0) are ever looked at: rank just those.
  const ids = ranked(probs, allowed, temperature <= 0.01 ? 1 : topK > 0 ? topK : Infinity);
  if (ids.length === 0) {
    for (let i = 0; i < probs.length; i++) if (allowed(i)) return i;
    return 0;
  }
  if (temperature <= 0.01) return ids[0] as number;
  let kept = topK > 0 ? ids.slice(0, topK) : ids;
  // p^(1/T), relative to the largest, in log space so that small T cannot overflow.
  const top = Math.log(probs[kept[0] as number] as number);
  let w = kept.map((i) => Math.exp((Math.log(probs[i] as number) - top) / temperature));
  let total = 0;
  for (const x of w) total += x;
  if (topP < 1) {
    // The nucleus: the shortest prefix (most likely first) holding at least topP of the mass.
    let mass = 0;
    let n = 0;
    while (n < w.length && mass < topP * total) mass += w[n++] as number;
    kept = kept.slice(0, Math.max(1, n));
    w = w.slice(0, kept.length);
    total = mass > 0 ? mass : (w[0] as number);
  }
  let r = u * total;
  for (let j = 0; j < kept.length; j++) {
    r -= w[j] as number;
    if (r < 0) return kept[j] as number;
  }
  return kept[kept.length - 1] as number;
}

const bits = new Uint32Array(1);
const asFloat = new Float32Array(bits.buffer);

/**
 * The allowed ids of non-zero probability, most likely first (ties: the smaller id first), at
 * most `limit` of them. For float32 probabilities (every model output), Float64 keys (the
 * float's bits, which order positive floats, then the id): all of them sorted with one native
 * numeric sort, or, when only the first `limit` are wanted, those picked by a min-heap of
 * `limit` keys and sorted (a comparator sort of a 5,000-word vocabulary took milliseconds per
 * token, longer than the model's step). Keys are unique, so both give the full order's prefix.
 */
function ranked(
  probs: ArrayLike<number>,
  allowed: (id: number) => boolean,
  limit = Infinity,
): number[] {
  const V = probs.length;
  if (!(probs instanceof Float32Array) || V > 1 << 20) {
    const ids: number[] = [];
    for (let i = 0; i < V; i++) if (allowed(i) && (probs[i] as number) > 0) ids.push(i);
    return ids.sort((a, b) => (probs[b] as number) - (probs[a] as number) || a - b).slice(0, limit);
  }
  let span = 1;
  while (span < V) span *= 2;
  const keys = new Float64Array(V);
  let n = 0;
  for (let i = 0; i < V; i++) {
    const p = probs[i] as number;
    if (!(p > 0) || !allowed(i)) continue;
    asFloat[0] = p;
    // Ascending keys: smaller probability first, and among equals the larger id first.
    keys[n++] = (bits[0] as number) * span + (span - 1 - i);
  }
  const top = n > limit ? largest(keys.subarray(0, n), limit) : keys.subarray(0, n);
  const sorted = top.sort();
  const m = sorted.length;
  const ids = new Array<number>(m);
  for (let j = 0; j < m; j++) ids[j] = span - 1 - ((sorted[m - 1 - j] as number) % span);
  return ids;
}

/** The `k` largest of `xs` (k < xs.length), in no particular order: a min-heap of k. */
function largest(xs: Float64Array, k: number): Float64Array {
  const heap = Float64Array.from(xs.subarray(0, k));
  const down = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < k && (heap[l] as number) < (heap[m] as number)) m = l;
      if (r < k && (heap[r] as number) < (heap[m] as number)) m = r;
      if (m === i) return;
      const t = heap[i] as number;
      heap[i] = heap[m] as number;
      heap[m] = t;
      i = m;
    }
  };
  for (let i = (k >> 1) - 1; i >= 0; i--) down(i);
  for (let j = k; j < xs.length; j++) {
    const x = xs[j] as number;
    if (x > (heap[0] as number)) {
      heap[0] = x;
      down(0);
    }
  }
  return heap;
}
