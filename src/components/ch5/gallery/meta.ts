/** Figure "head-gallery": the words GPT's heads, classified by what they measurably do. */
import { CHAPTER_5 } from '../../ui/chapters';
import type { FigureMeta } from '../../ui/meta';
import type { HeadClass, ScoreKind } from './scores';

/** How the build measures (./build.ts). */
export const GALLERY = {
  /** Held-out sentences scored (spread evenly over the split). */
  sentences: 160,
  /** Shorter sentences say little about where a head looks. */
  minTokens: 6,
  /** The induction test: random words, repeated once, this many times over. */
  repeatLength: 30,
  repeats: 8,
  /** Its words are drawn from these vocabulary ranks (frequent, but not the commonest). */
  poolFrom: 50,
  poolTo: 2000,
  seed: 5,
  /** A head belongs to a class when its highest score reaches this. */
  threshold: 0.4,
} as const;

export interface GalleryHead {
  layer: number;
  head: number;
  /** Mean scores (null: nothing to count); induction is the repeated-random-words test's. */
  scores: Record<ScoreKind, number | null>;
  /** The induction score on the held-out sentences' own repeats. */
  inductionText: number | null;
  kind: HeadClass;
}

export interface GalleryData {
  sample: { sentences: number; of: number; queries: number; repeats: number; repeatLength: number };
  heads: GalleryHead[];
}

export const CLASSES: readonly { kind: ScoreKind; name: string; says: string }[] = [
  {
    kind: 'previous',
    name: 'Previous token',
    says: 'weight on the token just before',
  },
  {
    kind: 'first',
    name: 'First token (sink)',
    says: 'weight on <s>, the first position, where a head can “rest”',
  },
  { kind: 'self', name: 'Self', says: 'weight on the token itself' },
  {
    kind: 'punctuation',
    name: 'Punctuation',
    says: 'weight on punctuation tokens (commas, full stops, …)',
  },
  {
    kind: 'induction',
    name: 'Induction (copy)',
    says: 'on random words said twice, weight on the word after the first copy of the current one',
  },
];

/** The head scoring highest on `kind` (ties: lower layer, then head). */
export function bestOf(heads: readonly GalleryHead[], kind: ScoreKind): GalleryHead | undefined {
  let best: GalleryHead | undefined;
  for (const h of heads) {
    const v = h.scores[kind];
    if (v !== null && (best === undefined || v > (best.scores[kind] ?? -Infinity))) best = h;
  }
  return best;
}

export interface HeadGalleryState {
  /** The reader's text, on which each class's best head is drawn live. */
  text: string;
}

const MAX_URL_TEXT = 10_000;

export const headGalleryMeta: FigureMeta<HeadGalleryState> = {
  id: 'head-gallery',
  number: '5.5',
  title: 'A gallery of heads, classified by measurement',
  caption:
    'Every head of the words GPT was scored when this page was built, on held-out State of the Union sentences the model never trained on: the mean weight each position puts on the token before it, on the first token <s>, on itself, and on punctuation; and, on random words repeated twice, on the token that followed the earlier occurrence of the current word (the standard induction test). A head joins the class of its highest score if that reaches the threshold shown, and is “mixed” otherwise. Each class’s best head is drawn live on your text.',
  chapter: CHAPTER_5,
  models: ['gpt-words'],
  runtime: 'onnxruntime',
  defaults: {
    text: 'The people of the United States will not forget, and the Congress of the United States will not forget.',
  },
  embedHeight: 1030,
  teaching: {
    shows:
      'What the heads of a small Transformer measurably do: each head’s share of attention on the previous token, the first token, itself, punctuation, and the token after an earlier copy of the current one.',
    lesson:
      'Before showing the table, ask the class to guess from the all-heads figure’s maps which head is a previous-token head; then compare with the measured scores, and discuss why a score needs a sample of text rather than one sentence.',
    exercise:
      'Type a sentence that repeats a phrase. Does the best induction head look, in the second copy, at the word after the first copy? Try a sentence with no repeat and describe what the same head does instead.',
  },
  parse(q) {
    const text = q.get('text');
    return { text: text === null ? this.defaults.text : text.slice(0, MAX_URL_TEXT) };
  },
  serialize(s) {
    return new URLSearchParams({ text: s.text });
  },
};

export type { HeadClass };
