/**
 * The exercises in live figures (ui/Exercise.tsx): each check on hand-made inputs (its edges),
 * and on the real models: the figure's default state is "not yet", and an answer found from
 * the models (tests/fixtures/exercise-answers.ts) is "solved", its detail built from the same
 * numbers the figure shows.
 */
import { describe, expect, it } from 'vitest';
import { bigramBeatsMlp } from '../../src/components/ch1/score-name/exercise';
import { scoreNameMeta } from '../../src/components/ch1/score-name/meta';
import { nnlmSurer } from '../../src/components/ch2/next-word/exercise';
import { nextWordMeta } from '../../src/components/ch2/meta';
import type { RunRecord } from '../../src/components/ch3/train/engine';
import { HALF, WITHIN, saturateHalf } from '../../src/components/ch3/train/exercise';
import { TRAIN_DEFAULTS } from '../../src/components/ch3/train/train-meta';
import type { StepRecord } from '../../src/components/ch4/stream';
import { sameWindowNewGuess } from '../../src/components/ch4/unrolled/exercise';
import { unrolledMeta } from '../../src/components/ch4/unrolled/meta';
import { RATIO, sameWordTwoPlaces } from '../../src/components/ch5/one-head/exercise';
import { oneHeadMeta } from '../../src/components/ch5/one-head/meta';
import { charId } from '../../src/models/names/vocab';
import { fmtFixed, fmtProb } from '../../src/components/ui/format';
import type { NameScore } from '../../src/models/names/lm';
import type { NextWords } from '../../src/models/words/lm';
import {
  lrAnswer,
  nameAnswer,
  nameScores,
  oneHeadDrawn,
  phraseAnswer,
  repeatAnswer,
  runFor,
  twiceAnswer,
  unrolledRecords,
  wordResults,
} from '../fixtures/exercise-answers';

const score = (scored: string, logProbBits: number) => ({ scored, logProbBits }) as NameScore;
const top = (word: string, p: number) => ({ top: [{ id: 1, word, p }] }) as unknown as NextWords;
const run = (saturation: { step: number; fraction: number }[]) =>
  ({ saturation }) as unknown as RunRecord;

describe('bigramBeatsMlp (figure 1.2)', () => {
  it('is solved exactly when the bigram total surprisal is lower', () => {
    expect(bigramBeatsMlp.check({ bigram: score('ab', -3), mlp: score('ab', -5) }).solved).toBe(
      true,
    );
    expect(bigramBeatsMlp.check({ bigram: score('ab', -5), mlp: score('ab', -3) }).solved).toBe(
      false,
    );
    expect(bigramBeatsMlp.check({ bigram: score('ab', -4), mlp: score('ab', -4) }).solved).toBe(
      false,
    );
  });
  it('asks for a name when nothing is scored, and for both models', () => {
    expect(bigramBeatsMlp.check({ bigram: score('', -1), mlp: score('', -9) }).solved).toBe(false);
    expect(bigramBeatsMlp.check({ bigram: score('ab', -1) }).solved).toBe(false);
  });
  it('on the real models: the default name is not an answer; a found one is', async () => {
    const start = bigramBeatsMlp.check(await nameScores(scoreNameMeta.defaults.text));
    expect(start.solved).toBe(false);
    const answer = await nameAnswer();
    expect(answer).toBeDefined();
    const scores = await nameScores(answer as string);
    const r = bigramBeatsMlp.check(scores);
    expect(r.solved).toBe(true);
    expect(r.detail).toContain(fmtFixed(-(scores['bigram'] as NameScore).logProbBits));
    expect(r.detail).toContain(fmtFixed(-(scores['mlp'] as NameScore).logProbBits));
  });
});

describe('nnlmSurer (figure 2.3)', () => {
  it('needs the same first word, and the NNLM strictly surer', () => {
    expect(nnlmSurer.check({ nnlm: top('of', 0.5), ngram: top('of', 0.4) }).solved).toBe(true);
    expect(nnlmSurer.check({ nnlm: top('of', 0.4), ngram: top('of', 0.4) }).solved).toBe(false);
    expect(nnlmSurer.check({ nnlm: top('of', 0.3), ngram: top('of', 0.4) }).solved).toBe(false);
    expect(nnlmSurer.check({ nnlm: top('of', 0.9), ngram: top('in', 0.1) }).solved).toBe(false);
    expect(nnlmSurer.check({ nnlm: top('of', 0.9) }).solved).toBe(false);
  });
  it('on the real models: the default phrase is not an answer; clicking words finds one', async () => {
    expect(nnlmSurer.check(await wordResults(nextWordMeta.defaults.text)).solved).toBe(false);
    const answer = await phraseAnswer();
    expect(answer).toBeDefined();
    expect(answer?.startsWith(nextWordMeta.defaults.text)).toBe(true);
    expect(nnlmSurer.check(await wordResults(answer as string)).solved).toBe(true);
  });
});

