import type { Locator, Page } from '@playwright/test';
import { bigramBeatsMlp } from '../../src/components/ch1/score-name/exercise';
import { nnlmSurer } from '../../src/components/ch2/next-word/exercise';
import { saturateHalf } from '../../src/components/ch3/train/exercise';
import { TRAIN_DEFAULTS } from '../../src/components/ch3/train/train-meta';
import { sameWindowNewGuess } from '../../src/components/ch4/unrolled/exercise';
import { sameWordTwoPlaces } from '../../src/components/ch5/one-head/exercise';
import type { NameScore } from '../../src/models/names/lm';
import {
  lrAnswer,
  nameAnswer,
  nameScores,
  phraseAnswer,
  repeatAnswer,
  twiceAnswer,
} from '../fixtures/exercise-answers';
import { expect, test } from './fixtures';

/**
 * The exercises in live figures (ui/Exercise.tsx), one per chapter, driven as a reader would:
 * each starts "not yet" on the figure's default state and becomes "solved" after typing or
 * clicking an answer found at test time from the real models (tests/fixtures/exercise-answers.ts:
 * the same .onnx files with onnxruntime-node, the same training engine). Before JavaScript, each
 * reads as a question to try in the live page.
 */

// Going live downloads and compiles onnxruntime-web; chapter 3 also builds its training graphs.
const LIVE_TIMEOUT = 90_000;
test.describe.configure({ timeout: 240_000 });

const EXERCISES = [
  { chapter: '/chapters/01-probability/', figure: 'score-name', exercise: bigramBeatsMlp },
  { chapter: '/chapters/02-nnlm/', figure: 'next-word', exercise: nnlmSurer },
  { chapter: '/chapters/03-backprop/', figure: 'activations', exercise: saturateHalf },
  { chapter: '/chapters/04-recurrent/', figure: 'unrolled', exercise: sameWindowNewGuess },
  { chapter: '/chapters/05-attention/', figure: 'one-head', exercise: sameWordTwoPlaces },
] as const;

async function liveFigure(page: Page, figure: string): Promise<Locator> {
  const fig = page.locator(`[data-figure="${figure}"]`).first();
  await fig.scrollIntoViewIfNeeded();
  await expect(fig).toHaveAttribute('data-status', 'live', { timeout: LIVE_TIMEOUT });
  return fig;
}

const box = (fig: Locator, id: string) => fig.locator(`[data-exercise="${id}"]`);
const status = (fig: Locator) => fig.locator('[data-role="exercise-status"]');

test('without JavaScript each exercise is a question to try in the live page', async ({
  browser,
}) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  for (const { chapter, figure, exercise } of EXERCISES) {
    await page.goto(chapter);
    const ex = box(page.locator(`[data-figure="${figure}"]`), exercise.id);
    await expect(ex).toHaveCount(1);
    await expect(ex).toHaveAttribute('data-state', 'waiting');
    await expect(ex).toContainText(exercise.question);
    await expect(ex.locator('[role="status"]')).toHaveText(exercise.waiting);
  }
  // Opted into from the chapter: the embed pages show the figure without it.
  await page.goto('/embed/score-name/');
  await expect(page.locator('[data-exercise]')).toHaveCount(0);
  await context.close();
});

test('chapter 1: find a name the bigram finds less surprising than the MLP', async ({ page }) => {
  const answer = await nameAnswer();
  expect(answer, 'no one- or two-letter answer under the real models').toBeDefined();
  const want = await nameScores(answer as string);

  await page.goto('/chapters/01-probability/');
  const fig = await liveFigure(page, 'score-name');
  const ex = box(fig, bigramBeatsMlp.id);
  await expect(ex).toHaveAttribute('data-state', 'not-yet');
  await expect(status(fig)).toContainText('Not yet');
  const before = await ex.boundingBox();

  // The hint is a disclosure, opened from the keyboard.
  const summary = ex.locator('summary');
  await summary.focus();
  await page.keyboard.press('Enter');
  await expect(ex.locator('details')).toHaveAttribute('open', '');
  await page.keyboard.press('Enter');
  await expect(ex.locator('details')).not.toHaveAttribute('open', '');

  const input = fig.locator('input[type="text"]');
  await input.fill('');
  await input.pressSequentially(answer as string);
  await expect(fig).toHaveAttribute('data-text', answer as string);
  await expect(ex).toHaveAttribute('data-state', 'solved');
  // The detail is the figure's own totals (the table's log P(name), without its sign), and
  // they are onnxruntime-node's numbers for the same name (to the shown rounding).
  for (const [id, label] of [
    ['bigram', 'bigram'],
    ['mlp', 'MLP'],
  ] as const) {
    const total = await fig
      .locator(`tfoot td[data-model="${id}"] [data-role="logprob-bits"]`)
      .first()
      .textContent();
    const shown = (total ?? '').replace('\u2212', '');
    await expect(status(fig)).toContainText(`${label} ${shown} bits`);
    expect(Number(shown)).toBeCloseTo(-(want[id] as NameScore).logProbBits, 1);
  }
  // Checking does not move the figure.
  expect((await ex.boundingBox())?.height).toBe(before?.height);

  // Back to a real name: not yet again.
  await input.fill('emma');
  await expect(ex).toHaveAttribute('data-state', 'not-yet');

  // On a phone too, checking does not move the figure.
  await page.setViewportSize({ width: 390, height: 800 });
  await expect(fig).toHaveAttribute('data-text', 'emma');
  const phone = await ex.boundingBox();
  await input.fill(answer as string);
  await expect(ex).toHaveAttribute('data-state', 'solved');
  expect((await ex.boundingBox())?.height).toBe(phone?.height);
});

