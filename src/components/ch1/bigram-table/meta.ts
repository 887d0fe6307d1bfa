/** Figure "bigram-table": the bigram model is a 27 x 27 table. */
import { CHAPTER_1 } from '../../ui/chapters';
import type { FigureMeta } from '../../ui/meta';
import { VOCAB } from '../../../models/names/vocab';

export type BigramView = 'counts' | 'probs';

export interface BigramTableState {
  view: BigramView;
  /** Highlighted cell as [row, column] ids: previous character, next character. */
  cell: [number, number];
}

function parseCell(raw: string | null): [number, number] | undefined {
  const chars = [...(raw ?? '')];
  if (chars.length !== 2) return undefined;
  const r = VOCAB.indexOf(chars[0] ?? '');
  const c = VOCAB.indexOf(chars[1] ?? '');
  return r >= 0 && c >= 0 ? [r, c] : undefined;
}

export const bigramTableMeta: FigureMeta<BigramTableState> = {
  id: 'bigram-table',
  number: '1.1',
  title: 'The bigram model is a table',
  caption:
    'Row: the previous character; column: the next one ("." marks the start and the end of a name). Counts are how often each pair occurs in the training names; probabilities are the same rows, smoothed and normalised to sum to 1.',
  chapter: CHAPTER_1,
  models: ['bigram'],
  runtime: 'onnxruntime',
  defaults: { view: 'counts', cell: [5, 13] }, // e -> m
  embedHeight: 970,
  teaching: {
    shows:
      'The whole bigram model as a grid with a row and a column per symbol: how often each character follows each other one in the training names, and the same rows turned into probabilities.',
    lesson:
      'Before any neural network, let the class read the table as a model: pick a row, say which next characters are likely, then switch from counts to probabilities and ask what smoothing changed.',
    exercise:
      'Find a pair of characters that never occurs in the training names. What probability does the smoothed table give it, and why must it not be zero?',
  },
  parse(q) {
    const view = q.get('view');
    return {
      view: view === 'probs' || view === 'counts' ? view : this.defaults.view,
      cell: parseCell(q.get('cell')) ?? this.defaults.cell,
    };
  },
  serialize(s) {
    return new URLSearchParams({ view: s.view, cell: s.cell.map((i) => VOCAB[i] ?? '.').join('') });
  },
};
