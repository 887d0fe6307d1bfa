/**
 * Figure 3.5's exercise: saturate the hidden layer (more than half of the tanh units at
 * |h| > SATURATED on a minibatch) within the first WITHIN steps of a run. Checked on the
 * saturation the reader's own run records (engine.ts), never on the build-time run.
 */
import { num } from '../../ui/format';
import type { ExerciseDef } from '../../ui/Exercise';
import { SATURATED, type RunRecord } from './engine';

/** The run must get there within this many steps (the default learning rate does not). */
export const WITHIN = 50;
/** More than this fraction of the units saturated. */
export const HALF = 0.5;

const pct = (f: number): string => `${num(100 * f, 3)}%`;

export const saturateHalf: ExerciseDef<RunRecord | undefined> = {
  id: 'saturate-half',
  question: `Saturate the hidden layer: within the first ${WITHIN} steps of a run, get more than half of the tanh units past |h| > ${SATURATED} on a minibatch. Then look at what happens to the gradients that pass through them.`,
  hint: 'Only the settings of the run change this: the learning rate, the optimizer, the batch. Press Reset to start a new run from step 0.',
  waiting: 'With the live figure, start your own run: it checks the saturation as you train.',
  check(record) {
    const sat = record?.saturation ?? [];
    const last = sat.at(-1);
    if (!record || !last) return { solved: false, detail: 'no steps yet: press Train or Step.' };
    const hit = sat.find((s) => s.step <= WITHIN && s.fraction > HALF);
    if (hit)
      return {
        solved: true,
        detail: `step ${hit.step}: ${pct(hit.fraction)} saturated, where tanh′ = 1 − h² is nearly 0.`,
      };
    return {
      solved: false,
      detail:
        last.step <= WITHIN
          ? `step ${last.step}: ${pct(last.fraction)} of the units saturated.`
          : `past step ${WITHIN} without it (now ${pct(last.fraction)}): change a setting, press Reset.`,
    };
  },
};
