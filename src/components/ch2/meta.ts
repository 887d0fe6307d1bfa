/**
 * Chapter 2's figures: what each declares about itself (browser-safe, like ../ui/meta.ts).
 */
import { CHAPTER_2 } from '../ui/chapters';
import type { FigureMeta } from '../ui/meta';

/** The models chapter 2's live figures run: the NNLM and the Kneser-Ney bigram lookup. */
export const WORD_MODELS = ['nnlm', 'ngram'] as const;

/** Longest phrase kept from a URL (the figure itself reads at most MAX_PHRASE_CHARS). */
const MAX_URL_TEXT = 10_000;

export interface NextWordState {
  /** Exactly what the reader typed. */
  text: string;
}

export const nextWordMeta: FigureMeta<NextWordState> = {
  id: 'next-word',
  number: '2.3',
  title: 'What comes next?',
  caption:
    'The ten most probable next words after your phrase, under the neural model and under the Kneser-Ney bigram baseline. Each model sees only the end of the current sentence: the NNLM its last four tokens, the bigram its last one. Words it never learned are shown, and read, as <unk>. Click a word to append it.',
  chapter: CHAPTER_2,
  models: WORD_MODELS,
  runtime: 'onnxruntime',
  defaults: { text: 'The state of the' },
  embedHeight: 630,
  teaching: {
    shows:
      'The ten most probable next words after a phrase, under the neural model and under a Kneser-Ney bigram, each seeing only the end of the sentence.',
    lesson:
      "Let students build a sentence by clicking words, and compare where the two models agree and where the neural model's longer context changes the list.",
    exercise:
      'Find a phrase where the last word alone misleads the bigram model but the neural model, seeing four words, ranks a sensible continuation first.',
  },
  parse(q) {
    const text = q.get('text');
    return { text: text === null ? this.defaults.text : text.slice(0, MAX_URL_TEXT) };
  },
  serialize(s) {
    return new URLSearchParams({ text: s.text });
  },
};

export interface LossCurvesState {
  /** Loss in nats, or perplexity (its exponential) on a log scale. */
  scale: 'loss' | 'perplexity';
}

export const lossCurvesMeta: FigureMeta<LossCurvesState> = {
  id: 'loss-curves',
  number: '2.2',
  title: 'Learning curves',
  caption:
    "The NNLM's loss while it trained: the mean over recent training batches, and the loss on a fixed sample of held-out predictions. The horizontal lines are the Kneser-Ney baselines on the whole held-out split. Read from the model card.",
  chapter: CHAPTER_2,
  models: [],
  runtime: 'page',
  defaults: { scale: 'loss' },
  embedHeight: 610,
  teaching: {
    shows:
      'How the neural language model learned: its training loss and held-out loss over training, against the Kneser-Ney baselines, as loss or as perplexity.',
    lesson:
      'Switch between loss and perplexity and ask what the same gap means on each scale; then discuss when training should have stopped.',
    exercise:
      'Read off roughly where the held-out curve crosses the bigram baseline. Why can the training curve keep falling while the held-out one flattens?',
  },
  parse(q) {
    return { scale: q.get('scale') === 'perplexity' ? 'perplexity' : 'loss' };
  },
  serialize(s) {
    return new URLSearchParams(s.scale === 'loss' ? {} : { scale: s.scale });
  },
};

export interface CorpusGlanceState {
  /** Group the addresses by president or by decade. */
  by: 'president' | 'decade';
  /** The president's name or the decade ("1860s"); empty: the figure's default pick. */
  pick: string;
}

export const corpusGlanceMeta: FigureMeta<CorpusGlanceState> = {
  id: 'corpus-glance',
  number: '2.1',
  title: 'The corpus at a glance',
  caption:
    "Zipf's law: each training word's count against its frequency rank, both on log scales. A few words are everywhere, most are rare. Then how much of the held-out text the most frequent words cover, and the words that mark one president or one decade by tf-idf (frequent in its addresses, rare in the others'). All computed from the tokenized addresses when the page was built.",
  chapter: CHAPTER_2,
  models: [],
  runtime: 'page',
  defaults: { by: 'president', pick: 'Abraham Lincoln' },
  embedHeight: 760,
  teaching: {
    shows:
      "The training corpus before any model: word counts against rank on log scales (Zipf's law), how much text the most frequent words cover, and the words that mark one president or one decade.",
    lesson:
      'Start chapter 2 by asking the class to guess how many distinct words cover most of the text, then read the coverage curve together.',
    exercise:
      'Pick two presidents from different centuries and compare their marking words. What does tf-idf reward, and what would plain counts show instead?',
  },
  parse(q) {
    const by = q.get('by') === 'decade' ? 'decade' : 'president';
    const pick = (q.get('pick') ?? (by === 'president' ? this.defaults.pick : '')).slice(0, 100);
    return { by, pick };
  },
  serialize(s) {
    return new URLSearchParams({ by: s.by, pick: s.pick });
  },
};

