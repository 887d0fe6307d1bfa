/**
 * A TrainSet of packed rows (positions.ts packedRows): tokens, targets and weights as
 * sequenceSet feeds them, plus each position's index within its own sequence (`positions`) and
 * the additive mask [B, T, T] that lets a sequence attend only to itself, causally (`mask`).
 */
import { MASKED } from '../graph/ops';
import { packedMask, type PackedRows } from '../positions';
import { sequenceSet, type TrainSet } from './step';

export function packedSet(
  p: PackedRows,
  names = { positions: 'positions', mask: 'mask' },
): TrainSet {
  const base = sequenceSet(p);
  const L = p.length;
  return {
    count: p.count,
    positions: (rows) => base.positions(rows),
    feeds(rows) {
      const positions = new Array<number>(rows.length * L);
      const mask = new Float32Array(rows.length * L * L);
      for (let b = 0; b < rows.length; b++) {
        const r = rows[b] as number;
        for (let t = 0; t < L; t++) positions[b * L + t] = p.offsets[r * L + t] as number;
        packedMask(p, r, mask.subarray(b * L * L, (b + 1) * L * L), MASKED);
      }
      return {
        ...base.feeds(rows),
        [names.positions]: { dtype: 'int64', data: positions, dims: [rows.length, L] },
        [names.mask]: { dtype: 'float32', data: mask, dims: [rows.length, L, L] },
      };
    },
  };
}
