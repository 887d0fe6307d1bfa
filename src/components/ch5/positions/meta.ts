/** Figure "positions": what the GPTs' learned position vectors (`pos`) came to look like. */
import { CHAPTER_5 } from '../../ui/chapters';
import { intParam, type FigureMeta } from '../../ui/meta';

/** The two GPTs whose position tables the figure shows. */
export const POSITION_MODELS = ['gpt-words', 'gpt-names'] as const;
export type PositionModel = (typeof POSITION_MODELS)[number];

export interface PositionsState {
  model: PositionModel;
  /** The position (0-based) whose row is picked out. */
  row: number;
}

/** The largest context of the two models (gpt-words'; checked at build). */
export const MAX_CONTEXT = 64;

export const positionsMeta: FigureMeta<PositionsState> = {
  id: 'positions',
  number: '5.4',
  title: 'What the position vectors learned',
  caption:
    'Each learned position vector (a row of the table P, one per position the model can read) compared with every other by cosine similarity: red where two positions’ vectors point the same way, blue where they point apart, white where they are unrelated. Pick a position to read its row. Computed from the model’s weights when the site was built.',
  chapter: CHAPTER_5,
  models: ['gpt-words', 'gpt-names'],
  runtime: 'page',
  defaults: { model: 'gpt-words', row: 8 },
  embedHeight: 860,
  teaching: {
    shows:
      'That a Transformer’s position vectors, which start random, end up encoding nearness: positions close to each other get similar vectors, learned from the text alone.',
    lesson:
      'Ask the class what a model without position vectors could not tell apart (“the dog bit the man”), then show the matrix and ask why the band along the diagonal appears although nothing told the model that position 7 neighbours position 8.',
    exercise:
      'Pick positions near the start and near the end of the context. Which rows are sharper? Compare the word model with the names model and explain the difference from what each model reads.',
  },
  parse(q) {
    const d = this.defaults;
    const m = q.get('model');
    const model = (POSITION_MODELS as readonly string[]).includes(m ?? '')
      ? (m as PositionModel)
      : d.model;
    return { model, row: intParam(q, 'row', d.row, 0, MAX_CONTEXT - 1) };
  },
  serialize(s) {
    return new URLSearchParams({ model: s.model, row: String(s.row) });
  },
};
