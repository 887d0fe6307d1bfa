/**
 * The bigram table from the model itself: feed the 27 contexts [., ., c] and read each output
 * row, P(next | previous = c). Used at build time (Node) and live (browser) alike.
 */
import type { Predict } from '../../../models/names/lm';
import { V } from '../../../models/names/vocab';

/** Row-major [V * V]: entry r * V + c is P(c | r). */
export async function bigramProbs(predict: Predict): Promise<number[]> {
  const contexts = Array.from({ length: V }, (_, r) => [0, 0, r]);
  return Array.from(await predict(contexts));
}

/** Colour scale 0..1: counts on a log scale (they span four orders of magnitude), probabilities by sqrt. */
export function shadeOf(values: readonly number[], view: 'counts' | 'probs'): number[] {
  const f = view === 'counts' ? Math.log1p : Math.sqrt;
  const max = Math.max(...values.map((v) => (Number.isFinite(v) && v > 0 ? f(v) : 0)));
  return values.map((v) => (Number.isFinite(v) && v > 0 && max > 0 ? f(v) / max : 0));
}

/** A card's count table (`tables.counts`, [V][V]) flattened, or null if absent or malformed. */
export function flatCounts(rows: readonly (readonly number[])[] | undefined): number[] | null {
  if (!rows || rows.length !== V) return null;
  const flat = rows.flat();
  return flat.length === V * V && flat.every((x) => Number.isFinite(x) && x >= 0) ? flat : null;
}
