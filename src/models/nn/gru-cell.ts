/**
 * The gated recurrent unit of Cho et al. (2014), "Learning Phrase Representations using RNN
 * Encoder-Decoder for Statistical Machine Translation":
 *
 *   z  = sigmoid(x Wz + h Uz + bz)          update gate
 *   r  = sigmoid(x Wr + h Ur + br)          reset gate
 *   n  = tanh(x Wn + (r * h) Un + bn)       candidate
 *   h' = z * h + (1 - z) * n
 *
 * Two conventions are in common use for the candidate. This is the paper's: the reset gate
 * multiplies h before it meets Un. cuDNN and PyTorch's nn.GRU instead use
 * n = tanh(x Wn + bn + r * (h Un + bhn)), resetting after the product (so h Un can be computed
 * for all three gates in one matrix product); the two give different functions and weights do
 * not carry over. With this update, z near 1 keeps the old state and z near 0 takes the
 * candidate (the paper's convention; some texts swap the roles of z and 1 - z).
 *
 * The x parts of the three gates are one product x Wx (nIn, 3H), split in three; so are the h
 * parts of z and r, h Uzr (H, 2H). Un stays apart because it sees r * h, not h.
 */
import type { Tensor } from '../graph/graph';
import * as op from '../graph/ops';
import type { Params } from './params';

export interface GruParams {
  /** (nIn, 3H): the x parts of z, r, n, in that order */
  wx: Tensor;
  /** (H, 2H): the h parts of z, r */
  uzr: Tensor;
  /** (H, H): the (r * h) part of n */
  un: Tensor;
  /** (3H): biases of z, r, n */
  b: Tensor;
}

export function gruParams(p: Params, nIn: number, hidden: number): GruParams {
  return {
    wx: p.normal('wx', [nIn, 3 * hidden], 1 / Math.sqrt(nIn)),
    uzr: p.normal('uzr', [hidden, 2 * hidden], 1 / Math.sqrt(hidden)),
    un: p.normal('un', [hidden, hidden], 1 / Math.sqrt(hidden)),
    b: p.zeros('b', [3 * hidden]),
  };
}

export interface GruState {
  /** (B, H) */
  h: Tensor;
}

/** The new state and the gates, each (B, H), so that figures can show them. */
export interface GruStep extends GruState {
  z: Tensor;
  r: Tensor;
  n: Tensor;
}

/** x (B, nIn), state.h (B, H) -> h' (B, H) with the gates z, r and the candidate n */
export function gruCell(x: Tensor, state: GruState, w: GruParams): GruStep {
  const hidden = w.un.shape[0] as number;
  const h = state.h;
  const [xz, xr, xn] = op.split(op.add(op.matmul(x, w.wx), w.b), [hidden, hidden, hidden], -1) as [
    Tensor,
    Tensor,
    Tensor,
  ]; // each (B, H)
  const [hz, hr] = op.split(op.matmul(h, w.uzr), [hidden, hidden], -1) as [Tensor, Tensor];
  const z = op.sigmoid(op.add(xz, hz));
  const r = op.sigmoid(op.add(xr, hr));
  const n = op.tanh(op.add(xn, op.matmul(op.mul(r, h), w.un)));
  const next = op.add(op.mul(z, h), op.mul(op.sub(1, z), n)); // z * h + (1 - z) * n
  return { h: next, z, r, n };
}
