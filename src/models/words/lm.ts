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

/** What a sequence model (chapter 5's GPT) reads of the reader's text: readSentence. */
export interface ReadSentence {
  /**
   * The tokens the model reads, as the tokenizer cut them: `<s>` and the last sentence, or, when
   * that is longer than the model's context, its last `maxLength` positions (as a long
   * sentence's later windows were read in training, positions.ts sequenceRows).
   */
  window: ReadToken[];
  ids: number[];
  /** The same as the model reads them (`<unk>` for words outside the vocabulary). */
  words: string[];
  /** Tokens of the sentence read (without `<s>`). */
  total: number;
  /** Positions cut from its start to fit the context (`<s>` counts as one). */
  cut: number;
  /** Sentences before the last, not read (the models learned one sentence at a time). */
  earlierSentences: number;
  /** Words of the sentence read that are outside the vocabulary, each once, in order. */
  unknown: string[];
  /** Characters that are no part of any token. */
  dropped: string[];
  /** True when only the last MAX_PHRASE_CHARS characters of the text were read. */
  charsCut: boolean;
}

/**
 * The reader's text as a model that reads whole sentences sees it (the words GPT's inspect
 * graph): the last sentence from `<s>`, cut to the last `maxLength` positions. A huge paste is
 * read from its end (it is the last sentence that counts), from a whole word.
 */
export function readSentence(vocab: Vocabulary, text: string, maxLength: number): ReadSentence {
  const charsCut = text.length > MAX_PHRASE_CHARS;
  const tail = charsCut
    ? text.slice(text.length - MAX_PHRASE_CHARS).replace(/^\S{0,40}\s/, '')
    : text;
  const { tokens, dropped } = tokenize(tail);
  const all = sentences(tokens);
  const last = all.at(-1) ?? [];
  const seq = [BOUNDARY, ...last];
  const cut = Math.max(0, seq.length - maxLength);
  const window = seq
    .slice(cut)
    .map((token) => ({ token, id: vocab.id(token), unk: !vocab.has(token) }));
  const ids = window.map((t) => t.id);
  return {
    window,
    ids,
    words: vocab.decode(ids),
    total: last.length,
    cut,
    earlierSentences: Math.max(0, all.length - 1),
    unknown: [...new Set(window.filter((t) => t.unk).map((t) => t.token))],
    dropped,
    charsCut,
  };
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
