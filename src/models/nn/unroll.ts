/**
 * Unrolling a recurrent cell through time: the same cell function, with the same parameter
 * tensors, applied once per step, each step's state feeding the next. Backpropagation through
 * time is then ordinary autodiff on this graph: the gradients that reach a shared weight from
 * every step add up.
 */
import type { Tensor } from '../graph/graph';
import * as op from '../graph/ops';

/**
 * x (B, T, C) with T static; `step` maps x_t (B, C) and the state to the next state. Returns
 * the state after each step, [s_1, ..., s_T].
 */
export function unroll<S>(x: Tensor, state0: S, step: (xt: Tensor, state: S, t: number) => S): S[] {
  const steps = x.shape[1];
  if (typeof steps !== 'number') throw new Error('unroll: the time axis must be static');
  const xs = op.split(x, Array<number>(steps).fill(1), 1).map((xt) => op.squeeze(xt, [1])); // T x (B, C)
  const states: S[] = [];
  let state = state0;
  xs.forEach((xt, t) => {
    state = step(xt, state, t);
    states.push(state);
  });
  return states;
}
