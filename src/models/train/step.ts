/**
 * One training step, independent of where the graph runs. The Node trainer (trainer.ts, with
 * onnxruntime-node) and the chapter-3 figures (with onnxruntime-web, in the page) both call
 * `Stepper.step`: draw a minibatch from a seeded Rng, run the forward + backward graph once,
 * update the float64 parameters in TypeScript. Same seed, same weights, same batch, same step.
 *
 * Browser-safe: no Node imports. A runtime plugs in as a `GraphRunner`.
 */
import { gradients } from '../graph/autodiff';
import type { DType, Graph, Tensor } from '../graph/graph';
import type { Examples, SequenceRows } from '../positions';
import { Rng } from '../rng';
import { Adam } from './adam';

export type { Examples } from '../positions';

/** One input of a graph run: a dtype, row-major data, dims. */
export interface Feed {
  dtype: DType;
  data: ArrayLike<number>;
  dims: readonly number[];
}

/** Runs an exported graph: plain arrays in, Float64Arrays out (NodeSession fits as it is). */
export interface GraphRunner {
  run(
    feeds: Record<string, Feed>,
    outputs?: readonly string[],
  ): Promise<Record<string, Float64Array>>;
}

/**
 * What a model gives the trainer: a graph whose inputs are the feeds of its TrainSet's kind, a
 * scalar loss (the mean over the batch's counted predictions), and its parameters.
 *   window:   ctx int64 [B, context], targets int64 [B, 1]
 *   sequence: tokens int64 [B, T], targets int64 [B, T], weights float [B, T] (1 = counted)
 * A recurrent model trains as a sequence model, on its graph unrolled over T steps (recurrent.ts).
 */
export interface Trainable {
  graph: Graph;
  loss: Tensor;
  params: Tensor[];
}

/**
 * Training data as the step draws it: `count` rows, fed by row index. A window row is one
 * prediction; a sequence row is T positions, of which `positions(rows)` are counted.
 */
export interface TrainSet {
  count: number;
  feeds(rows: ArrayLike<number>): Record<string, Feed>;
  /** Counted predictions in these rows: the weight of their mean loss in a larger mean. */
  positions(rows: ArrayLike<number>): number;
}

/** A window model's rows: ctx [n, context] and targets [n, 1]. */
export function windowSet(data: Examples): TrainSet {
  const context = contextOf(data);
  return {
    count: data.targets.length,
    feeds: (rows) => batchFeeds(data, context, rows),
    positions: (rows) => rows.length,
  };
}

/** A sequence model's rows (positions.ts sequenceRows): tokens, targets and weights [n, T]. */
export function sequenceSet(data: SequenceRows, float: DType = 'float32'): TrainSet {
  const T = data.length;
  const pick = <A extends Int32Array | Float32Array>(src: A, rows: ArrayLike<number>): number[] => {
    const out = new Array<number>(rows.length * T);
    for (let b = 0; b < rows.length; b++) {
      const r = rows[b] as number;
      for (let t = 0; t < T; t++) out[b * T + t] = src[r * T + t] as number;
    }
    return out;
  };
  return {
    count: data.count,
    feeds: (rows) => ({
      tokens: { dtype: 'int64', data: pick(data.tokens, rows), dims: [rows.length, T] },
      targets: { dtype: 'int64', data: pick(data.targets, rows), dims: [rows.length, T] },
      weights: { dtype: float, data: pick(data.weights, rows), dims: [rows.length, T] },
    }),
    positions: (rows) => {
      let n = 0;
      for (let b = 0; b < rows.length; b++) {
        const r = rows[b] as number;
        for (let t = 0; t < T; t++) n += data.weights[r * T + t] as number;
      }
      return n;
    },
  };
}

/** Window Examples become a window TrainSet; a TrainSet is used as it is. */
export function asTrainSet(data: Examples | TrainSet): TrainSet {
  return 'feeds' in data ? data : windowSet(data);
}

/** Feeds ctx [n, context] and targets [n, 1] for the example rows listed in `rows`. */
export function batchFeeds(
  data: Examples,
  context: number,
  rows: ArrayLike<number>,
): Record<string, Feed> {
  const n = rows.length;
  const ctx = new Array<number>(n * context);
  const tgt = new Array<number>(n);
  for (let b = 0; b < n; b++) {
    const r = rows[b] as number;
    for (let k = 0; k < context; k++)
      ctx[b * context + k] = data.contexts[r * context + k] as number;
    tgt[b] = data.targets[r] as number;
  }
  return {
    ctx: { dtype: 'int64', data: ctx, dims: [n, context] },
    targets: { dtype: 'int64', data: tgt, dims: [n, 1] },
  };
}

export function contextOf(data: Examples): number {
  return data.contexts.length / data.targets.length;
}

/** Feeds for the parameters, by name, from their current float64 values. */
export function paramFeeds(
  m: Pick<Trainable, 'graph' | 'params'>,
  values: readonly Float64Array[],
): Record<string, Feed> {
  const feeds: Record<string, Feed> = {};
  m.params.forEach((p, i) => {
    feeds[p.name] = {
      dtype: m.graph.float,
      data: values[i] as Float64Array,
      dims: p.shape as number[],
    };
  });
  return feeds;
}

/**
 * The graphs a Trainable needs: forward + backward for steps, forward + loss for evaluation.
 * `extra` tensors (e.g. hidden activations, for figures) become more outputs of the step graph.
 */
