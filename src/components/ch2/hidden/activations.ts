/**
 * Summaries of tanh activations for the hidden-layer figure (browser-safe): a histogram over
 * [-1, 1] and the share of saturated values.
 */

/** Bins over [-1, 1]. */
export const BINS = 40;
/** |h| above this counts as saturated (tanh'(x) = 1 - h^2 < 0.02). */
export const SATURATED = 0.99;

export function histogram(values: ArrayLike<number>, bins = BINS): number[] {
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) continue;
    const b = Math.min(bins - 1, Math.max(0, Math.floor(((v + 1) / 2) * bins)));
    counts[b]! += 1;
  }
  return counts;
}

export function saturatedShare(values: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (Math.abs(values[i] as number) > SATURATED) n++;
  return values.length ? n / values.length : 0;
}
