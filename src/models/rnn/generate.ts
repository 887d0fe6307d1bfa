/**
 * Generating text from a character step model, one character at a time with the state carried
 * (figure 4.2), and reading a text through it (figure 4.3). Browser-safe: the model comes in as
 * a `StepFn` (onnxruntime-node at build time, onnxruntime-web in the page).
 *
 * A generation is a pure function of (model, prompt, temperature, top-k, seed, length): the
 * draws come from one seeded Rng (rng.ts), one draw per character, so the build-time render, a
 * reload and an embed with the same settings show the same text.
 */
import type { Out } from '../contract';
import { Rng } from '../rng';
import { pickToken } from '../sample';
import { START_ID, type CharVocab } from './char-vocab';

/** One step: token ids [B] + state -> probs [B * V], next state, and any internals asked for. */
export type StepFn = (
  token: readonly number[],
  state: Record<string, Out>,
  internals?: readonly string[],
) => Promise<{ probs: Float32Array; state: Record<string, Out>; internals: Record<string, Out> }>;

export interface GenerateOptions {
  /** 0: always the most likely character; 1: the model as trained. */
  temperature: number;
  /** Draw only among the k most likely characters; 0 for all. */
  topK: number;
  seed: number;
  /** Characters to generate after the prompt. */
  length: number;
}

/**
 * The character to emit from `probs`: temperature and top-k applied, then one draw from `rng`
 * (always exactly one, whatever the settings, so the stream of draws stays aligned). Never
 * `<s>` or `<unk>`.
 */
export function pickChar(
  probs: ArrayLike<number>,
  { temperature, topK }: Pick<GenerateOptions, 'temperature' | 'topK'>,
  rng: Rng,
): number {
  return pickToken(probs, { temperature, topK }, rng, (i) => i >= START_ID + 2);
}

export interface GenerateHooks {
  /** Told each generated character. */
  onChar?: (c: string, index: number) => void;
  /** Checked before each step: true ends the generation early (Stop, figure left the page). */
  stopped?: () => boolean;
  /** Awaited between steps now and then, so that the page stays responsive. */
  yieldEvery?: { ms: number; fn: () => Promise<void> };
}

/**
 * Feed the prompt's ids (or `<s>` alone when there are none) from the zero state, then draw
 * `length` characters, each fed back. Returns the generated text (without the prompt).
 */
export async function generate(
  step: StepFn,
  zero: Record<string, Out>,
  vocab: CharVocab,
  promptIds: readonly number[],
  opts: GenerateOptions,
  hooks: GenerateHooks = {},
): Promise<{ text: string; stopped: boolean }> {
  const rng = new Rng(opts.seed);
  let state = zero;
  let probs: Float32Array | undefined;
  let last = performance.now();
  const pause = async (): Promise<void> => {
    const y = hooks.yieldEvery;
    if (y && performance.now() - last >= y.ms) {
      await y.fn();
      last = performance.now();
    }
  };
  for (const id of promptIds.length ? promptIds : [START_ID]) {
    if (hooks.stopped?.()) return { text: '', stopped: true };
    const out = await step([id], state);
    state = out.state;
    probs = out.probs;
    await pause();
  }
  let text = '';
  for (let i = 0; i < opts.length; i++) {
    if (hooks.stopped?.()) return { text, stopped: true };
    const id = pickChar(probs as Float32Array, opts, rng);
    const c = vocab.char(id);
    text += c;
    hooks.onChar?.(c, i);
    if (i + 1 === opts.length) break;
    const out = await step([id], state);
    state = out.state;
    probs = out.probs;
    await pause();
  }
  return { text, stopped: false };
}

/**
 * Read ids from the zero state, and return the hidden state after each [T][H]. `from` resumes
 * after a prefix already read (its states given), so typing at the end runs only new characters.
 */
export async function readHidden(
  step: StepFn,
  zero: Record<string, Out>,
  ids: readonly number[],
  from: { states: Record<string, Out>[]; hidden: Float32Array[] } = { states: [], hidden: [] },
): Promise<{ states: Record<string, Out>[]; hidden: Float32Array[] }> {
  const states = from.states.slice(0, ids.length);
  const hidden = from.hidden.slice(0, ids.length);
  let state = states[states.length - 1] ?? zero;
  for (let t = states.length; t < ids.length; t++) {
    const out = await step([ids[t] as number], state, ['hidden']);
    state = out.state;
    states.push(state);
    hidden.push((out.internals['hidden'] as Out).data);
  }
  return { states, hidden };
}
