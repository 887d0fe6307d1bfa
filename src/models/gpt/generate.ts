/**
 * Generating words from the GPT's step graph (gpt-words-step), one token at a time, carrying
 * its key/value cache (figure 5.3). Browser-safe: the model comes in as a step function
 * (onnxruntime-node at build time, onnxruntime-web in the page).
 *
 * The model was trained one sentence per row, each read from `<s>`, and it has positions
 * 0 .. context - 1 only. So:
 *   - the prompt's last sentence (the one being continued) is read from `<s>`; sentences the
 *     prompt closed before it are not read (`promptSentence` says which tokens are);
 *   - when the model draws `<s>` the sentence is over: the next one starts from an empty cache,
 *     reading `<s>` at position 0, exactly as in training;
 *   - when the cache holds `context` positions and another token must be read, the cache is
 *     emptied and the last `context / 2` tokens are read again from position 0 (a re-encode),
 *     then the new token: the model always sees at least half a window of context.
 * `<unk>` is never drawn. A generation is a pure function of (model, prompt, temperature,
 * top-k, top-p, seed, length): one seeded draw per token.
 */
import type { State, StepResult } from '../runtime/run';
import { Rng } from '../rng';
import { pickToken, type SampleOptions } from '../sample';
import { BOUNDARY, gluesTo, sentences, tokenize } from '../words/tokenizer';
import { BOUNDARY_ID, UNK_ID, type Vocabulary } from '../words/vocab';

/** One step of the step graph: token ids [B] + the caches -> probs [B * V] and the caches. */
export type GptStep = (token: readonly number[], state: State) => Promise<StepResult>;

export interface GptGenerateOptions extends SampleOptions {
  seed: number;
  /** Tokens (words and punctuation, `<s>` included) to generate. */
  length: number;
}

export interface GptGenerateHooks {
  /** Told each generated token id. */
  onToken?: (id: number, index: number) => void;
  /** Told each time the cache was full and the last half window was read again. */
  onReencode?: (count: number) => void;
  /** Checked before each step: true ends the generation early. */
  stopped?: () => boolean;
  /** Awaited after each step (the caller decides when to hand the page back). */
  pause?: () => Promise<void>;
}

export interface GptGenerated {
  /** The generated ids (without the prompt), `<s>` where a sentence ended. */
  ids: number[];
  stopped: boolean;
  /** How many times the full cache was re-encoded (prompt reading included). */
  reencodes: number;
  /** Model calls made (prompt, generation and re-encodes). */
  steps: number;
}

/** The reader's prompt as the model reads it. */
export interface PromptRead {
  /** Every token of the prompt (tokenizer of chapter 2). */
  tokens: string[];
  /** Ids read after `<s>`: the prompt's last, unfinished sentence (empty if it closed them all). */
  ids: number[];
  /** Tokens of earlier, closed sentences: shown, not read. */
  skipped: number;
  /** Words outside the vocabulary (read as `<unk>`), each once. */
  unknown: string[];
  /** Characters no token took. */
  dropped: string[];
}

export function promptSentence(vocab: Vocabulary, prompt: string): PromptRead {
  const { tokens, dropped } = tokenize(prompt);
  const split = sentences(tokens);
  // The last sentence is open unless the tokenizer would start a new one after it.
  const closed = split.length > 0 && sentences([...tokens, 'x']).length > split.length;
  const open = closed ? [] : (split[split.length - 1] ?? []);
  const unknown = [...new Set(tokens.filter((t) => !vocab.has(t)))];
  return {
    tokens,
    ids: vocab.encode(open),
    skipped: tokens.length - open.length,
    unknown,
    dropped,
  };
}

/** The key/value cache and what it has read since it was last emptied. */
class Cache {
  history: number[] = [];
  state: State;
  probs: Float32Array = new Float32Array(0);
  reencodes = 0;
  steps = 0;
  constructor(
    private readonly step: GptStep,
    private readonly zero: () => State,
    private readonly context: number,
    private readonly hooks: GptGenerateHooks,
  ) {
    this.state = zero();
  }

  private async raw(id: number): Promise<void> {
    const out = await this.step([id], this.state);
    this.state = out.state;
    this.probs = out.probs;
    this.history.push(id);
    this.steps++;
    await this.hooks.pause?.();
  }

  /** Empty the cache (a new sentence). */
  reset(): void {
    this.state = this.zero();
    this.history = [];
  }

  /** Read one token; a full cache is first re-encoded from its last half window. */
  async feed(id: number): Promise<void> {
    if (this.history.length >= this.context) {
      const keep = this.history.slice(-Math.max(1, this.context >> 1));
      this.reset();
      this.reencodes++;
      this.hooks.onReencode?.(this.reencodes);
      for (const k of keep) await this.raw(k);
    }
    await this.raw(id);
  }
}

/**
 * Read `<s>` and the prompt's ids from an empty cache, then draw `length` tokens, each read in
 * turn (a drawn `<s>` starts a new sentence from an empty cache). `context` is the model's
 * number of positions (its card's config.context).
 */
export async function generateWords(
  step: GptStep,
  zero: () => State,
  context: number,
  promptIds: readonly number[],
  opts: GptGenerateOptions,
  hooks: GptGenerateHooks = {},
): Promise<GptGenerated> {
  const rng = new Rng(opts.seed);
  const cache = new Cache(step, zero, context, hooks);
  const result = (ids: number[], stopped: boolean): GptGenerated => ({
    ids,
    stopped,
    reencodes: cache.reencodes,
    steps: cache.steps,
  });
  for (const id of [BOUNDARY_ID, ...promptIds]) {
    if (hooks.stopped?.()) return result([], true);
    await cache.feed(id);
  }
  const ids: number[] = [];
  for (let i = 0; i < opts.length; i++) {
    if (hooks.stopped?.()) return result(ids, true);
    const id = pickToken(cache.probs, opts, rng, (t) => t !== UNK_ID);
    ids.push(id);
    hooks.onToken?.(id, i);
    if (i + 1 === opts.length) break;
    if (id === BOUNDARY_ID) cache.reset();
    await cache.feed(id);
  }
  return result(ids, false);
}

/**
 * Tokens as readable text, appended to `before` (the text so far): a space before a word, none
 * before punctuation or a clitic; `<s>` ends a sentence (nothing shown) and the next word starts
 * with a capital, as does the first word after an empty or closed text; "i" is "I". Returns the
 * text and whether the next word starts a sentence.
 */
export function appendWords(
  before: string,
  tokens: readonly string[],
  sentenceStart: boolean,
): { text: string; start: boolean } {
  let text = before;
  let start = sentenceStart;
  for (const t of tokens) {
    if (t === BOUNDARY) {
      start = true;
      continue;
    }
    const glue = gluesTo(text, t);
    let w = t === 'i' ? 'I' : t;
    if (start && /^[a-z]/.test(w)) w = (w[0] as string).toUpperCase() + w.slice(1);
    if (start && /^[a-z<]/.test(t)) start = false;
    text += glue ? w : ` ${w}`;
  }
  return { text, start };
}
