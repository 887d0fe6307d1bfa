/**
 * Dropout for a sequence model's training graph, fed rather than drawn in the graph: each mask
 * input [B, T, C] holds 0 (dropped, with probability `rate`) or 1 / (1 - rate) (kept, scaled so
 * that the expected value is unchanged), drawn from a seeded Rng, so a rebuild with the same
 * seed draws the same masks. Evaluation feeds masks of ones (nothing dropped), and the shipped
 * graphs have no masks at all.
 */
import { Rng } from '../rng';
import type { TrainSet } from './step';

export function withDropout(
  set: TrainSet,
  masks: readonly string[],
  width: number,
  rate: number,
  seed: number,
): TrainSet {
  const rng = new Rng(seed);
  const keep = 1 / (1 - rate);
  return {
    count: set.count,
    positions: (rows) => set.positions(rows),
    feeds(rows) {
      const base = set.feeds(rows);
      const [b, t] = base['tokens']?.dims ?? [];
      if (b === undefined || t === undefined) throw new Error('withDropout: no tokens feed');
      const n = b * t * width;
      const feeds = { ...base };
      for (const name of masks) {
        const data = new Float32Array(n);
        if (rate === 0) data.fill(1);
        else for (let i = 0; i < n; i++) data[i] = rng.next() < rate ? 0 : keep;
        feeds[name] = { dtype: 'float32', data, dims: [b, t, width] };
      }
      return feeds;
    },
  };
}
