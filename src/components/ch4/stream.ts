/**
 * Chapter 4's streaming of a names step model over the reader's text, shared by figures 4.1
 * ("unrolled") and 4.4 ("gates"), at build time (onnxruntime-node) and in the page
 * (onnxruntime-web). The text is read as a name: the start marker, then each character, one
 * step each, from the zero state, exactly as the model was trained and scored.
 *
 * Incremental: `advance` keeps the steps of the longest common prefix of the old and the new
 * input and runs only the rest from the state the prefix ended in. Typing at the end runs one
 * step; editing in the middle reruns from the edit.
 */
import { encodeName, VOCAB, type EncodedName } from '../../models/names/vocab';
import type { State, StepResult } from '../../models/runtime/run';

/** At most this many characters of the reader's text are run (the rest is named as cut). */
export const MAX_STREAM_CHARS = 200;

/** The first input: the boundary marker, from which the model predicts the first character. */
export const START = 0;

export interface StreamInput {
  encoded: EncodedName;
  /** Ids run, the start marker first: START, c1, ..., cn (n <= MAX_STREAM_CHARS). */
  ids: number[];
  /** Characters left out at the end (beyond MAX_STREAM_CHARS). */
  cut: number;
}

export function streamInput(raw: string): StreamInput {
  const encoded = encodeName(raw);
  const kept = encoded.ids.slice(0, MAX_STREAM_CHARS);
  return { encoded, ids: [START, ...kept], cut: encoded.ids.length - kept.length };
}

/** The symbol an id stands for ('.' for the start marker). */
export function symbol(id: number): string {
  return VOCAB[id] ?? '?';
}

/** One step, as drawn: plain arrays (they cross from the build into the page as props). */
export interface StepRecord {
  /** The input id x_t. */
  token: number;
  /** Each internal asked for after this step ('hidden', gates), [H] each. */
  values: Record<string, number[]>;
  /** The five likeliest next symbols and their probabilities. */
  top: { id: number; p: number }[];
}

/** A model's step: one token and the state so far -> probs, next state, internals. */
export type StepFn = (token: number, state: State) => Promise<StepResult>;

/** What the page keeps between updates: the records and the state after each of them. */
export interface StreamCache {
  ids: number[];
  records: StepRecord[];
  states: State[];
}

export const emptyCache = (): StreamCache => ({ ids: [], records: [], states: [] });

const round = (x: number): number => Math.round(x * 1e4) / 1e4;

export function topOf(probs: ArrayLike<number>, k = 5): { id: number; p: number }[] {
  return Array.from(probs, (p, id) => ({ id, p }))
    .sort((a, b) => b.p - a.p)
    .slice(0, k)
    .map((t) => ({ id: t.id, p: round(t.p) }));
}

/**
 * The steps of `ids`, reusing the cache's common prefix: returns the new cache and how many
 * steps were run. `initial` is the zero state; `internals` the outputs to record.
 */
export async function advance(
  cache: StreamCache,
  ids: readonly number[],
  step: StepFn,
  initial: State,
  internals: readonly string[],
): Promise<{ cache: StreamCache; ran: number }> {
  let keep = 0;
  while (keep < ids.length && keep < cache.ids.length && ids[keep] === cache.ids[keep]) keep++;
  const records = cache.records.slice(0, keep);
  const states = cache.states.slice(0, keep);
  let state = states[keep - 1] ?? initial;
  for (let t = keep; t < ids.length; t++) {
    const out = await step(ids[t] as number, state);
    const values: Record<string, number[]> = {};
    for (const name of internals) {
      const v = out.internals[name];
      values[name] = v ? Array.from(v.data, round) : [];
    }
    records.push({ token: ids[t] as number, values, top: topOf(out.probs) });
    states.push(out.state);
    state = out.state;
  }
  return { cache: { ids: [...ids], records, states }, ran: ids.length - keep };
}

/** A finite number for drawing (anything else is drawn as 0). */
export const finite = (x: number | undefined): number =>
  x !== undefined && Number.isFinite(x) ? x : 0;
