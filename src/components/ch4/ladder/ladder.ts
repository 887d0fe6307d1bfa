/**
 * The ladder's rungs, per corpus, in order: a model file the page runs on the reader's text, or
 * a baseline that only has a held-out score (in another model's card, e.g. the Kneser-Ney
 * n-grams in the NNLM's). Each rung names the chapter that introduces it, so that one figure
 * component draws the ladder as it stands after any chapter: figure 4.6 up to chapter 4,
 * figure 5.6 (ladder-all) every model of the book. Adding a model to the figures is one entry
 * here (its card gives the rest: title, io kind, held-out numbers). Browser-safe.
 */
import type { ModelId } from '../../../models/contract';

export type Rung = { model: ModelId } | { baseline: string; card: ModelId };

export type Corpus = 'names' | 'words';

/** The rungs a figure shows, per corpus (plain data: it crosses from the build into the page). */
export type Ladder = Record<Corpus, readonly Rung[]>;

/** Every rung of the book, and the chapter that introduces it. */
export const RUNGS: Record<Corpus, readonly (Rung & { chapter: number })[]> = {
  // Chapter 1's names, scored on chapter 1's held-out positions (chapters 1, 4 and 5).
  names: [
    { model: 'unigram', chapter: 1 },
    { model: 'bigram', chapter: 1 },
    { model: 'mlp', chapter: 1 },
    { model: 'rnn', chapter: 4 },
    { model: 'gru', chapter: 4 },
    { model: 'lstm', chapter: 4 },
    { model: 'gpt-names', chapter: 5 },
  ],
  // Chapter 2's State of the Union words, on chapter 2's held-out positions.
  words: [
    { baseline: 'kn2', card: 'nnlm', chapter: 2 },
    { baseline: 'kn3', card: 'nnlm', chapter: 2 },
    { model: 'nnlm', chapter: 2 },
    { model: 'lstm-words', chapter: 4 },
    { model: 'gpt-words', chapter: 5 },
  ],
};

/** The ladder as it stands at the end of `chapter`. */
export function ladderUpTo(chapter: number): Ladder {
  const upTo = (c: Corpus): Rung[] =>
    RUNGS[c].filter((r) => r.chapter <= chapter).map(({ chapter: _, ...r }) => r as Rung);
  return { names: upTo('names'), words: upTo('words') };
}

/** Figure 4.6's ladder: the models of chapters 1 to 4. */
export const LADDER: Ladder = ladderUpTo(4);
/** Figure 5.6's ladder: every model of the book. */
export const LADDER_ALL: Ladder = ladderUpTo(Infinity);

/** The model files a ladder runs, in ladder order. */
export function ladderModels(corpus?: Corpus, ladder: Ladder = LADDER): ModelId[] {
  const corpora: Corpus[] = corpus ? [corpus] : ['names', 'words'];
  return corpora.flatMap((c) => ladder[c].flatMap((r) => ('model' in r ? [r.model] : [])));
}

/** One row of the held-out table, from a card. */
export interface HeldOutRow {
  /** A model id, or a baseline's id. */
  id: string;
  title: string;
  /** Mean negative log-likelihood per prediction, nats (the card's number). */
  loss: number;
  perplexity: number;
  /** True when the page runs it on the reader's text. */
  runs: boolean;
}
