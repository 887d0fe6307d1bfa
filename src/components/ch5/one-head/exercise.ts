/**
 * Figure 5.1's exercise: the first layer reads each token as its word's vector plus its
 * position's, C[w] + P[t], so the same word at two positions is not the same key. The reader finds
 * a text and a head where one word, occurring twice up to the query, gets clearly different
 * weights at its two places. Checked on the weights the figure has just drawn, never on a list.
 */
import type { ExerciseDef } from '../../ui/Exercise';
import { showWord } from '../../../models/words/lm';

/** How many times as much weight one occurrence must get as the other. */
export const RATIO = 1.5;

export interface OneHeadExerciseInput {
  ids: readonly number[];
  words: readonly string[];
  /** The query's weights over every position (0 after the query). */
  weights: readonly number[];
  query: number;
}

export interface TwiceFound {
  word: string;
  first: number;
  second: number;
  ratio: number;
}

/** The pair of occurrences of one word (up to the query) whose weights differ most. */
export function sameWordTwice({ ids, words, weights, query }: OneHeadExerciseInput): {
  found?: TwiceFound;
  repeated: boolean;
} {
  let best: TwiceFound | undefined;
  let repeated = false;
  for (let b = 1; b <= query; b++)
    for (let a = 0; a < b; a++) {
      const w = words[a] ?? '';
      if (ids[a] !== ids[b] || w === '<s>' || w === '<unk>') continue;
      repeated = true;
      const wa = weights[a] ?? 0;
      const wb = weights[b] ?? 0;
      const ratio = Math.max(wa, wb) / Math.min(wa, wb);
      if (Number.isFinite(ratio) && (!best || ratio > best.ratio))
        best = { word: w, first: a, second: b, ratio };
    }
  return best ? { found: best, repeated } : { repeated };
}

export const sameWordTwoPlaces: ExerciseDef<OneHeadExerciseInput> = {
  id: 'same-word-two-places',
  question: `Attention in the first layer reads each token as its word’s vector plus its position’s. Type a sentence in which some word occurs twice before the query token, and find a head that gives one occurrence at least ${RATIO} times the weight of the other.`,
  hint: 'Short common words repeat easily (“the”, “of”, “and”). Keep the last token as the query and try each head.',
  waiting: 'With the live figure, type a sentence: it compares the weights of repeated words.',
  check(drawn) {
    const { found, repeated } = sameWordTwice(drawn);
    if (!repeated)
      return { solved: false, detail: 'No word occurs twice up to the query token yet.' };
    const f = found as TwiceFound;
    const wa = drawn.weights[f.first] ?? 0;
    const wb = drawn.weights[f.second] ?? 0;
    const detail = `“${showWord(f.word)}” at position ${f.first} gets ${wa.toFixed(3)}, at position ${f.second} ${wb.toFixed(3)}: ${f.ratio.toFixed(2)} times as much.`;
    return { solved: f.ratio >= RATIO, detail };
  },
};
