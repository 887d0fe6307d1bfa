/** Figure "vanishing-gradients": how far back does one prediction's gradient reach? */
import { CHAPTER_4 } from '../../ui/chapters';
import type { FigureMeta } from '../../ui/meta';

export interface VanishingState {
  /** Exactly what the reader typed (letters a-z are read; the rest is named and skipped). */
  text: string;
}

/** Longest text kept from a URL (the figure itself reads at most GRAD_STEPS - 1 letters). */
const MAX_URL_TEXT = 10_000;

export const vanishingMeta: FigureMeta<VanishingState> = {
  id: 'vanishing-gradients',
  number: '4.5',
  title: 'Gradients through time',
  caption:
    'How much the loss of the last prediction (the end of the name) depends on the hidden state k characters earlier: the norm of ∂L/∂h over its hidden units, for the trained RNN, GRU and LSTM, on a logarithmic scale. Computed in the page by backpropagation through the unrolled model, the same autodiff as chapter 3.',
  chapter: CHAPTER_4,
  models: ['rnn', 'gru', 'lstm'],
  runtime: 'onnxruntime',
  defaults: { text: 'anastasiaelizabeth' },
  embedHeight: 730,
  teaching: {
    shows:
      'The gradient of one prediction’s loss with respect to each earlier hidden state, for a plain recurrent network, a GRU and an LSTM trained on the same names: how quickly the signal that trains the early steps fades.',
    lesson:
      'Type a long run of letters and compare the slopes on the log scale: a straight line is a constant factor lost per step, the product of Jacobians made visible. Ask which cell keeps the most signal twenty steps back, and why the gates help.',
    exercise:
      'Find a text for which the plain RNN’s gradient drops below a hundredth of its value at k = 0 within ten steps, and a text that keeps it higher; describe what the two texts have in common.',
  },
  parse(q) {
    const text = q.get('text');
    return { text: text === null ? this.defaults.text : text.slice(0, MAX_URL_TEXT) };
  },
  serialize(s) {
    return new URLSearchParams({ text: s.text });
  },
};
