/**
 * Figure 4.1's exercise: the same three letters occur twice in the text, and the RNN's likeliest
 * next character differs after the two. Chapter 1's MLP, which sees only the last three
 * characters, would guess the same both times; the RNN's guess comes from its state, i.e. from
 * everything before. Checked on the steps the figure has just drawn, never on a list.
 */
import { fmtProb, glyph } from '../../ui/format';
import type { ExerciseDef } from '../../ui/Exercise';
import { symbol, type StepRecord } from '../stream';

/** Letters in a row the window model of chapter 1 sees. */
export const WINDOW = 3;

export interface RepeatFound {
  letters: string;
  first: number;
  second: number;
}

const windowAt = (records: readonly StepRecord[], t: number): string =>
  records
    .slice(t - WINDOW + 1, t + 1)
    .map((r) => symbol(r.token))
    .join('');

/**
 * The first pair of steps a < b that end the same WINDOW letters (the start marker excluded)
 * with different top guesses for the next character, and whether any window repeats at all.
 */
export function repeatWithDifferentGuess(records: readonly StepRecord[]): {
  found?: RepeatFound;
  repeated: boolean;
} {
  let repeated = false;
  for (let b = WINDOW + 1; b < records.length; b++)
    for (let a = WINDOW; a < b; a++) {
      const w = windowAt(records, a);
      if (w !== windowAt(records, b)) continue;
      repeated = true;
      const ga = records[a]?.top[0];
      const gb = records[b]?.top[0];
      if (ga && gb && ga.id !== gb.id)
        return { found: { letters: w, first: a, second: b }, repeated };
    }
  return { repeated };
}

export interface UnrolledExerciseInput {
  model: string;
  records: readonly StepRecord[];
}

export const sameWindowNewGuess: ExerciseDef<UnrolledExerciseInput> = {
  id: 'same-window-new-guess',
  question:
    'Chapter 1’s MLP sees only the last three characters, so after the same three letters it always makes the same guess. With the recurrent network (Elman) chosen, type letters in which some three letters in a row occur twice, and the network’s likeliest next character differs after the two.',
  hint: 'Repeat a short piece, like “abcabc”, and step through the “Next character” line. Near the start of a name and near its likely end, the network expects different things.',
  waiting:
    'With the live figure, type some letters: it compares the guesses after repeated triples.',
  check({ model, records }) {
    if (model !== 'rnn') return { solved: false, detail: 'choose the recurrent network (Elman).' };
    const { found, repeated } = repeatWithDifferentGuess(records);
    if (!found)
      return {
        solved: false,
        detail: repeated
          ? 'three letters repeat, but the guesses after them are the same.'
          : 'no three letters in a row occur twice yet.',
      };
    const g = (t: { id: number; p: number } | undefined) =>
      t ? `${glyph(symbol(t.id))} (${fmtProb(t.p)})` : '—';
    return {
      solved: true,
      // Steps numbered as the figure numbers them: the start marker is step 1.
      detail: `after “${found.letters}” at step ${found.first + 1}: ${g(records[found.first]?.top[0])}; at step ${found.second + 1}: ${g(records[found.second]?.top[0])}.`,
    };
  },
};
