/**
 * What a names language model is for, independent of where it runs: score a name (how likely is
 * it, character by character?) and sample new names. Both only need a `Predict` function, which
 * the Node runtime (build time) and the browser runtime (live figures) each provide from the same
 * .onnx file, so the static render and the live figure compute the same numbers the same way.
 */
import { BOUNDARY, CONTEXT, V, VOCAB, contextsFor, encodeName, type EncodedName } from './vocab';
import { Rng } from '../rng';

import type { Predict } from '../contract';

export type { Predict } from '../contract';

/** Longest name we score; longer input is cut here and the report says so. */
export const MAX_SCORED_CHARS = 64;
/** Longest name we sample before giving up on the end marker. */
export const MAX_SAMPLED_CHARS = 24;

export interface Prediction {
  /** The CONTEXT previous characters as text, '.'-padded, e.g. ".em". */
  context: string;
  /** The character that actually came next ('.' for the end of the name). */
  target: string;
  targetId: number;
  /** P(target | context) under the model. */
  p: number;
  /** -log2 p: how surprised the model is, in bits (Infinity if p = 0). */
  surprisalBits: number;
}

export interface NameScore {
  /** What was kept, lowercased, dropped (before any cut). */
  encoded: EncodedName;
  /** The text actually scored (at most MAX_SCORED_CHARS characters). */
  scored: string;
  /** True when the input had more than MAX_SCORED_CHARS kept characters. */
  truncated: boolean;
  /** scored.length + 1 predictions: every character, then the end marker. */
  predictions: Prediction[];
  /** Sum of ln p over all predictions (nats). -Infinity if some p is 0. */
  logProbNats: number;
  /** The same in bits: logProbNats / ln 2. */
  logProbBits: number;
  /** exp(-logProbNats / predictions.length): the per-character perplexity. */
  perplexity: number;
}

/** Read row b of a [B * V] output as a probability, mapping anything non-finite or negative to 0. */
function prob(out: Float32Array, b: number, id: number): number {
  const p = out[b * V + id];
  return p !== undefined && Number.isFinite(p) && p > 0 ? p : 0;
}

function checkOutput(out: Float32Array, rows: number): void {
  if (out.length !== rows * V) {
    throw new Error(
      `model returned ${out.length} numbers for ${rows} contexts; expected ${rows * V}`,
    );
  }
}

/**
 * Score a name exactly as typed. All predictions go to the model in ONE batch.
 * Never throws on odd input: empty, spaces, emoji, CJK, digits, 10,000 characters... are reported
 * in `encoded` (dropped / lowercased) and `truncated`. The empty name is one prediction: P('.' | '...').
 */
export async function scoreName(
  predict: Predict,
  raw: string,
  maxChars = MAX_SCORED_CHARS,
): Promise<NameScore> {
  const encoded = encodeName(raw);
  const truncated = encoded.ids.length > maxChars;
  const ids = truncated ? encoded.ids.slice(0, maxChars) : encoded.ids;
  const scored = truncated ? encoded.text.slice(0, maxChars) : encoded.text;
  const { contexts, targets } = contextsFor(ids);
  const out = await predict(contexts);
  checkOutput(out, contexts.length);

  let logProbNats = 0;
  const predictions = contexts.map((ctx, b): Prediction => {
    const targetId = targets[b] as number;
    const p = prob(out, b, targetId);
    logProbNats += Math.log(p);
    return {
      context: ctx.map((id) => VOCAB[id] ?? BOUNDARY).join(''),
      target: VOCAB[targetId] ?? BOUNDARY,
      targetId,
      p,
      surprisalBits: -Math.log2(p),
    };
  });
  return {
    encoded,
    scored,
    truncated,
    predictions,
    logProbNats,
    logProbBits: logProbNats / Math.LN2,
    perplexity: Math.exp(-logProbNats / predictions.length),
  };
}

export interface SampleOptions {
  count: number;
  /** Softmax temperature: p^(1/T), renormalised. T <= MIN_TEMPERATURE means "always the most likely". */
  temperature: number;
  seed: number;
  maxLen?: number;
}

export interface SampledName {
  name: string;
  /** True when the model had not ended the name after maxLen characters. */
  cut: boolean;
}

/** Below this, sampling is greedy (argmax) instead of dividing by ~0. */
export const MIN_TEMPERATURE = 0.01;

/**
 * Reweight one row of probabilities by temperature: w_i = p_i^(1/T), computed as
 * exp((ln p_i - ln p_max) / T) so small T neither overflows nor underflows to all-zero.
 * Returns unnormalised weights (Rng.categorical normalises).
 */
export function temperatureWeights(row: ArrayLike<number>, temperature: number): Float64Array {
  const w = new Float64Array(row.length);
  let best = 0;
  let max = -Infinity;
  for (let i = 0; i < row.length; i++) {
    const p = row[i] as number;
    const lp = Number.isFinite(p) && p > 0 ? Math.log(p) : -Infinity;
    w[i] = lp;
    if (lp > max) {
      max = lp;
      best = i;
    }
  }
  if (max === -Infinity) {
    // A row with no usable probability: end the name rather than invent one.
    w.fill(0);
    w[0] = 1;
    return w;
  }
  if (!(temperature > MIN_TEMPERATURE)) {
    w.fill(0);
    w[best] = 1;
    return w;
  }
  for (let i = 0; i < w.length; i++) w[i] = Math.exp(((w[i] as number) - max) / temperature);
  return w;
}

/**
 * Sample `count` names. All unfinished names advance together, one batched model call per
 * character position. Randomness comes only from Rng(seed), consumed in a fixed order
 * (name 0, 1, 2, ... at each position), so the same seed gives the same names everywhere.
 */
export async function sampleNames(predict: Predict, opts: SampleOptions): Promise<SampledName[]> {
  const count = Math.max(0, Math.min(1000, Math.floor(opts.count)));
  const maxLen = Math.max(1, Math.floor(opts.maxLen ?? MAX_SAMPLED_CHARS));
  const rng = new Rng(opts.seed);
  const ids: number[][] = Array.from({ length: count }, () => []);
  const done: boolean[] = new Array<boolean>(count).fill(false);

  for (let pos = 0; pos < maxLen; pos++) {
    const active = ids.flatMap((_, i) => (done[i] ? [] : [i]));
    if (active.length === 0) break;
    const contexts = active.map((i) => {
      const seq = ids[i] as number[];
      const ctx = seq.slice(-CONTEXT);
      while (ctx.length < CONTEXT) ctx.unshift(0);
      return ctx;
    });
    const out = await predict(contexts);
    checkOutput(out, contexts.length);
    active.forEach((i, b) => {
      const next = rng.categorical(
        temperatureWeights(out.subarray(b * V, (b + 1) * V), opts.temperature),
      );
      if (next === 0) done[i] = true;
      else (ids[i] as number[]).push(next);
    });
  }
  return ids.map((seq, i) => ({
    name: seq.map((id) => VOCAB[id] ?? '').join(''),
    cut: !done[i],
  }));
}
