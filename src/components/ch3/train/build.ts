/**
 * Build-time training runs for chapter 3's static renders (Node only: never import from an
 * island). The same TrainRun the page uses, on onnxruntime-node; cached per configuration so
 * the chapter and the embed pages train once.
 */
import { examples, loadNames } from '../../../models/names/data';
import { NodeSession } from '../../../models/train/session';
import type { Examples } from '../../../models/train/step';
import { TrainRun, type RunConfig, type RunRecord, type Runners } from './engine';

let shared:
  | Promise<{ runners: Runners; gradNames: string[]; data: { train: Examples; heldOut: Examples } }>
  | undefined;

function setup(): NonNullable<typeof shared> {
  shared ??= (async () => {
    const graphs = TrainRun.graphs();
    const [step, ev, probs] = await Promise.all([
      NodeSession.create(graphs.step),
      NodeSession.create(graphs.eval),
      NodeSession.create(graphs.probs),
    ]);
    const c = loadNames();
    return {
      runners: { step, eval: ev, probs },
      gradNames: graphs.gradNames,
      data: { train: examples(c.train), heldOut: examples(c.heldOut) },
    };
  })();
  return shared;
}

const runs = new Map<string, Promise<RunRecord>>();

/** The record of `steps` steps of training with `config`, evaluated every `every` steps. */
export function buildRun(config: RunConfig, steps: number, every: number): Promise<RunRecord> {
  const key = JSON.stringify({ config, steps, every });
  let r = runs.get(key);
  if (!r) {
    r = (async () => {
      const s = await setup();
      const run = new TrainRun(config, s.runners, s.gradNames, s.data, every);
      await run.start();
      return run.train(steps);
    })();
    runs.set(key, r);
  }
  return r;
}
