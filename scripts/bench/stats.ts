/** Summary statistics for benchmark samples (milliseconds). */
export interface Summary {
  n: number;
  median: number;
  p95: number;
  min: number;
  max: number;
}

/** Nearest-rank percentile of sorted samples. */
function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

export function summarize(samples: readonly number[]): Summary | null {
  const xs = samples.filter(Number.isFinite).sort((a, b) => a - b);
  if (xs.length === 0) return null;
  return {
    n: xs.length,
    median: round(percentile(xs, 0.5)),
    p95: round(percentile(xs, 0.95)),
    min: round(xs[0] as number),
    max: round(xs[xs.length - 1] as number),
  };
}
