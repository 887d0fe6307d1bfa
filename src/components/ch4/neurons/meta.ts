/** Figure "neurons": hidden units of the character LSTM that track something in the text. */
import { CHAPTER_4 } from '../../ui/chapters';
import { intParam, type FigureMeta } from '../../ui/meta';

export interface NeuronsState {
  /** The reader's text, coloured by the unit. */
  text: string;
  /** The unit (0 .. H-1) that colours it. */
  unit: number;
}

/** The longest text read; longer ones are cut (with a message). */
export const TEXT_MAX = 1000;
/** Units of the model (its card's hidden size; checked at build). */
export const UNITS = 256;

export const neuronsMeta: FigureMeta<NeuronsState> = {
  id: 'neurons',
  number: '4.3',
  title: 'Finding neurons that track the text',
  caption:
    'Units of the character LSTM found at build time by correlating each unit’s value, after every character of held-out addresses, with simple properties of the text: being inside a quotation or parentheses, the position in a word, the end of a sentence, digits. Pick a unit and type: each character is coloured by the unit’s value after reading it (blue negative, red positive).',
  chapter: CHAPTER_4,
  models: ['lstm-chars'],
  runtime: 'onnxruntime',
  defaults: {
    text: 'The Secretary of the Treasury (whose report is "herewith transmitted") estimates $1,250,000 for 1887. We must act.',
    unit: -1,
  },
  embedHeight: 670,
  teaching: {
    shows:
      'What single units of a trained recurrent network respond to: a few track properties of the text that nobody told the model about.',
    lesson:
      'Pick the unit listed for quotations, type a sentence with a quotation in it and ask the class to predict where the colour will change before looking; then try a unit listed for word position.',
    exercise:
      'Choose a unit from the list and write a sentence that makes it behave against its label. What does that say about reading one unit as one concept?',
  },
  parse(q) {
    const d = this.defaults;
    const text = q.get('text');
    return {
      text: text === null ? d.text : text.slice(0, TEXT_MAX),
      unit: intParam(q, 'unit', d.unit, -1, UNITS - 1),
    };
  },
  serialize(s) {
    return new URLSearchParams({ text: s.text, unit: String(s.unit) });
  },
};
