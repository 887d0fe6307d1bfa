/**
 * Chapter 3's laboratory: the chapter-1 MLP (names/mlp.ts, unchanged) as a trainable graph built
 * wherever it is needed (build time in Node, or in the page), with three ways to initialise it
 * and with its hidden layer exposed as extra outputs for the figures. Browser-safe.
 *
 * Why build the graphs in the page instead of shipping .onnx files: the builder and autodiff are
 * plain TypeScript, building takes a few milliseconds, the initial weights come from a seed the
 * reader can change, and the init variants would otherwise be three more files to keep in step.
 */
import type { Tensor } from '../graph/graph';
import type { Predict } from './lm';
import { buildMlp, MLP_CONFIG, withLoss, type Mlp } from './mlp';
import { CONTEXT, V } from './vocab';
import {
  Stepper,
  paramFeeds,
  trainingGraphs,
  type Feed,
  type GraphRunner,
  type OptimizerName,
  type Trainable,
} from '../train/step';

/** random: chapter 1's init. zero: every parameter 0. constant: every weight of a matrix equal. */
export type Init = 'random' | 'zero' | 'constant';
export const INITS: readonly Init[] = ['random', 'zero', 'constant'];

/** Per-layer tensors the step graph also returns (names given in mlp.ts). */
export const PROBES = ['emb', 'preact', 'h', 'logits'] as const;
export type Probe = (typeof PROBES)[number];

export interface Lab {
  mlp: Mlp;
  trainable: Trainable;
  init: Init;
  seed: number;
}

/** The chapter-1 MLP with weights from `seed`, re-initialised by `init`. */
export function buildLab(seed: number, init: Init = 'random'): Lab {
  const mlp = buildMlp({ ...MLP_CONFIG, seed });
  const { loss } = withLoss(mlp);
  const g = mlp.graph;
  if (init !== 'random') {
    for (const p of mlp.params) {
      const n = p.size;
      // 'constant': the embeddings stay random (so inputs differ); every weight in W1 and W2 is
      // the same number and every bias 0, so all hidden units start identical.
      const v =
        init === 'zero'
          ? 0
          : p.name === 'C'
            ? undefined
            : p.name === 'W1'
              ? 0.1
              : p.name === 'W2'
                ? 0.05
                : 0;
      if (v !== undefined) g.setParamValues(p, new Array<number>(n).fill(v));
    }
  }
  return {
    mlp,
    trainable: { graph: g, loss, params: mlp.params },
    init,
    seed,
  };
}

export interface LabGraphs {
  /** loss, grad_<param> for each parameter, and the PROBES. */
  step: Uint8Array;
  /** loss only. */
  eval: Uint8Array;
  /** probs [B, V] from ctx and the parameters (for sampling names from the weights as they are). */
  probs: Uint8Array;
  gradNames: string[];
}

/** The three graphs, parameters as inputs. Their structure does not depend on seed or init. */
export function labGraphs(lab: Lab): LabGraphs {
  const { trainable, mlp } = lab;
  const probes: Record<string, Tensor> = {};
  for (const n of trainable.graph.nodes)
    for (const t of n.outputs)
      if ((PROBES as readonly string[]).includes(t.name)) probes[t.name] = t;
  const { step, eval: evalBytes, gradNames } = trainingGraphs(trainable, probes);
  const probs = trainable.graph.toOnnx({ outputs: { probs: mlp.probs }, params: 'inputs' });
  return { step, eval: evalBytes, probs, gradNames };
}

/** A Predict (names/lm.ts) over the probs graph at the stepper's current weights. */
export function predictAt(runner: GraphRunner, lab: Lab, values: readonly Float64Array[]): Predict {
  return async (contexts) => {
    const feeds: Record<string, Feed> = {
      ...paramFeeds(lab.trainable, values),
      ctx: { dtype: 'int64', data: contexts.flat(), dims: [contexts.length, CONTEXT] },
    };
    const out = await runner.run(feeds, ['probs']);
    return Float32Array.from(out['probs'] ?? new Float64Array(contexts.length * V));
  };
}

export function labStepper(
  lab: Lab,
  runner: GraphRunner,
  gradNames: string[],
  opts: { seed: number; optimizer: OptimizerName },
): Stepper {
  return new Stepper(lab.trainable, runner, { ...opts, gradNames });
}
