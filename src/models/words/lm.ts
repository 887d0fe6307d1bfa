/**
 * What a word-level model is for in the page, independent of where it runs: read a phrase the
 * way the models read the addresses, and rank the next words. Build time (onnxruntime-node)
 * and the live figure (onnxruntime-web) both call these with their own `Predict`, so the
 * static render and the live figure compute the same numbers the same way.
 */
import type { Predict } from '../contract';
import { BOUNDARY, sentences, tokenize } from './tokenizer';
import { contextOf, type Vocabulary } from './vocab';

/** Longest phrase we read (characters); the rest is ignored and the reader is told. */
export const MAX_PHRASE_CHARS = 2000;

export interface ReadToken {
  /** The token as the tokenizer cut it ("america", "'s", "<num>"). */
  token: string;
  id: number;
  /** True when the token is not in the vocabulary: the model sees `<unk>`. */
  unk: boolean;
}

export interface ReadPhrase {
  /** Every token of the phrase. */
  tokens: ReadToken[];
  /** Characters that are no part of any token. */
  dropped: string[];
  /** True when the phrase was cut at MAX_PHRASE_CHARS. */
  truncated: boolean;
  /** The ids the model reads: the last `context` tokens of the last sentence, `<s>`-padded. */
  context: number[];
  /** The same as words ("<s>" for padding, "<unk>" for unknown words). */
  contextWords: string[];
}

/**
 * Tokenize a phrase and find the context. The models learned from single sentences, each
 * starting from `<s>` padding, so the context never reaches back past a sentence end.
 */
export function readPhrase(vocab: Vocabulary, text: string, context: number): ReadPhrase {
  const truncated = text.length > MAX_PHRASE_CHARS;
  const { tokens, dropped } = tokenize(truncated ? text.slice(0, MAX_PHRASE_CHARS) : text);
  const read = tokens.map((token) => ({ token, id: vocab.id(token), unk: !vocab.has(token) }));
  const last = sentences(tokens).at(-1) ?? [];
  const ids = contextOf(vocab.encode(last), context);
  return { tokens: read, dropped, truncated, context: ids, contextWords: vocab.decode(ids) };
}

export interface RankedWord {
  id: number;
  word: string;
  p: number;
}

/** The k most probable entries of one row of probabilities (ties: lower id first). */
export function topWords(vocab: Vocabulary, row: ArrayLike<number>, k: number): RankedWord[] {
  const best: RankedWord[] = [];
  for (let id = 0; id < row.length; id++) {
    const p = row[id] as number;
    if (!(p > 0) || !Number.isFinite(p)) continue;
    if (best.length < k || p > (best[best.length - 1] as RankedWord).p) {
      let at = best.length;
      while (at > 0 && (best[at - 1] as RankedWord).p < p) at--;
      best.splice(at, 0, { id, word: vocab.word(id), p });
      if (best.length > k) best.pop();
    }
  }
  return best;
}

export interface NextWords {
  phrase: ReadPhrase;
  top: RankedWord[];
}

/** The k most probable next words after `text` under a model. */
export async function nextWords(
  predict: Predict,
  vocab: Vocabulary,
  text: string,
  context: number,
  k = 10,
): Promise<NextWords> {
  const phrase = readPhrase(vocab, text, context);
  const out = await predict([phrase.context]);
  if (out.length !== vocab.size)
    throw new Error(`model returned ${out.length} probabilities; expected ${vocab.size}`);
  return { phrase, top: topWords(vocab, out, k) };
}

/** How a vocabulary word reads in the figure: the boundary is the end of the sentence. */
export function showWord(word: string): string {
  return word === BOUNDARY ? '⟨end of sentence⟩' : word;
}
