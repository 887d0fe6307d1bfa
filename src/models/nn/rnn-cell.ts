/**
 * The plain (Elman) recurrent cell: h' = tanh(x Wx + h Wh + b).
 *
 * A cell is one time step. The unrolled training graph calls it once per step with the same
 * parameters (see unroll.ts); the page's one-step graph calls it once. Same function, same
 * weights.
 */
import type { Tensor } from '../graph/graph';
import * as op from '../graph/ops';
import type { Params } from './params';

export interface RnnParams {
  /** (nIn, H) */
  wx: Tensor;
  /** (H, H) */
  wh: Tensor;
  /** (H) */
  b: Tensor;
}

export function rnnParams(p: Params, nIn: number, hidden: number): RnnParams {
  return {
    wx: p.normal('wx', [nIn, hidden], 1 / Math.sqrt(nIn)),
    wh: p.normal('wh', [hidden, hidden], 1 / Math.sqrt(hidden)),
    b: p.zeros('b', [hidden]),
  };
}

export interface RnnState {
  /** (B, H) */
  h: Tensor;
}

/** x (B, nIn), state.h (B, H) -> h' (B, H) */
export function rnnCell(x: Tensor, state: RnnState, w: RnnParams): RnnState {
  const pre = op.add(op.add(op.matmul(x, w.wx), op.matmul(state.h, w.wh)), w.b); // (B, H)
  return { h: op.tanh(pre) };
}
