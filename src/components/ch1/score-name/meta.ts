/** Figure "score-name": how probable is a name, character by character, under three models? */
import { CHAPTER_1 } from '../../ui/chapters';
import type { FigureMeta } from '../../ui/meta';
import { NAME_MODELS, isNameModel, type NameModel } from '../name-models';

export interface ScoreNameState {
  /** Exactly what the reader typed (anything; scoring cleans it and reports what it did). */
  text: string;
  /** Which models to show: all three side by side, or one. */
  model: NameModel | 'all';
}

/** Longest text kept from a URL (the scorer itself cuts at 64 letters). */
const MAX_URL_TEXT = 10_000;

export const scoreNameMeta: FigureMeta<ScoreNameState> = {
  id: 'score-name',
  number: '1.2',
  title: 'Scoring a name, one character at a time',
  caption:
    'Each row is one factor of the chain rule: the probability a model gives the next character given the three before it, and its surprisal in bits (the bar; the thin line is a uniform guess over 27 symbols). The totals are the sum of the rows.',
  chapter: CHAPTER_1,
  models: NAME_MODELS,
  runtime: 'onnxruntime',
  defaults: { text: 'emma', model: 'all' },
  embedHeight: 630,
  teaching: {
    shows:
      'A name scored as a product of conditional probabilities, one factor per character, under three models side by side: a unigram, a bigram and an MLP that sees three characters.',
    lesson:
      'Have each student type their own name and read the rows aloud: which character surprised which model most, and why a longer context helps.',
    exercise:
      'Find a name that the bigram model finds less surprising than the MLP does, and explain from the rows where the difference comes from.',
  },
  parse(q) {
    const text = q.get('text');
    const model = q.get('model');
    return {
      text: text === null ? this.defaults.text : text.slice(0, MAX_URL_TEXT),
      model: isNameModel(model) ? model : 'all',
    };
  },
  serialize(s) {
    const q = new URLSearchParams({ text: s.text });
    if (s.model !== 'all') q.set('model', s.model);
    return q;
  },
};