describe('saturateHalf (figure 3.5)', () => {
  it(`counts only more than ${HALF} within the first ${WITHIN} steps`, () => {
    expect(saturateHalf.check(undefined).solved).toBe(false);
    expect(saturateHalf.check(run([])).solved).toBe(false);
    expect(saturateHalf.check(run([{ step: WITHIN, fraction: HALF + 0.01 }])).solved).toBe(true);
    expect(saturateHalf.check(run([{ step: WITHIN, fraction: HALF }])).solved).toBe(false);
    const late = saturateHalf.check(
      run([
        { step: WITHIN, fraction: 0.2 },
        { step: WITHIN + 10, fraction: 0.9 },
      ]),
    );
    expect(late.solved).toBe(false);
    expect(late.detail).toContain('Reset');
  });
  it('on the real training engine: the default learning rate does not; a larger one does', async () => {
    expect(saturateHalf.check(await runFor(TRAIN_DEFAULTS)).solved).toBe(false);
    const answer = await lrAnswer();
    expect(answer).toBeDefined();
    expect(answer?.lr).toBeGreaterThan(TRAIN_DEFAULTS.lr);
  });
});

/** Steps reading `text` (the start marker first), each with the given top guess. */
const steps = (text: string, guesses: string) =>
  ['.', ...text].map((c, t) => ({
    token: c === '.' ? 0 : (charId(c) as number),
    values: {},
    top: [{ id: charId(guesses[t] ?? 'a') ?? 0, p: 0.5 }],
  })) as StepRecord[];

describe('sameWindowNewGuess (figure 4.1)', () => {
  it('needs the same three letters twice with different top guesses after them, under the RNN', () => {
    // "abcabc": the window "abc" ends at steps 3 and 6.
    expect(
      sameWindowNewGuess.check({ model: 'rnn', records: steps('abcabc', 'aaaxaaz') }).solved,
    ).toBe(true);
    expect(
      sameWindowNewGuess.check({ model: 'rnn', records: steps('abcabc', 'aaaxaax') }).solved,
    ).toBe(false);
    expect(
      sameWindowNewGuess.check({ model: 'lstm', records: steps('abcabc', 'aaaxaaz') }).solved,
    ).toBe(false);
    // The same letter twice is not the same window; the start marker is not a letter.
    expect(
      sameWindowNewGuess.check({ model: 'rnn', records: steps('abxab', 'abcdef') }).solved,
    ).toBe(false);
    expect(sameWindowNewGuess.check({ model: 'rnn', records: steps('', 'a') }).solved).toBe(false);
  });
  it('on the real model: the default name is not an answer; a found one is', async () => {
    const start = await unrolledRecords('rnn', unrolledMeta.defaults.text);
    expect(sameWindowNewGuess.check({ model: 'rnn', records: start }).solved).toBe(false);
    const answer = await repeatAnswer();
    expect(answer).toBeDefined();
    const records = await unrolledRecords('rnn', answer as string);
    const r = sameWindowNewGuess.check({ model: 'rnn', records });
    expect(r.solved).toBe(true);
    expect(r.detail).toContain(fmtProb(records[3]!.top[0]!.p));
    expect(r.detail).toContain(fmtProb(records[6]!.top[0]!.p));
  });
});

describe('sameWordTwoPlaces (figure 5.1)', () => {
  const words = ['<s>', 'the', 'people', 'and', 'the', 'nation'];
  const ids = [0, 5, 9, 7, 5, 11];
  const check = (weights: number[], query = 5) =>
    sameWordTwoPlaces.check({ ids, words, weights, query });
  it(`needs one word twice up to the query, one occurrence at least ${RATIO} times the other`, () => {
    expect(check([0.1, 0.1, 0.2, 0.2, 0.3, 0.1]).solved).toBe(true); // 0.3 / 0.1
    expect(check([0.1, 0.2, 0.2, 0.2, 0.25, 0.05]).solved).toBe(false); // 1.25
    // The second "the" is after the query: not seen.
    expect(check([0.2, 0.1, 0.2, 0.5, 0, 0], 3).solved).toBe(false);
    expect(check([0.2, 0.1, 0.2, 0.5, 0, 0], 3).detail).toContain('No word occurs twice');
    // <s> and <unk> are not words of the text.
    expect(
      sameWordTwoPlaces.check({
        ids: [0, 0, 1, 1],
        words: ['<s>', '<s>', '<unk>', '<unk>'],
        weights: [0.9, 0.05, 0.04, 0.01],
        query: 3,
      }).solved,
    ).toBe(false);
  });
  it('on the real model: the default text repeats no word; a found sentence and head answer it', async () => {
    const start = await oneHeadDrawn(oneHeadMeta.defaults.text, oneHeadMeta.defaults.head);
    const input = (d: typeof start) => ({
      ids: d.ids,
      words: d.words,
      weights: d.step.weights,
      query: d.step.query,
    });
    expect(sameWordTwoPlaces.check(input(start)).solved).toBe(false);
    const answer = await twiceAnswer();
    expect(answer, 'no candidate sentence and head answer the check').toBeDefined();
    const drawn = await oneHeadDrawn(answer!.text, answer!.head);
    const r = sameWordTwoPlaces.check(input(drawn));
    expect(r.solved).toBe(true);
    expect(r.detail).toMatch(/times as much/);
  });
});
