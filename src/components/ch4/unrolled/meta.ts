/** Figure "unrolled": the recurrence run on the reader's text, one step at a time. */
import { CHAPTER_4 } from '../../ui/chapters';
import { intParam, type FigureMeta } from '../../ui/meta';

export const UNROLLED_MODELS = ['rnn', 'lstm'] as const;
export type UnrolledModel = (typeof UNROLLED_MODELS)[number];

export function isUnrolledModel(x: string | null | undefined): x is UnrolledModel {
  return (UNROLLED_MODELS as readonly string[]).includes(x ?? '');
}

export interface UnrolledState {
  /** Exactly what the reader typed. */
  text: string;
  model: UnrolledModel;
  /** The step shown in detail, from 1 (reading the start marker); -1 follows the last step. */
  step: number;
}

/** Longest text kept from a URL (the figure itself reads at most MAX_STREAM_CHARS letters). */
const MAX_URL_TEXT = 10_000;

export const unrolledMeta: FigureMeta<UnrolledState> = {
  id: 'unrolled',
  number: '4.1',
  title: 'The recurrence, unrolled on your text',
  caption:
    'The names RNN reads the start marker and then your text, one character per step. Each step turns the character x_t and the previous state h_{t−1} into the new state h_t, from h_0 = 0; the heatmap shows every state so far, one column per step, one row per unit (orange positive, blue negative). Typing runs only the new characters, from the state carried over.',
  chapter: CHAPTER_4,
  models: UNROLLED_MODELS,
  runtime: 'onnxruntime',
  defaults: { text: 'emma', model: 'rnn', step: -1 },
  embedHeight: 800,
  teaching: {
    shows:
      'A recurrent network reading a name one character at a time: each step combines the character with the state carried from the step before, and the heatmap of states grows by one column per character.',
    lesson:
      'Type a name letter by letter and ask students to predict which columns change; then edit a letter in the middle and discuss why every later column changes too.',
    exercise:
      'Find two names that end in the same three letters but leave the network in visibly different states, and explain why a three-character window model could not tell them apart.',
  },
  parse(q) {
    const text = q.get('text');
    const model = q.get('model');
    const step = intParam(q, 'step', -1, -1, 1_000);
    return {
      text: text === null ? this.defaults.text : text.slice(0, MAX_URL_TEXT),
      model: isUnrolledModel(model) ? model : this.defaults.model,
      step: step < 1 ? -1 : step,
    };
  },
  serialize(s) {
    const q = new URLSearchParams({ text: s.text });
    if (s.model !== 'rnn') q.set('model', s.model);
    if (s.step >= 1) q.set('step', String(s.step));
    return q;
  },
};
