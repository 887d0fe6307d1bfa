/**
 * The ladder's rungs, per corpus, in order: a model file the page runs on the reader's text, or
 * a baseline that only has a held-out score (in another model's card, e.g. the Kneser-Ney
 * n-grams in the NNLM's). Adding a model to the figure is one entry here (its card gives the
 * rest: title, io kind, held-out numbers). Browser-safe.
 */
import type { ModelId } from '../../../models/contract';

export type Rung = { model: ModelId } | { baseline: string; card: ModelId };

export type Corpus = 'names' | 'words';

export const LADDER: Record<Corpus, readonly Rung[]> = {
  // Chapter 1's names, scored on chapter 1's held-out positions (chapters 1 and 4).
  names: [
    { model: 'unigram' },
    { model: 'bigram' },
    { model: 'mlp' },
    { model: 'rnn' },
    { model: 'gru' },
    { model: 'lstm' },
  ],
  // Chapter 2's State of the Union words, on chapter 2's held-out positions.
  words: [
    { baseline: 'kn2', card: 'nnlm' },
    { baseline: 'kn3', card: 'nnlm' },
    { model: 'nnlm' },
    { model: 'lstm-words' },
  ],
};

/** The model files the figure runs, in ladder order. */
export function ladderModels(corpus?: Corpus): ModelId[] {
  const corpora: Corpus[] = corpus ? [corpus] : ['names', 'words'];
  return corpora.flatMap((c) => LADDER[c].flatMap((r) => ('model' in r ? [r.model] : [])));
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
