/**
 * What figure 4.5 feeds its gradient graphs (gradients.ts) and reads back, without the graph
 * builder: the page loads this with the figure and the builder only when it goes live.
 */
import type { GraphRunner } from '../train/step';

/** The output holding ||dL/dh_t|| for t = 0..T-1. */
export const GRAD = 'gradH';

/** The feeds for one text: ids are the tokens after the start marker (0); L is the end's loss. */
export function gradientFeeds(
  ids: readonly number[],
  length: number,
): { tokens: number[]; targets: number[]; pick: number[]; used: number } {
  const used = Math.min(ids.length + 1, length); // positions read: the start marker + the text
  const tokens = new Array<number>(length).fill(0);
  const targets = new Array<number>(length).fill(0);
  const pick = new Array<number>(length).fill(0);
  for (let t = 1; t < used; t++) tokens[t] = ids[t - 1] as number;
  // Position t predicts the token after it; the last position read predicts the end marker (0)
  // if the whole text fit, else the next character of the text.
  for (let t = 0; t < used; t++) targets[t] = t < ids.length ? (ids[t] as number) : 0;
  pick[used - 1] = 1;
  return { tokens, targets, pick, used };
}

/** Positions the page's gradient graphs unroll: the start marker and up to 39 letters. */
export const GRAD_STEPS = 40;

export interface BpttResult {
  /** ||dL/dh_{T-k}|| for k = 0 .. used - 1 (k = 0: the state the last prediction reads). */
  byLag: number[];
  /** L = -ln p(target | the text), nats. */
  loss: number;
}

/** The gradient norms for letter ids (names vocabulary), the last prediction's loss as L. */
export async function bpttNorms(
  runner: GraphRunner,
  ids: readonly number[],
  length = GRAD_STEPS,
): Promise<BpttResult> {
  const f = gradientFeeds(ids, length);
  const out = await runner.run(
    {
      tokens: { dtype: 'int64', data: f.tokens, dims: [1, length] },
      targets: { dtype: 'int64', data: f.targets, dims: [1, length] },
      pick: { dtype: 'float32', data: f.pick, dims: [1, length] },
    },
    ['loss', GRAD],
  );
  const norms = out[GRAD];
  const loss = out['loss']?.[0];
  if (!norms || norms.length !== length || loss === undefined)
    throw new Error('the gradient graph returned no gradH / loss');
  const byLag: number[] = [];
  for (let k = 0; k < f.used; k++) byLag.push(norms[f.used - 1 - k] as number);
  return { byLag, loss };
}
