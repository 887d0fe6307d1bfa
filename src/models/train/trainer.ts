/**
 * The training loop shared by every trained model: minibatches drawn with a seeded RNG, one
 * onnxruntime-node run of the forward + backward graph per step, an Adam step in TypeScript,
 * and the held-out loss measured along the way for the model card's loss curve.
 *
 * A model plugs in with a graph whose inputs are `ctx` int64 [B, context] and `targets` int64
 * [B, 1], a scalar `loss`, and its parameters.
 */
import type { LossPoint } from '../card';
import { gradients } from '../graph/autodiff';
import type { Graph, Tensor } from '../graph/graph';
import { Rng } from '../rng';
import { Adam } from './adam';
import { NodeSession, type Feed } from './session';

export interface Examples {
  /** [N * context] ids, row-major. */
  contexts: Int32Array;
  /** [N] ids. */
  targets: Int32Array;
}

export interface TrainOptions {
  steps: number;
  batch: number;
  /** Peak learning rate; cosine-decayed to lrMin over the run. */
  lr: number;
  lrMin: number;
  seed: number;
  evalEvery: number;
  log?: (line: string) => void;
}

export interface TrainResult {
  curve: LossPoint[];
  seconds: number;
  stepsPerSecond: number;
}

export interface Trainable {
  graph: Graph;
  ctx: Tensor;
  targets: Tensor;
  loss: Tensor;
  params: Tensor[];
}

/** Feeds for examples[start..start+n) or for the rows listed in `rows`. */
function batchFeeds(data: Examples, context: number, rows: ArrayLike<number>): Record<string, Feed> {
  const n = rows.length;
  const ctx = new Array<number>(n * context);
  const tgt = new Array<number>(n);
  for (let b = 0; b < n; b++) {
    const r = rows[b] as number;
    for (let k = 0; k < context; k++) ctx[b * context + k] = data.contexts[r * context + k] as number;
    tgt[b] = data.targets[r] as number;
  }
  return {
    ctx: { dtype: 'int64', data: ctx, dims: [n, context] },
    targets: { dtype: 'int64', data: tgt, dims: [n, 1] },
  };
}

function paramFeeds(m: Trainable): Record<string, Feed> {
  const feeds: Record<string, Feed> = {};
  for (const p of m.params) feeds[p.name] = { dtype: m.graph.float, data: m.graph.paramValues(p), dims: p.shape as number[] };
  return feeds;
}

/** Mean loss over a whole split, in chunks. */
export async function evaluate(session: NodeSession, m: Trainable, data: Examples, chunk = 8192): Promise<number> {
  const context = data.contexts.length / data.targets.length;
  const params = paramFeeds(m);
  let total = 0;
  for (let start = 0; start < data.targets.length; start += chunk) {
    const n = Math.min(chunk, data.targets.length - start);
    const rows = Array.from({ length: n }, (_, i) => start + i);
    const out = await session.run({ ...batchFeeds(data, context, rows), ...params }, ['loss']);
    total += (out.loss?.[0] as number) * n;
  }
  return total / data.targets.length;
}

/** The graphs a Trainable needs: forward + backward for steps, forward + loss for evaluation. */
export function trainingGraphs(m: Trainable): { step: Uint8Array; eval: Uint8Array; gradNames: string[] } {
  const grads = gradients(m.loss, m.params);
  const outputs: Record<string, Tensor> = { loss: m.loss };
  const gradNames = m.params.map((p) => `grad_${p.name}`);
  grads.forEach((g, i) => (outputs[gradNames[i] as string] = g));
  return {
    step: m.graph.toOnnx({ outputs, params: 'inputs' }),
    eval: m.graph.toOnnx({ outputs: { loss: m.loss }, params: 'inputs' }),
    gradNames,
  };
}

export async function train(m: Trainable, data: { train: Examples; heldOut: Examples }, opts: TrainOptions): Promise<TrainResult> {
  const context = data.train.contexts.length / data.train.targets.length;
  const graphs = trainingGraphs(m);
  const stepSession = await NodeSession.create(graphs.step);
  const evalSession = await NodeSession.create(graphs.eval);
  const rng = new Rng(opts.seed);
  const values = m.params.map((p) => m.graph.paramValues(p));
  const adam = new Adam(values.map((v) => v.length));
  const curve: LossPoint[] = [{ step: 0, train: await evaluate(evalSession, m, data.train), heldOut: await evaluate(evalSession, m, data.heldOut) }];
  const rows = new Int32Array(opts.batch);
  let running = 0;
  let counted = 0;
  const t0 = performance.now();
  for (let step = 1; step <= opts.steps; step++) {
    for (let b = 0; b < opts.batch; b++) rows[b] = rng.int(data.train.targets.length);
    const out = await stepSession.run({ ...batchFeeds(data.train, context, rows), ...paramFeeds(m) });
    const lr = opts.lrMin + 0.5 * (opts.lr - opts.lrMin) * (1 + Math.cos((Math.PI * (step - 1)) / opts.steps));
    adam.step(values, graphs.gradNames.map((n) => out[n] as Float64Array), lr);
    running += out.loss?.[0] as number;
    counted++;
    if (step % opts.evalEvery === 0 || step === opts.steps) {
      const heldOut = await evaluate(evalSession, m, data.heldOut);
      curve.push({ step, train: running / counted, heldOut });
      opts.log?.(`step ${step}/${opts.steps}  train ${(running / counted).toFixed(4)}  held-out ${heldOut.toFixed(4)}  lr ${lr.toExponential(2)}`);
      running = 0;
      counted = 0;
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  await stepSession.release();
  await evalSession.release();
  return { curve, seconds, stepsPerSecond: opts.steps / seconds };
}
