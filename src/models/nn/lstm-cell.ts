/**
 * The long short-term memory cell (Hochreiter & Schmidhuber 1997, with the forget gate of
 * Gers et al. 2000), without peepholes:
 *
 *   i = sigmoid(x Wi + h Ui + bi)     input gate
 *   f = sigmoid(x Wf + h Uf + bf)     forget gate
 *   g = tanh(x Wg + h Ug + bg)        candidate values
 *   o = sigmoid(x Wo + h Uo + bo)     output gate
 *   c' = f * c + i * g
 *   h' = o * tanh(c')
 *
 * The four gates come from one product each for x and h, (nIn, 4H) and (H, 4H), split in four
 * in the order i, f, g, o.
 */
import type { Tensor } from '../graph/graph';
import * as op from '../graph/ops';
import type { Params } from './params';

export interface LstmParams {
  /** (nIn, 4H): the x parts of i, f, g, o */
  wx: Tensor;
  /** (H, 4H): the h parts of i, f, g, o */
  wh: Tensor;
  /** (4H) */
  b: Tensor;
}

/**
 * Weights normal(0, 1/sqrt(fan-in)), biases 0 except the forget gate's, `forgetBias` (default
 * 1): a cell that starts out remembering (Jozefowicz et al. 2015).
 */
export function lstmParams(
  p: Params,
  nIn: number,
  hidden: number,
  opts: { forgetBias?: number } = {},
): LstmParams {
  const fb = opts.forgetBias ?? 1;
  return {
    wx: p.normal('wx', [nIn, 4 * hidden], 1 / Math.sqrt(nIn)),
    wh: p.normal('wh', [hidden, 4 * hidden], 1 / Math.sqrt(hidden)),
    b: p.get('b', [4 * hidden], { at: (k) => (k >= hidden && k < 2 * hidden ? fb : 0) }),
  };
}

export interface LstmState {
  /** (B, H) */
  h: Tensor;
  /** (B, H) */
  c: Tensor;
}

/** The new state and the gates, each (B, H), so that figures can show them. */
export interface LstmStep extends LstmState {
  i: Tensor;
  f: Tensor;
  g: Tensor;
  o: Tensor;
}

/** x (B, nIn), state h, c (B, H) -> h', c' (B, H) with the gates i, f, g, o */
export function lstmCell(x: Tensor, state: LstmState, w: LstmParams): LstmStep {
  const hidden = w.wh.shape[0] as number;
  const pre = op.add(op.add(op.matmul(x, w.wx), op.matmul(state.h, w.wh)), w.b); // (B, 4H)
  const [pi, pf, pg, po] = op.split(pre, [hidden, hidden, hidden, hidden], -1) as [
    Tensor,
    Tensor,
    Tensor,
    Tensor,
  ];
  const i = op.sigmoid(pi);
  const f = op.sigmoid(pf);
  const g = op.tanh(pg);
  const o = op.sigmoid(po);
  const c = op.add(op.mul(f, state.c), op.mul(i, g));
  const h = op.mul(o, op.tanh(c));
  return { h, c, i, f, g, o };
}
