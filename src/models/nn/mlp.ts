/**
 * The feed-forward block of a Transformer: expand each position's C features to a hidden
 * width (4 C by default), GELU, project back to C. Positions do not interact here.
 */
import type { Tensor } from '../graph/graph';
import * as op from '../graph/ops';
import { linear, linearParams, type Linear } from './linear';
import type { Params } from './params';

export interface Mlp {
  /** C -> hidden */
  fc: Linear;
  /** hidden -> C */
  proj: Linear;
}

export function mlpParams(p: Params, channels: number, hidden = 4 * channels): Mlp {
  return {
    fc: linearParams(p.scope('fc'), channels, hidden),
    proj: linearParams(p.scope('proj'), hidden, channels),
  };
}

/** x (..., C) -> (..., C) */
export function mlp(x: Tensor, w: Mlp): Tensor {
  return linear(op.gelu(linear(x, w.fc)), w.proj);
}
