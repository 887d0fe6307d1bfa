/**
 * The reader's text on its way into a chapter 5 words model (gpt-words), shared by the ch5
 * figures that read a text whole (heads, head-gallery): chapter 2's tokenizer and vocabulary,
 * the boundary <s> first (every training row started with it), and, when the text is longer
 * than the model's context, its last window. Browser-safe; build time and page call the same.
 */
import { tokenize } from '../../models/words/tokenizer';
import { BOUNDARY_ID, type Vocabulary } from '../../models/words/vocab';
import { listChars } from '../ui/format';

/** A huge paste is read from its last this-many characters (plenty for 64 words). */
export const MAX_INPUT_CHARS = 4000;

export interface WindowToken {
  /** As shown: the token the tokenizer cut ("america", "'s", "<num>"), or "<s>". */
  token: string;
  id: number;
  /** Not in the vocabulary: the model reads <unk>. */
  unk: boolean;
}

export interface WordsInput {
  /** What the model reads: <s>, then the last (maxLength - 1) tokens of the text. */
  window: WindowToken[];
  ids: number[];
  /** Tokens of the text in all (the window may hold fewer). */
  total: number;
  /** Tokens left out at the start (total - window tokens after <s>). */
  cut: number;
  /** Distinct words outside the vocabulary, in the window, in order of appearance. */
  unknown: string[];
  /** Distinct characters the tokenizer ignored. */
  dropped: string[];
  /** True when only the last MAX_INPUT_CHARS characters were read. */
  charsCut: boolean;
}

export function wordsInput(vocab: Vocabulary, text: string, maxLength: number): WordsInput {
  const charsCut = text.length > MAX_INPUT_CHARS;
  // Cut at a space if there is one near, so the first word read is a whole word.
  let tail = charsCut ? text.slice(text.length - MAX_INPUT_CHARS) : text;
  if (charsCut) tail = tail.replace(/^\S{0,40}\s/, '');
  const { tokens, dropped } = tokenize(tail);
  const keep = Math.max(0, maxLength - 1);
  const kept = tokens.slice(Math.max(0, tokens.length - keep));
  const window: WindowToken[] = [
    { token: '<s>', id: BOUNDARY_ID, unk: false },
    ...kept.map((token) => ({ token, id: vocab.id(token), unk: !vocab.has(token) })),
  ];
  const unknown = [...new Set(window.filter((t) => t.unk).map((t) => t.token))];
  return {
    window,
    ids: window.map((t) => t.id),
    total: tokens.length,
    cut: tokens.length - kept.length,
    unknown,
    dropped,
    charsCut,
  };
}

/** At most this many unknown words are named; the rest are counted. */
const NAMED = 8;

/** What happened to the text, in words (empty when nothing needs saying). */
export function inputNotes(input: WordsInput, maxLength: number): string[] {
  const notes: string[] = [];
  if (input.total === 0) notes.push('No words yet: type some text to see where each head looks.');
  if (input.cut > 0)
    notes.push(
      `Your text is longer than the model’s context of ${maxLength} tokens: it reads <s> and the last ${maxLength - 1} tokens${input.charsCut ? ` (of the last ${MAX_INPUT_CHARS} characters)` : ` (${input.cut} earlier tokens left out)`}.`,
    );
  else if (input.charsCut)
    notes.push(`Your text is very long: only its last ${MAX_INPUT_CHARS} characters are read.`);
  if (input.unknown.length > 0) {
    const more = input.unknown.length > NAMED ? ` and ${input.unknown.length - NAMED} more` : '';
    notes.push(
      `Not in the vocabulary, read as <unk>: ${input.unknown.slice(0, NAMED).join(', ')}${more}.`,
    );
  }
  if (input.dropped.length > 0)
    notes.push(`Ignored (not part of any token): ${listChars(input.dropped)}.`);
  return notes;
}
