/**
 * A linear layer: y = x W + b, applied to the last axis (any leading axes are batch axes).
 */
import type { Tensor } from '../graph/graph';
import * as op from '../graph/ops';
import type { Params } from './params';

export interface Linear {
  /** (nIn, nOut) */
  weight: Tensor;
  /** (nOut), or none */
  bias?: Tensor;
}

/** W ~ normal(0, 1/sqrt(nIn)) so that x W keeps roughly unit scale; b = 0. */
export function linearParams(
  p: Params,
  nIn: number,
  nOut: number,
  opts: { bias?: boolean; std?: number } = {},
): Linear {
  const weight = p.normal('weight', [nIn, nOut], opts.std ?? 1 / Math.sqrt(nIn));
  if (opts.bias === false) return { weight };
  return { weight, bias: p.zeros('bias', [nOut]) };
}

/** x (..., nIn) -> (..., nOut) */
export function linear(x: Tensor, w: Linear): Tensor {
  const y = op.matmul(x, w.weight);
  return w.bias ? op.add(y, w.bias) : y;
}
