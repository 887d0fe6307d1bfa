/**
 * The reader's text as a word GPT reads it (page and build time alike): chapter 2's tokenizer
 * and vocabulary, the last sentence only (the models were trained one sentence per row, each
 * from `<s>`), and, when that is longer than the context, its last window.
 */
import { BOUNDARY, sentences, tokenize } from '../../models/words/tokenizer';
import type { Vocabulary } from '../../models/words/vocab';
import { MAX_PHRASE_CHARS } from '../../models/words/lm';

export interface GptText {
  /** The token ids the model reads, `<s>` first unless the window was cut. */
  ids: number[];
  /** The same as words (`<unk>` for words outside the vocabulary). */
  words: string[];
  /** Words of the text outside the vocabulary, read as `<unk>` (each once). */
  unknown: string[];
  /** Sentences before the last, not read. */
  earlierSentences: number;
  /** Tokens cut from the start of the last sentence to fit the context. */
  cut: number;
  /** True when the text was longer than MAX_PHRASE_CHARS (the rest ignored). */
  truncated: boolean;
  /** Characters that belong to no token. */
  dropped: string[];
}

export function readGptText(vocab: Vocabulary, text: string, context: number): GptText {
  const truncated = text.length > MAX_PHRASE_CHARS;
  const { tokens, dropped } = tokenize(truncated ? text.slice(0, MAX_PHRASE_CHARS) : text);
  const all = sentences(tokens);
  const last = all.at(-1) ?? [];
  const seq = [BOUNDARY, ...last];
  const cut = Math.max(0, seq.length - context);
  const kept = seq.slice(cut);
  const ids = vocab.encode(kept);
  return {
    ids,
    words: vocab.decode(ids),
    unknown: [...new Set(last.filter((t) => !vocab.has(t)))],
    earlierSentences: Math.max(0, all.length - 1),
    cut,
    truncated,
    dropped,
  };
}
