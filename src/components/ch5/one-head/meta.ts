/** Figure "one-head": one attention head of the word GPT's first layer, step by step. */
import { MAX_PHRASE_CHARS } from '../../../models/words/lm';
import { CHAPTER_5 } from '../../ui/chapters';
import { intParam, type FigureMeta } from '../../ui/meta';

export interface OneHeadState {
  /** The reader's text (its last sentence is read). */
  text: string;
  /** The head of the first layer (0-based). */
  head: number;
  /** The query position (0-based; -1: the last token). */
  query: number;
}

/** The longest text kept in the state and the URL: its end, as much as the figure reads. */
export const TEXT_MAX = MAX_PHRASE_CHARS;
/** Bounds for the URL; the island clamps to the model's own heads and context. */
export const MAX_HEADS = 16;
export const MAX_POSITIONS = 64;

export const oneHeadMeta: FigureMeta<OneHeadState> = {
  id: 'one-head',
  number: '5.1',
  title: 'One head, step by step',
  caption:
    'One attention head of the word GPT’s first layer on your text, with the model’s own weights: the query of the token you pick, the key of every token up to it, their dot products, the scaling by 1/√d, the causal mask, the softmax weights and the weighted sum of the values. The page does this arithmetic itself and checks its weights against the attention the whole model computes.',
  chapter: CHAPTER_5,
  models: ['gpt-words'],
  runtime: 'onnxruntime',
  defaults: {
    text: 'We must act now to keep our country strong and free.',
    head: 0,
    query: -1,
  },
  embedHeight: 760,
  teaching: {
    shows:
      'Every number of one attention lookup, from the query and keys to the weights and the output, for a real trained model, and that weights on future tokens are exactly zero.',
    lesson:
      'Pick a query and have the class predict, from the scores column alone, which token will get the most weight; then look at the softmax column and discuss what the scaling by 1/√d changed.',
    exercise:
      'Find a head and a query whose weight is spread over many tokens, and one where almost all of it goes to a single token. What is different about the scores in the two cases?',
  },
  parse(q) {
    const d = this.defaults;
    const text = q.get('text');
    return {
      text: text === null ? d.text : text.slice(-TEXT_MAX),
      head: intParam(q, 'head', d.head, 0, MAX_HEADS - 1),
      query: intParam(q, 'query', d.query, -1, MAX_POSITIONS - 1),
    };
  },
  serialize(s) {
    return new URLSearchParams({ text: s.text, head: String(s.head), query: String(s.query) });
  },
};
