/**
 * Sequence training and recurrent models, for every family that reads a whole sequence.
 *
 * - `sequenceLoss`: the mean cross-entropy over a batch's counted positions, from log-probs
 *   [B, T, V], targets [B, T] and weights [B, T] (positions.ts sequenceRows).
 * - A recurrent model is written once, as one time step (`RecurrentDef.step`). From that one
 *   definition come two graphs with the same parameter names and values:
 *     `unrolled(def, T)`  tokens [B, T] -> log-probs [B, T, V] (+ loss): the step applied T times
 *                         with shared weights, from the zero state. Training it is truncated
 *                         backprop through time: chapter 3's autodiff on the unrolled graph.
 *     `stepGraph(def)`    token [B] + state -> probs [B, V] + next state: what the page streams.
 *   `copyParams` moves trained values from one to the other, by name.
 */
import type { StateSpec, StepIo } from '../contract';
import { NEXT, TENSOR, stepIo } from '../contract';
import { Graph, type Tensor } from '../graph/graph';
import * as op from '../graph/ops';

/** Mean -log p(target) over positions with weight 1: sum(w * nll) / sum(w). */
export function sequenceLoss(logprobs: Tensor, targets: Tensor, weights: Tensor): Tensor {
  // logprobs [B, T, V], targets [B, T] int64, weights [B, T]
  const picked = op.squeeze(op.gatherElements(logprobs, op.unsqueeze(targets, [2]), 2), [2]); // [B, T]
  const total = op.reduceSum(op.mul(picked, weights), [0, 1]);
  return op.neg(op.div(total, op.reduceSum(weights, [0, 1])));
}

/** The feeds of a sequence model's training graph (step.ts sequenceSet). */
export function sequenceInputs(g: Graph): { tokens: Tensor; targets: Tensor; weights: Tensor } {
  return {
    tokens: g.input(TENSOR.tokens, 'int64', ['B', 'T']),
    targets: g.input('targets', 'int64', ['B', 'T']),
    weights: g.input('weights', g.float, ['B', 'T']),
  };
}

/** One time step of a recurrent model, and what it carries from one step to the next. */
export interface RecurrentDef {
  vocab: number;
  /** Each state tensor is [B, size]. */
  state: { name: string; size: number }[];
  /** Model parameters, created in the graph (the same names and values every time). */
  params: Tensor[];
  /**
   * token ids [B] (int64) and the state [B, size] each -> logits [B, V], the next state, and
   * internals [B, ...] a figure may show (gates, ...).
   */
  step(
    token: Tensor,
    state: Tensor[],
  ): { logits: Tensor; state: Tensor[]; internals?: Record<string, Tensor> };
}

/** A recurrent family: builds its parameters and step in a graph, seeded so every call agrees. */
export type Recurrent = (g: Graph) => RecurrentDef;

/** Zeros [B, size], B read from `like` [B, ...] at run time. */
function zerosFor(like: Tensor, size: number): Tensor {
  const g = like.graph;
  const batch = op.slice(op.shapeOf(like), 0, 1, 0); // [1] int64
  const shape = op.concat([batch, g.ints([size])], 0);
  return op.expand(g.scalar(0), shape, [like.shape[0] ?? 'B', size]);
}

export interface Unrolled {
  graph: Graph;
  def: RecurrentDef;
  logprobs: Tensor;
  loss: Tensor;
  params: Tensor[];
}

/** The step applied T times with shared weights: a sequence model's training graph. */
export function unrolled(
  model: Recurrent,
  T: number,
  float: 'float32' | 'float64' = 'float32',
): Unrolled {
  const g = new Graph(`unrolled_${T}`, float);
  const def = model(g);
  const { tokens, targets, weights } = sequenceInputs(g);
  let state = def.state.map((s) => zerosFor(tokens, s.size));
  const steps: Tensor[] = [];
  for (let t = 0; t < T; t++) {
    const token = op.squeeze(op.slice(tokens, t, t + 1, 1), [1]); // [B]
    const out = def.step(token, state);
    state = out.state;
    steps.push(op.unsqueeze(op.logSoftmax(out.logits, -1), [1])); // [B, 1, V]
  }
  const logprobs = steps.length === 1 ? (steps[0] as Tensor) : op.concat(steps, 1); // [B, T, V]
  return {
    graph: g,
    def,
    logprobs,
    loss: sequenceLoss(logprobs, targets, weights),
    params: def.params,
  };
}

export interface StepGraph {
  graph: Graph;
  def: RecurrentDef;
  io: StepIo;
  outputs: Record<string, Tensor>;
}

/** One step as its own graph: token [B] + state -> probs [B, V] + next state (+ internals). */
export function stepGraph(model: Recurrent): StepGraph {
  const g = new Graph('step');
  const def = model(g);
  const token = g.input(TENSOR.token, 'int64', ['B']);
  const state = def.state.map((s) => g.input(s.name, g.float, ['B', s.size]));
  const out = def.step(token, state);
  const outputs: Record<string, Tensor> = { [TENSOR.probs]: op.softmax(out.logits, -1) };
  def.state.forEach((s, i) => (outputs[`${s.name}${NEXT}`] = out.state[i] as Tensor));
  const internals: Record<string, Tensor> = out.internals ?? {};
  for (const [name, t] of Object.entries(internals)) outputs[name] = t;
  const specs: StateSpec[] = def.state.map((s) => ({ name: s.name, shape: ['B', s.size] }));
  const io = stepIo(
    def.vocab,
    specs,
    Object.fromEntries(Object.entries(internals).map(([n, t]) => [n, [...t.shape]])),
  );
  return { graph: g, def, io, outputs };
}

/** Copy every parameter of `from` into the parameter of the same name in `to`. */
export function copyParams(from: Graph, to: Graph): void {
  for (const p of to.params) {
    const src = from.params.find((q) => q.tensor.name === p.tensor.name);
    if (!src) throw new Error(`copyParams: ${from.name} has no parameter ${p.tensor.name}`);
    to.setParamValues(p.tensor, src.values);
  }
}