export const PROJECTIONS = ['tsne', 'umap', 'pca'] as const;
export const COLOURINGS = ['frequency', 'class', 'cluster'] as const;

export interface EmbeddingState {
  /** The word whose neighbours are shown. */
  word: string;
  /** Which 2-D picture: t-SNE or UMAP (both computed at build) or PCA (computed in the page). */
  projection: (typeof PROJECTIONS)[number];
  /** What a dot's colour says: frequency rank, word class, or k-means cluster. */
  color: (typeof COLOURINGS)[number];
}

function oneOf<T extends string>(options: readonly T[], raw: string | null, fallback: T): T {
  return (options as readonly (string | null)[]).includes(raw) ? (raw as T) : fallback;
}

export const embeddingMeta: FigureMeta<EmbeddingState> = {
  id: 'embeddings',
  number: '2.4',
  title: 'The learned word vectors',
  caption:
    "Each dot is one of the most frequent words, placed by its learned vector (the NNLM's row of C, exactly as stored in the model file). t-SNE and UMAP keep each word's near neighbours near; PCA keeps the two directions of greatest spread. Colour by frequency, by word class (tagged in context by the compromise tagger: approximate) or by cluster (k-means on the vectors). Ringed dots are the most isolated words. Search for a word to see its nearest neighbours by cosine similarity.",
  chapter: CHAPTER_2,
  models: [],
  runtime: 'page',
  defaults: { word: 'january', projection: 'tsne', color: 'cluster' },
  embedHeight: 1180,
  teaching: {
    shows:
      "The neural model's learned word vectors drawn in two dimensions (t-SNE, UMAP or PCA), coloured by frequency, word class or cluster, with nearest neighbours on search.",
    lesson:
      'Ask the class to predict which words will sit together, then search for them; compare what the projections keep and what they distort.',
    exercise:
      'Search for a word and list its nearest neighbours by cosine similarity. Are they close in the t-SNE picture too? Explain any that are not.',
  },
  parse(q) {
    const d = this.defaults;
    return {
      word: (q.get('word') ?? d.word).slice(0, 100),
      projection: oneOf(PROJECTIONS, q.get('projection'), d.projection),
      color: oneOf(COLOURINGS, q.get('color'), d.color),
    };
  },
  serialize(s) {
    return new URLSearchParams({ word: s.word, projection: s.projection, color: s.color });
  },
};

export interface HiddenState {
  /** The reader's phrase (its last four tokens are the context). */
  text: string;
}

export const hiddenMeta: FigureMeta<HiddenState> = {
  id: 'hidden-layer',
  number: '2.5',
  title: 'Inside the hidden layer',
  caption:
    "The NNLM's tanh units for the context of your phrase: a histogram of their values (bars) against the held-out text's (outline, scaled to the same number of units), and each unit as a cell, blue for negative, orange for positive. A unit near ±1 is saturated: a small change in its input barely moves it, and its gradient is nearly zero.",
  chapter: CHAPTER_2,
  models: ['nnlm'],
  runtime: 'onnxruntime',
  defaults: { text: 'The state of the' },
  embedHeight: 540,
  teaching: {
    shows:
      "The tanh units of the neural model's hidden layer for the context of a phrase: their values as a histogram against the held-out text's, and unit by unit.",
    lesson:
      'Type a few ordinary and a few unusual phrases and compare how many units sit near plus or minus one; link saturation to small gradients.',
    exercise:
      'Find a phrase whose hidden layer has clearly more saturated units than the held-out text. What does that mean for learning from it?',
  },
  parse(q) {
    const text = q.get('text');
    return { text: text === null ? this.defaults.text : text.slice(0, MAX_URL_TEXT) };
  },
  serialize(s) {
    return new URLSearchParams({ text: s.text });
  },
};
