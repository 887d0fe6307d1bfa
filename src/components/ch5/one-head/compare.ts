/** The model's own attention next to the figure's arithmetic (page and build time). */
import type { Out } from '../../../models/contract';

/** Row `query` of head `head` in layer `layer` of an attention output [1, L, H, T, T]. */
export function modelAttentionRow(att: Out, layer: number, head: number, query: number): number[] {
  const [, , H, T] = att.dims as [number, number, number, number, number];
  const at = ((layer * H + head) * T + query) * T;
  return Array.from(att.data.subarray(at, at + T));
}

/** The largest |a_j - b_j|. */
export function maxDifference(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) return Infinity;
  return a.reduce((m, x, j) => Math.max(m, Math.abs(x - (b[j] as number))), 0);
}