export function trainingGraphs(
  m: Trainable,
  extra: Record<string, Tensor> = {},
): { step: Uint8Array; eval: Uint8Array; gradNames: string[] } {
  const grads = gradients(m.loss, m.params);
  const outputs: Record<string, Tensor> = { loss: m.loss, ...extra };
  const gradNames = m.params.map((p) => `grad_${p.name}`);
  grads.forEach((g, i) => (outputs[gradNames[i] as string] = g));
  return {
    step: m.graph.toOnnx({ outputs, params: 'inputs' }),
    eval: m.graph.toOnnx({ outputs: { loss: m.loss }, params: 'inputs' }),
    gradNames,
  };
}

/**
 * Mean loss over a whole split, run in chunks of `chunk` examples. In a page, `between` can
 * yield to the event loop before each chunk so that no single task runs long.
 */
export async function evaluate(
  runner: GraphRunner,
  m: Pick<Trainable, 'graph' | 'params'>,
  values: readonly Float64Array[],
  data: Examples | TrainSet,
  chunk = 8192,
  between?: () => Promise<void>,
): Promise<number> {
  const set = asTrainSet(data);
  const params = paramFeeds(m, values);
  let total = 0;
  let counted = 0;
  for (let start = 0; start < set.count; start += chunk) {
    const n = Math.min(chunk, set.count - start);
    const rows = Array.from({ length: n }, (_, i) => start + i);
    const weight = set.positions(rows);
    if (weight === 0) continue;
    if (between) await between();
    const out = await runner.run({ ...set.feeds(rows), ...params }, ['loss']);
    total += (out['loss']?.[0] as number) * weight;
    counted += weight;
  }
  return total / counted;
}

/** Cosine decay from lr (first step) to lrMin (after the last). */
export function cosineLr(lr: number, lrMin: number, step: number, steps: number): number {
  return lrMin + 0.5 * (lr - lrMin) * (1 + Math.cos((Math.PI * (step - 1)) / steps));
}

export type OptimizerName = 'adam' | 'sgd';

export interface Optimizer {
  step(params: Float64Array[], grads: ArrayLike<number>[], lr: number): void;
}

/** Plain gradient descent: p <- p - lr * g. */
export class Sgd implements Optimizer {
  step(params: Float64Array[], grads: ArrayLike<number>[], lr: number): void {
    params.forEach((p, i) => {
      const g = grads[i] as ArrayLike<number>;
      for (let j = 0; j < p.length; j++) p[j] = (p[j] as number) - lr * (g[j] as number);
    });
  }
}

export function makeOptimizer(name: OptimizerName, sizes: readonly number[]): Optimizer {
  return name === 'adam' ? new Adam(sizes) : new Sgd();
}

export interface StepResult {
  /** Mean cross-entropy of the batch, before the update. */
  loss: number;
  /** dLoss/dParam per parameter, same order as `params`. */
  grads: Float64Array[];
  /** The example rows of the batch. */
  rows: Int32Array;
  /** Milliseconds in the graph run and in the optimizer. */
  runMs: number;
  optMs: number;
}

/**
 * The training state of one model: float64 parameter values (a copy: the graph's own initial
 * values are left alone, so a reset is a new Stepper), the optimizer's moments, and the batch
 * Rng. `step` is the one training step everyone shares.
 */
export class Stepper {
  readonly values: Float64Array[];
  readonly gradNames: string[];
  readonly optimizer: Optimizer;
  private readonly rng: Rng;
  steps = 0;

  constructor(
    readonly model: Pick<Trainable, 'graph' | 'params'>,
    private readonly runner: GraphRunner,
    opts: { seed: number; optimizer?: OptimizerName; gradNames?: string[] },
  ) {
    this.values = model.params.map((p) => Float64Array.from(model.graph.paramValues(p)));
    this.gradNames = opts.gradNames ?? model.params.map((p) => `grad_${p.name}`);
    this.optimizer = makeOptimizer(
      opts.optimizer ?? 'adam',
      this.values.map((v) => v.length),
    );
    this.rng = new Rng(opts.seed);
  }

  /** Draw `batch` example rows uniformly with replacement, from this stepper's Rng. */
  drawRows(n: number, batch: number): Int32Array {
    const rows = new Int32Array(batch);
    for (let b = 0; b < batch; b++) rows[b] = this.rng.int(n);
    return rows;
  }

  /** Run forward + backward on a batch and take one optimizer step with learning rate lr. */
  async step(
    data: Examples | TrainSet,
    batch: number,
    lr: number,
    extraOutputs: readonly string[] = [],
  ): Promise<StepResult & { extra: Record<string, Float64Array> }> {
    const set = asTrainSet(data);
    const rows = this.drawRows(set.count, batch);
    const t0 = performance.now();
    const wanted = extraOutputs.length ? ['loss', ...this.gradNames, ...extraOutputs] : undefined;
    const out = await this.runner.run(
      { ...set.feeds(rows), ...paramFeeds(this.model, this.values) },
      wanted,
    );
    const t1 = performance.now();
    const grads = this.gradNames.map((n) => {
      const g = out[n];
      if (!g) throw new Error(`training graph has no output ${n}`);
      return g;
    });
    this.optimizer.step(this.values, grads, lr);
    this.steps++;
    const extra: Record<string, Float64Array> = {};
    for (const name of extraOutputs) if (out[name]) extra[name] = out[name];
    return {
      loss: out['loss']?.[0] as number,
      grads,
      rows,
      runMs: t1 - t0,
      optMs: performance.now() - t1,
      extra,
    };
  }
}
