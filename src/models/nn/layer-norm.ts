/**
 * Layer normalisation as a block with its own parameters: each position's C features are
 * shifted to mean 0 and scaled to variance 1, then scaled by `gain` and shifted by `bias`.
 */
import type { Tensor } from '../graph/graph';
import * as op from '../graph/ops';
import type { Params } from './params';

export interface LayerNorm {
  /** (C), starts at 1 */
  gain: Tensor;
  /** (C), starts at 0 */
  bias: Tensor;
}

export function layerNormParams(p: Params, channels: number): LayerNorm {
  return { gain: p.ones('gain', [channels]), bias: p.zeros('bias', [channels]) };
}

/** x (..., C) -> (..., C) */
export function layerNorm(x: Tensor, w: LayerNorm, eps = 1e-5): Tensor {
  return op.layerNorm(x, w.gain, w.bias, eps);
}
