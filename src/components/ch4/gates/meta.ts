/** Figure "gates": the LSTM's and the GRU's gates, per character, on the reader's text. */
import { CHAPTER_4 } from '../../ui/chapters';
import { intParam, type FigureMeta } from '../../ui/meta';

export const GATE_MODELS = ['lstm', 'gru'] as const;
export type GateModel = (typeof GATE_MODELS)[number];

/** Each model's gates: the step graph's internal outputs (see the cards' io). */
export const GATES: Record<GateModel, readonly { name: string; label: string }[]> = {
  lstm: [
    { name: 'input', label: 'LSTM input gate i' },
    { name: 'forget', label: 'LSTM forget gate f' },
    { name: 'output', label: 'LSTM output gate o' },
  ],
  gru: [
    { name: 'update', label: 'GRU update gate z' },
    { name: 'reset', label: 'GRU reset gate r' },
  ],
};

export interface GatesState {
  /** Exactly what the reader typed. */
  text: string;
  /** The unit followed, 1..H. */
  unit: number;
}

const MAX_URL_TEXT = 10_000;
/** The widest state of the two models (both cards: 64); the island clamps to the real width. */
const MAX_UNIT = 1_024;

export const gatesMeta: FigureMeta<GatesState> = {
  id: 'gates',
  number: '4.4',
  title: 'Gates, character by character',
  caption:
    'For one unit of the names LSTM and one of the names GRU, how open each gate is after every character of your text: 0 shut, 1 fully open (the height of each bar). A forget or update gate near 1 keeps the unit’s old value; the input gate lets new values in; the output gate lets the cell show in the state; the reset gate lets the old state into the GRU’s candidate.',
  chapter: CHAPTER_4,
  models: GATE_MODELS,
  runtime: 'onnxruntime',
  defaults: { text: 'christopher', unit: 1 },
  embedHeight: 500,
  teaching: {
    shows:
      'The gates of two gated recurrent cells, the LSTM and the GRU, on any text: for a chosen unit, how far each gate opens at every character.',
    lesson:
      'Pick a unit together and type names that differ in one letter; ask students to say, from the forget and update gates, where the unit holds on to something and where it lets go.',
    exercise:
      'Find a unit whose LSTM forget gate stays above one half for a whole name and then drops at a particular letter, and describe what that unit might be tracking.',
  },
  parse(q) {
    const text = q.get('text');
    return {
      text: text === null ? this.defaults.text : text.slice(0, MAX_URL_TEXT),
      unit: intParam(q, 'unit', this.defaults.unit, 1, MAX_UNIT),
    };
  },
  serialize(s) {
    const q = new URLSearchParams({ text: s.text });
    if (s.unit !== this.defaults.unit) q.set('unit', String(s.unit));
    return q;
  },
};

/**
 * The unit (1-based) whose LSTM forget gate moves most over the text: the largest difference
 * between its highest and lowest value across the steps (the first unit on a tie; 1 when there
 * is nothing to compare).
 */
export function mostChangingUnit(forget: readonly (readonly number[])[]): number {
  let best = 0;
  let bestRange = -1;
  const units = forget[0]?.length ?? 0;
  for (let u = 0; u < units; u++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const step of forget) {
      const v = step[u] ?? 0;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (hi - lo > bestRange) {
      bestRange = hi - lo;
      best = u;
    }
  }
  return best + 1;
}
