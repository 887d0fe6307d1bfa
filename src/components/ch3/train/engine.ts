/**
 * One training run of the chapter-1 MLP as chapter 3's figures see it, on any runtime: the
 * shared Stepper (train/step.ts) plus what the figures record along the way (loss curve,
 * gradient norms per layer, which embedding rows got gradient, activation histograms, hidden
 * units, samples). The build-time render runs this with onnxruntime-node, the page with
 * onnxruntime-web; the record is plain JSON, drawn by the same components either way.
 */
import { sampleNames, type Predict } from '../../../models/names/lm';
import { MLP_CONFIG } from '../../../models/names/mlp';
import { V } from '../../../models/names/vocab';
import {
  buildLab,
  labGraphs,
  predictAt,
  type Init,
  type Lab,
  type LabGraphs,
} from '../../../models/names/mlp-lab';
import {
  Stepper,
  batchFeeds,
  contextOf,
  evaluate,
  paramFeeds,
  type Examples,
  type GraphRunner,
  type OptimizerName,
} from '../../../models/train/step';

export interface RunConfig {
  seed: number;
  init: Init;
  optimizer: OptimizerName;
  lr: number;
  batch: number;
}

export const PARAM_NAMES = ['C', 'W1', 'b1', 'W2', 'b2'] as const;

/** Histogram bins per probed layer: [lo, hi] split into HIST_BINS. */
export const HIST_RANGE = { preact: [-5, 5], h: [-1, 1] } as const;
export type HistLayer = keyof typeof HIST_RANGE;
export const HIST_BINS = 40;
/** |h| above this counts as saturated: tanh' = 1 - h² < 0.06. */
export const SATURATED = 0.97;
/** How many examples x hidden units the hidden-unit picture shows. */
export const HIDDEN_ROWS = 12;
export const HIDDEN_UNITS = 48;

export interface CurvePoint {
  step: number;
  /** Mean batch loss since the previous point. */
  train: number;
  heldOut: number;
}

export interface GradPoint {
  step: number;
  /** ‖∂L/∂param‖ per PARAM_NAMES, averaged since the previous point. */
  norms: number[];
}

export interface RunRecord {
  config: RunConfig;
  steps: number;
  curve: CurvePoint[];
  grads: GradPoint[];
  /** Last batch: ‖row of ∂L/∂C‖ per character, and how often each character was in the contexts. */
  embedRows: { step: number; norms: number[]; counts: number[] } | undefined;
  /** Histograms of the last batch's pre-activations and tanh outputs, at step 0 and now. */
  hist: {
    first: Record<HistLayer, number[]> | undefined;
    now: Record<HistLayer, number[]> | undefined;
    step: number;
  };
  /** Fraction of |h| > SATURATED over training. */
  saturation: { step: number; fraction: number }[];
  /** h on fixed held-out examples (HIDDEN_ROWS x HIDDEN_UNITS, row-major), and how many distinct units there are. */
  hidden: { values: number[]; distinct: number } | undefined;
  samples: string[];
  /** The step the samples were drawn at. */
  samplesStep: number;
}

export interface Runners {
  step: GraphRunner;
  eval: GraphRunner;
  probs: GraphRunner;
}

export function histogram(data: ArrayLike<number>, layer: HistLayer): number[] {
  const [lo, hi] = HIST_RANGE[layer];
  const counts = new Array<number>(HIST_BINS).fill(0);
  for (let i = 0; i < data.length; i++) {
    const k = Math.floor((((data[i] as number) - lo) / (hi - lo)) * HIST_BINS);
    counts[Math.max(0, Math.min(HIST_BINS - 1, k))]! += 1;
  }
  return counts;
}

function norm(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] as number) ** 2;
  return Math.sqrt(s);
}

/** Hidden units that differ (as columns of [W1; b1]) up to 1e-9: 200 for random init, 1 for equal init. */
export function distinctUnits(
  W1: Float64Array,
  b1: Float64Array,
  hidden = MLP_CONFIG.hidden,
): number {
  const keys = new Set<string>();
  const rows = W1.length / hidden;
  for (let j = 0; j < hidden; j++) {
    const col: number[] = [];
    for (let r = 0; r < rows; r++) col.push(Math.round((W1[r * hidden + j] as number) * 1e9));
    col.push(Math.round((b1[j] as number) * 1e9));
    keys.add(col.join(','));
  }
  return keys.size;
}

/** One run; `every` steps it evaluates the held-out split and records a point. */
export class TrainRun {
  readonly lab: Lab;
  readonly stepper: Stepper;
  readonly record: RunRecord;
  private sinceLoss = 0;
  private sinceGrads: number[] = PARAM_NAMES.map(() => 0);
  private since = 0;
  private readonly probeRows: number[];

  constructor(
    readonly config: RunConfig,
    readonly runners: Runners,
    readonly gradNames: string[],
    readonly data: { train: Examples; heldOut: Examples },
    readonly every = 50,
    /** Called between graph runs of long jobs (evaluation, sampling); a page yields to the event loop here. */
    private readonly pause: () => Promise<void> = async () => {},
  ) {
    this.lab = buildLab(config.seed, config.init);
    this.stepper = new Stepper(this.lab.trainable, runners.step, {
      seed: config.seed,
      optimizer: config.optimizer,
      gradNames,
    });
    this.record = {
      config,
      steps: 0,
      curve: [],
      grads: [],
      embedRows: undefined,
      hist: { first: undefined, now: undefined, step: 0 },
      saturation: [],
      hidden: undefined,
      samples: [],
      samplesStep: 0,
    };
    // Every 97th held-out example: a fixed, varied set for the hidden-unit picture.
    this.probeRows = Array.from(
      { length: HIDDEN_ROWS },
      (_, i) => (i * 97) % data.heldOut.targets.length,
    );
  }

