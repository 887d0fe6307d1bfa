/** Figure "ladder": the reader's text scored by every model of chapters 1-4, side by side. */
import { CHAPTER_4 } from '../../ui/chapters';
import type { FigureMeta } from '../../ui/meta';
import { LADDER, ladderModels } from './ladder';

export interface LadderState {
  /** A name (letters a-z are read; the rest is named and skipped). */
  name: string;
  /** A phrase in words (chapter 2's tokenizer and vocabulary). */
  words: string;
}

/** Longest text kept from a URL (the figure reads at most 64 letters / 120 words of it). */
const MAX_URL_TEXT = 10_000;

export const ladderMeta: FigureMeta<LadderState> = {
  id: 'ladder',
  number: '4.6',
  title: 'The ladder so far',
  caption:
    'Your text scored by every model of chapters 1 to 4: the surprisal of each prediction in bits (−log₂ p; the bar is its size), a name under the character models and a phrase under the word models, with each model’s held-out loss and perplexity from its model card underneath. The held-out numbers are averages over thousands of names or sentences the models never trained on; your text is one more.',
  chapter: CHAPTER_4,
  models: ladderModels(undefined, LADDER),
  runtime: 'onnxruntime',
  defaults: { name: 'jacqueline', words: 'The state of our union is strong.' },
  embedHeight: 1390,
  teaching: {
    shows:
      'One text scored by every model of the book so far, prediction by prediction, next to the held-out loss each model reached: how the ladder from counting to recurrent networks plays out on a single name or sentence.',
    lesson:
      'Have students type a name and a sentence and find the predictions where the recurrent models gain most over the counts: what do those characters or words need to see that a short window cannot?',
    exercise:
      'Find a name on which the LSTM is more surprised in total than the bigram, and explain from the rows which prediction makes the difference.',
  },
  parse(q) {
    const name = q.get('name');
    const words = q.get('words');
    return {
      name: name === null ? this.defaults.name : name.slice(0, MAX_URL_TEXT),
      words: words === null ? this.defaults.words : words.slice(0, MAX_URL_TEXT),
    };
  },
  serialize(s) {
    return new URLSearchParams({ name: s.name, words: s.words });
  },
};