test('chapter 2: a phrase where both models agree and the NNLM is surer', async ({ page }) => {
  const answer = await phraseAnswer();
  expect(answer, 'clicking the NNLM’s first word never satisfied the check').toBeDefined();

  await page.goto('/chapters/02-nnlm/');
  const fig = await liveFigure(page, 'next-word');
  const ex = box(fig, nnlmSurer.id);
  await expect(ex).toHaveAttribute('data-state', 'not-yet');

  const input = fig.locator('input[type="text"]');
  await input.fill('');
  await input.pressSequentially(answer as string);
  await expect(fig).toHaveAttribute('data-text', answer as string);
  await expect(ex).toHaveAttribute('data-state', 'solved');
  await expect(status(fig)).toContainText('the NNLM is surer');
});

test('chapter 3: saturate half the hidden units within the first steps', async ({ page }) => {
  const answer = await lrAnswer();
  expect(answer, 'no learning rate on the slider saturates half the units in time').toBeDefined();
  const { log10, lr } = answer as { log10: number; lr: number };

  await page.goto('/chapters/03-backprop/');
  const fig = await liveFigure(page, 'activations');
  const ex = box(fig, saturateHalf.id);
  await expect(ex).toHaveAttribute('data-state', 'not-yet');
  // One step at the default learning rate: still not yet.
  await fig.locator('[data-action="step"]').click();
  await expect(fig.locator('[data-role="step"]')).toHaveText('1');
  await expect(ex).toHaveAttribute('data-state', 'not-yet');
  await expect(status(fig)).toContainText('step 1:');

  // The learning rate from the keyboard, as a reader moves the slider (0.05 per arrow key).
  const slider = fig.locator('[data-input="lr"]');
  await slider.focus();
  const presses = Math.round((log10 - Math.log10(TRAIN_DEFAULTS.lr)) / 0.05);
  for (let i = 0; i < presses; i++) await page.keyboard.press('ArrowRight');
  await expect(fig.locator('[data-role="lr"]')).toHaveText(String(lr));
  await fig.locator('[data-action="reset"]').click();
  await expect(fig.locator('[data-role="step"]')).toHaveText('0');
  const before = await ex.boundingBox();
  await fig.locator('[data-action="play"]').click();
  await expect(ex).toHaveAttribute('data-state', 'solved', { timeout: 60_000 });
  await fig.locator('[data-action="play"]').click(); // pause
  await expect(status(fig)).toContainText('saturated');
  expect((await ex.boundingBox())?.height).toBe(before?.height);
});

test('chapter 4: the same three letters twice, and the RNN guesses differently after them', async ({
  page,
}) => {
  const answer = await repeatAnswer();
  expect(
    answer,
    'no doubled three-letter piece answers the check under the real RNN',
  ).toBeDefined();

  await page.goto('/chapters/04-recurrent/');
  const fig = await liveFigure(page, 'unrolled');
  const ex = box(fig, sameWindowNewGuess.id);
  await expect(ex).toHaveAttribute('data-state', 'not-yet');
  await expect(status(fig)).toContainText('no three letters in a row occur twice yet');

  const input = fig.locator('input[type="text"]');
  await input.fill('');
  await input.pressSequentially(answer as string);
  await expect(fig).toHaveAttribute('data-text', answer as string);
  await expect(ex).toHaveAttribute('data-state', 'solved');
  // Steps as the figure numbers them: the start marker is step 1, the third letter step 4.
  await expect(status(fig)).toContainText(`after “${(answer as string).slice(0, 3)}” at step 4`);
  // The check is about the Elman network: the LSTM is not what was asked about.
  await fig.locator('select').first().selectOption('lstm');
  await expect(fig).toHaveAttribute('data-model', 'lstm');
  await expect(ex).toHaveAttribute('data-state', 'not-yet');
});

test('chapter 5: find a head that weighs one word differently at two places', async ({ page }) => {
  const answer = await twiceAnswer();
  expect(
    answer,
    'no candidate sentence and head answer the check under the real model',
  ).toBeDefined();
  const { text, head } = answer as { text: string; head: number };

  await page.goto('/chapters/05-attention/');
  const fig = await liveFigure(page, 'one-head');
  const ex = box(fig, sameWordTwoPlaces.id);
  await expect(ex).toHaveAttribute('data-state', 'not-yet');
  await expect(status(fig)).toContainText('No word occurs twice');

  await fig.locator('[data-role="text"]').fill(text);
  await fig.locator('[data-role="head"]').selectOption(String(head));
  await expect(fig).toHaveAttribute('data-head', String(head));
  await expect(ex).toHaveAttribute('data-state', 'solved');
  await expect(status(fig)).toContainText('times as much');
});
