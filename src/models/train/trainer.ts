/**
 * The training loop shared by every trained model: minibatches drawn with a seeded RNG, one
 * onnxruntime-node run of the forward + backward graph per step, an Adam step in TypeScript,
 * and the held-out loss measured along the way for the model card's loss curve.
 *
 * A model plugs in with a graph whose inputs are its TrainSet's feeds (step.ts: window or
 * sequence), a scalar `loss`, and its parameters. The step itself (batch, run, update) lives in
 * step.ts, where the chapter-3 figures share it with onnxruntime-web in the page.
 */
import type { LossPoint } from '../card';
import { NodeSession } from './session';
import {
  Stepper,
  cosineLr,
  evaluate as evaluateSplit,
  trainingGraphs,
  type Examples,
  type GraphRunner,
  type Trainable,
  type TrainSet,
} from './step';

export { trainingGraphs, type Examples, type Trainable, type TrainSet } from './step';

export interface TrainOptions {
  steps: number;
  batch: number;
  /** Peak learning rate; cosine-decayed to lrMin over the run. */
  lr: number;
  lrMin: number;
  seed: number;
  evalEvery: number;
  log?: (line: string) => void;
  /**
   * Examples for the step-0 training loss (default: all of data.train). A sample keeps a large
   * corpus cheap; later points of the curve are running means of the batch losses anyway.
   */
  trainSample?: Examples | TrainSet;
  /**
   * Early stopping: end with the weights of the evaluation with the lowest held-out loss, not
   * the last step's. For models that overfit a small corpus within the schedule (chapter 4's
   * recurrent names models); the curve still shows every evaluation.
   */
  keepBest?: boolean;
}

export interface TrainResult {
  curve: LossPoint[];
  /** The step whose weights the model ends with: the last, or the best with keepBest. */
  keptStep: number;
  seconds: number;
  stepsPerSecond: number;
}

/** Mean loss over a whole split at the graph's current parameter values, in chunks. */
export async function evaluate(
  session: GraphRunner,
  m: Trainable,
  data: Examples | TrainSet,
  chunk = 8192,
): Promise<number> {
  return evaluateSplit(
    session,
    m,
    m.params.map((p) => m.graph.paramValues(p)),
    data,
    chunk,
  );
}

/** Train m in place: its graph's parameter values are the trained weights afterwards. */
export async function train(
  m: Trainable,
  data: { train: Examples | TrainSet; heldOut: Examples | TrainSet },
  opts: TrainOptions,
): Promise<TrainResult> {
  const graphs = trainingGraphs(m);
  const stepSession = await NodeSession.create(graphs.step);
  const evalSession = await NodeSession.create(graphs.eval);
  const stepper = new Stepper(m, stepSession, {
    seed: opts.seed,
    optimizer: 'adam',
    gradNames: graphs.gradNames,
  });
  const values = stepper.values;
  const curve: LossPoint[] = [
    {
      step: 0,
      train: await evaluateSplit(evalSession, m, values, opts.trainSample ?? data.train),
      heldOut: await evaluateSplit(evalSession, m, values, data.heldOut),
    },
  ];
  let running = 0;
  let counted = 0;
  let best = {
    step: 0,
    loss: curve[0]?.heldOut ?? Infinity,
    values: opts.keepBest ? values.map((v) => v.slice()) : [],
  };
  const t0 = performance.now();
  for (let step = 1; step <= opts.steps; step++) {
    const lr = cosineLr(opts.lr, opts.lrMin, step, opts.steps);
    const { loss } = await stepper.step(data.train, opts.batch, lr);
    running += loss;
    counted++;
    if (step % opts.evalEvery === 0 || step === opts.steps) {
      const heldOut = await evaluateSplit(evalSession, m, values, data.heldOut);
      curve.push({ step, train: running / counted, heldOut });
      if (opts.keepBest && heldOut < best.loss)
        best = { step, loss: heldOut, values: values.map((v) => v.slice()) };
      opts.log?.(
        `step ${step}/${opts.steps}  train ${(running / counted).toFixed(4)}  held-out ${heldOut.toFixed(4)}  lr ${lr.toExponential(2)}`,
      );
      running = 0;
      counted = 0;
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const kept = opts.keepBest ? best.values : values;
  m.params.forEach((p, i) => m.graph.setParamValues(p, kept[i] as Float64Array));
  await stepSession.release();
  await evalSession.release();
  return {
    curve,
    keptStep: opts.keepBest ? best.step : opts.steps,
    seconds,
    stepsPerSecond: opts.steps / seconds,
  };
}