  /** The graphs every run of the lab shares (their structure depends on neither seed nor init). */
  static graphs(): LabGraphs {
    return labGraphs(buildLab(1, 'random'));
  }

  get steps(): number {
    return this.stepper.steps;
  }

  /** Step 0: held-out loss, hidden units and samples of the initial weights. */
  async start(samples = true): Promise<void> {
    const heldOut = await this.heldOut();
    this.record.curve.push({ step: 0, train: heldOut, heldOut });
    await this.snapshot(samples);
  }

  async heldOut(): Promise<number> {
    return evaluate(
      this.runners.eval,
      this.lab.trainable,
      this.stepper.values,
      this.data.heldOut,
      512, // small chunks: each is one short task in the page
      this.pause,
    );
  }

  /** One training step; records probes for the figures. Returns the batch loss. */
  async step(
    lr = this.config.lr,
    batch = this.config.batch,
  ): Promise<{ loss: number; runMs: number; optMs: number }> {
    const first = this.stepper.steps === 0;
    const r = await this.stepper.step(this.data.train, batch, lr, ['preact', 'h']);
    this.sinceLoss += r.loss;
    r.grads.forEach((g, i) => (this.sinceGrads[i] = (this.sinceGrads[i] as number) + norm(g)));
    this.since++;
    const rec = this.record;
    rec.steps = this.stepper.steps;
    const h = r.extra['h'];
    const pre = r.extra['preact'];
    if (h && pre) {
      const now = { preact: histogram(pre, 'preact'), h: histogram(h, 'h') };
      if (first) rec.hist.first = now;
      rec.hist.now = now;
      rec.hist.step = rec.steps;
      if (first || rec.steps % 10 === 0) {
        let sat = 0;
        for (let i = 0; i < h.length; i++) if (Math.abs(h[i] as number) > SATURATED) sat++;
        rec.saturation.push({ step: rec.steps, fraction: sat / h.length });
      }
    }
    const gC = r.grads[0] as Float64Array;
    const embed = gC.length / V;
    const counts = new Array<number>(V).fill(0);
    const context = contextOf(this.data.train);
    for (const row of r.rows)
      for (let k = 0; k < context; k++)
        counts[this.data.train.contexts[row * context + k] as number]! += 1;
    rec.embedRows = {
      step: rec.steps,
      norms: Array.from({ length: V }, (_, c) => norm(gC.subarray(c * embed, (c + 1) * embed))),
      counts,
    };
    return { loss: r.loss, runMs: r.runMs, optMs: r.optMs };
  }

  /** Close the current interval: held-out loss and mean gradient norms. */
  async point(samples = false): Promise<void> {
    if (this.since === 0) return;
    const heldOut = await this.heldOut();
    this.record.curve.push({ step: this.steps, train: this.sinceLoss / this.since, heldOut });
    this.record.grads.push({ step: this.steps, norms: this.sinceGrads.map((s) => s / this.since) });
    this.sinceLoss = 0;
    this.sinceGrads = PARAM_NAMES.map(() => 0);
    this.since = 0;
    await this.snapshot(samples);
  }

  /** Hidden units on the probe examples (no update), and optionally fresh samples. */
  async snapshot(samples: boolean): Promise<void> {
    const feeds = {
      ...batchFeeds(this.data.heldOut, contextOf(this.data.heldOut), this.probeRows),
      ...paramFeeds(this.lab.trainable, this.stepper.values),
    };
    const out = await this.runners.step.run(feeds, ['h']);
    const h = out['h'] as Float64Array;
    const hidden = MLP_CONFIG.hidden;
    const values: number[] = [];
    for (let r = 0; r < HIDDEN_ROWS; r++)
      for (let j = 0; j < HIDDEN_UNITS; j++)
        values.push(Math.round((h[r * hidden + j] as number) * 1000) / 1000);
    this.record.hidden = {
      values,
      distinct: distinctUnits(
        this.stepper.values[1] as Float64Array,
        this.stepper.values[2] as Float64Array,
      ),
    };
    if (samples) await this.sample();
  }

  /** Ten names from the current weights, always with the same random draws (seed 1). */
  async sample(): Promise<void> {
    const predict = predictAt(this.runners.probs, this.lab, this.stepper.values);
    const paced: Predict = async (contexts) => {
      await this.pause();
      return predict(contexts);
    };
    const names = await sampleNames(paced, { count: 10, temperature: 1, seed: 1 });
    this.record.samples = names.map((n) => n.name + (n.cut ? '…' : ''));
    this.record.samplesStep = this.steps;
  }

  /** Train `steps` more steps, recording a point every `every` steps (build time and tests). */
  async train(steps: number): Promise<RunRecord> {
    for (let i = 0; i < steps; i++) {
      await this.step();
      if (this.steps % this.every === 0) await this.point(false);
    }
    await this.point(false);
    await this.sample();
    return this.record;
  }
}
