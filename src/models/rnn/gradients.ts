/**
 * Backpropagation through time, measured: how much the loss of one prediction depends on the
 * hidden state k steps earlier, |dL_T / dh_{T-k}|, for chapter 4's RNN, GRU and LSTM.
 *
 * The graph is the model's own step (model.ts) unrolled over `length` positions with the
 * weights of the shipped step file (read from its initializers by name: nothing is retrained),
 * and the gradients are chapter 3's autodiff (graph/autodiff.ts) taken with respect to each
 * step's state tensors. Built at build time in Node and in the page alike (browser-safe).
 *
 *   tokens  int64 [1, T]   the reader's text from the start marker, padded after its end
 *   targets int64 [1, T]   the token each position predicts (only the picked one matters)
 *   pick    float [1, T]   1 at the position whose prediction's loss is L, 0 elsewhere
 *   ->
 *   loss    float [1]      L = -ln p(target at the picked position)
 *   gradH   float [1, T]   ||dL/dh_t|| (Euclidean norm over the H units), t = 0..T-1
 *
 * h_t is the hidden state after reading token t: what the prediction at t and step t + 1 read
 * (for the LSTM, every path from h_t to L counts, the cell-state highway c_{t+1}, c_{t+2}, ...
 * included; c_t itself is upstream of h_t). Positions after the picked one do not
 * reach L, so their gradients are exactly 0. With `probe`, each h_t gets an added input
 * `probe_<t>` [1, H] (fed zeros it changes nothing): dL/dprobe_t = dL/dh_t, which the
 * finite-difference test perturbs.
 */
import { gradients } from '../graph/autodiff';
import { Graph, type Tensor } from '../graph/graph';
import * as op from '../graph/ops';
import { decodeModel, tensorValues } from '../graph/proto-read';
import { sequenceLoss } from '../train/recurrent';
import { GRAD } from './bptt';
import { recurrentLm, type CellKind, type RecurrentConfig } from './model';

/** The weights of a step file by initializer name, and the sizes read from them. */
export interface StepWeights {
  cell: CellKind;
  vocab: number;
  embed: number;
  hidden: number;
  values: Map<string, Float64Array>;
}

/** Read a shipped step model's weights (public/models/<rnn|gru|lstm>.onnx). */
export function stepWeights(cell: CellKind, onnx: Uint8Array): StepWeights {
  const model = decodeModel(onnx);
  const values = new Map<string, Float64Array>();
  const dims = new Map<string, number[]>();
  for (const t of model.graph.initializers) {
    values.set(t.name, tensorValues(t));
    dims.set(t.name, t.dims);
  }
  const table = dims.get('emb.table');
  const out = dims.get('out.weight');
  if (!table || !out || table.length !== 2 || out.length !== 2)
    throw new Error(`the ${cell} step file has no emb.table / out.weight`);
  return {
    cell,
    vocab: table[0] as number,
    embed: table[1] as number,
    hidden: out[0] as number,
    values,
  };
}

export interface GradientGraph {
  graph: Graph;
  length: number;
  outputs: Record<string, Tensor>;
  /** dL/dh_t for each step t, each [1, H]. */
  grads: Tensor[];
  /** The probe inputs, one per step (only with `probe`). */
  probes: Tensor[];
}

/** The unrolled model with L and the per-step gradient norms (see the top of this file). */
export function gradientGraph(
  w: StepWeights,
  length: number,
  opts: { float?: 'float32' | 'float64'; probe?: boolean } = {},
): GradientGraph {
  const g = new Graph(`bptt_${w.cell}_${length}`, opts.float ?? 'float32');
  const config: RecurrentConfig = {
    cell: w.cell,
    vocab: w.vocab,
    embed: w.embed,
    hidden: w.hidden,
    seed: 0, // every weight is overwritten below
  };
  const def = recurrentLm(config)(g);
  for (const p of g.params) {
    const v = w.values.get(p.tensor.name);
    if (!v) throw new Error(`the ${w.cell} step file has no weight ${p.tensor.name}`);
    g.setParamValues(p.tensor, v);
  }
  const tokens = g.input('tokens', 'int64', [1, length]);
  const targets = g.input('targets', 'int64', [1, length]);
  const pick = g.input('pick', g.float, [1, length]);

  let state = def.state.map((s) => g.constant(new Array<number>(s.size).fill(0), [1, s.size]));
  const hs: Tensor[] = [];
  const probes: Tensor[] = [];
  const steps: Tensor[] = [];
  for (let t = 0; t < length; t++) {
    const token = op.squeeze(op.slice(tokens, t, t + 1, 1), [1]); // [1]
    const out = def.step(token, state);
    let h = out.state[0] as Tensor; // [1, H]
    let logits = out.logits;
    if (opts.probe) {
      const probe = g.input(`probe_${t}`, g.float, [1, w.hidden]);
      probes.push(probe);
      h = op.add(h, probe);
      // The prediction at t must read the probed h too: its logits are recomputed from it
      // with the output layer's weights (the step's own logits read the unprobed h).
      logits = outLogits(g, h);
    }
    hs.push(h);
    state = [h, ...out.state.slice(1)];
    steps.push(op.unsqueeze(op.logSoftmax(logits, -1), [1])); // [1, 1, V]
  }
  const logprobs = steps.length === 1 ? (steps[0] as Tensor) : op.concat(steps, 1); // [1, T, V]
  const loss = sequenceLoss(logprobs, targets, pick);
  const grads = gradients(loss, hs);
  const norms = grads.map((d) => op.sqrt(op.reduceSum(op.mul(d, d), [1], true))); // [1, 1] each
  const outputs: Record<string, Tensor> = {
    loss: op.reshape(loss, [1]),
    [GRAD]: norms.length === 1 ? (norms[0] as Tensor) : op.concat(norms, 1),
  };
  return { graph: g, length, outputs, grads, probes };
}

/** logits = h Wout + bout, with model.ts's output layer (found by its weights' names). */
function outLogits(g: Graph, h: Tensor): Tensor {
  const weight = g.params.find((p) => p.tensor.name === 'out.weight')?.tensor;
  const bias = g.params.find((p) => p.tensor.name === 'out.bias')?.tensor;
  if (!weight || !bias) throw new Error('no out.weight / out.bias');
  return op.add(op.matmul(h, weight), bias);
}

/** The ONNX bytes of `gradientGraph` (weights baked in). */
export function gradientOnnx(w: StepWeights, length: number): Uint8Array {
  const gg = gradientGraph(w, length);
  return gg.graph.toOnnx({ outputs: gg.outputs, params: 'initializers' });
}
