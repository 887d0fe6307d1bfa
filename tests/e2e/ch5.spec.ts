import type { Locator, Page } from '@playwright/test';
import { readSentence } from '../../src/models/words/lm';
import { loadCard, nodeSequence } from '../../src/models/runtime/node';
import { Vocabulary } from '../../src/models/words/vocab';
import { expect, test } from './fixtures';

/** Going live downloads and compiles onnxruntime-web (~14 MB of WASM): slow on a busy machine. */
const LIVE_TIMEOUT = 45_000;
test.describe.configure({ timeout: 180_000 });

/**
 * Chapter 5's figures 5.1 "one-head" and 5.4 "positions" in Chromium on the WASM path. 5.1's
 * weights are checked three ways: against the model's own attention in the page (the figure's
 * check, shown on screen), against onnxruntime-node's attention for the same tokens (found here
 * from the card's vocabulary, independently of the page), and against the softmax's own rules
 * (each row sums to 1, the future gets exactly 0).
 */

const CHAPTER = '/chapters/05-attention/';
/** The figure's promise (float32 model against its float64 arithmetic). */
const AGREE = 1e-4;

/** A GPT's number of positions, from its card (what the figures cut texts to). */
async function contextOf(id: string): Promise<number> {
  return Number((await loadCard(id)).config['context']);
}

async function live(page: Page, id: string): Promise<Locator> {
  const fig = page.locator(`[data-figure="${id}"]`).first();
  await fig.scrollIntoViewIfNeeded();
  await expect(fig).toHaveAttribute('data-status', 'live', { timeout: LIVE_TIMEOUT });
  return fig;
}

/** onnxruntime-node's layer-0 attention row for `text`, `head`, `query` (-1: the last token). */
async function expectedRow(text: string, head: number, query: number) {
  const card = await loadCard('gpt-words');
  const read = readSentence(new Vocabulary(card.vocabulary), text, Number(card.config['context']));
  const T = read.ids.length;
  const q = query < 0 ? T - 1 : query;
  const out = await (await nodeSequence('gpt-words')).run([read.ids], ['attention']);
  const att = out['attention']!;
  const at = (head * T + q) * T; // layer 0
  return { T, q, row: Array.from(att.data.subarray(at, at + T)) };
}

/** The weights the figure shows, one per position. */
async function shownWeights(fig: Locator): Promise<number[]> {
  return fig
    .locator('[data-role="row"]')
    .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-weight'))));
}

async function expectNoNaN(fig: Locator): Promise<void> {
  const text = await fig.evaluate((e) => e.textContent ?? '');
  expect(text).not.toMatch(/NaN|undefined|Infinity/);
}

test('both figures are drawn at build time: they read with JavaScript off', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(CHAPTER);
  const pos = page.locator('[data-figure="positions"]');
  await expect(pos).toBeVisible();
  const card = await loadCard('gpt-words');
  const n = Number(card.config['context']);
  // One cell per pair of positions, and the picked row's outline.
  await expect(pos.locator('svg rect')).toHaveCount(n * n + 1);
  await expect(pos.locator('[data-role="row-text"]')).toContainText('Position 8: most like');
  const one = page.locator('[data-figure="one-head"]');
  await expect(one.locator('[data-role="agree"]')).toHaveAttribute('data-ok', 'yes');
  const weights = await shownWeights(one);
  expect(weights.length).toBeGreaterThan(1);
  expect(Math.abs(weights.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-6);
  await context.close();
});

test('one-head: typing recomputes every stage, and its weights are the model’s own attention', async ({
  page,
}) => {
  await page.goto(`${CHAPTER}?ep=wasm`);
  const fig = await live(page, 'one-head');
  const text = 'We must act now, and we must act together.';
  await fig.locator('[data-role="text"]').fill(text);
  await fig.locator('[data-role="head"]').selectOption('2');
  const { T, row } = await expectedRow(text, 2, -1);
  await expect(fig).toHaveAttribute('data-tokens', String(T));
  await expect(fig).toHaveAttribute('data-head', '2');
  await expect(fig.locator('[data-role="agree"]')).toHaveAttribute('data-ok', 'yes');
  const diff = Number(await fig.locator('[data-role="agree"]').getAttribute('data-diff'));
  expect(diff).toBeLessThan(AGREE);
  const last = await shownWeights(fig);
  expect(last).toHaveLength(T);
  last.forEach((w, j) => expect(Math.abs(w - (row[j] as number)), `j=${j}`).toBeLessThan(AGREE));

  // A query in the middle: the later positions get exactly 0, the rest sums to 1.
  const q = 4;
  await fig.locator('[data-role="token"]').nth(q).click();
  await expect(fig).toHaveAttribute('data-query', String(q));
  const mid = await shownWeights(fig);
  const want = await expectedRow(text, 2, q);
  mid.forEach((w, j) => {
    if (j > q) expect(w, `future j=${j}`).toBe(0);
    else expect(Math.abs(w - (want.row[j] as number)), `j=${j}`).toBeLessThan(AGREE);
  });
  expect(Math.abs(mid.slice(0, q + 1).reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-9);
  await expect(fig.locator('[data-role="stages"] tr.is-future')).toHaveCount(T - q - 1);
  await expectNoNaN(fig);
});

test('one-head: empty, unknown, several sentences and too long a text each get a message', async ({
  page,
}) => {
  await page.goto(`${CHAPTER}?ep=wasm`);
  const fig = await live(page, 'one-head');
  const input = fig.locator('[data-role="text"]');
  const note = fig.locator('[data-role="note"]');

  await input.fill('');
  await expect(note).toContainText('only the start marker');
  await expect(fig).toHaveAttribute('data-tokens', '1');
  await expect(fig.locator('[data-role="agree"]')).toHaveAttribute('data-ok', 'yes');

  await input.fill('The zorblax committee met. The quixotry of 😀 ideas ẞ matters');
  await expect(note).toContainText('only your last sentence is read');
  await expect(note).toContainText('quixotry');
  await expect(fig.locator('[data-role="agree"]')).toHaveAttribute('data-ok', 'yes');

  const ctx = await contextOf('gpt-words');
  const long = Array.from({ length: ctx + 86 }, (_, i) => (i % 2 ? 'the' : 'nation')).join(' ');
  await input.fill(long);
  await expect(note).toContainText(`only its last ${ctx} are read`);
  await expect(fig).toHaveAttribute('data-tokens', String(ctx));
  await expect(fig.locator('[data-role="agree"]')).toHaveAttribute('data-ok', 'yes');
  const w = await shownWeights(fig);
  expect(Math.abs(w.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-6);
  await expectNoNaN(fig);
});

test('positions: keys and the model switch pick rows; the embed pages take their state from the URL', async ({
  page,
}) => {
  const [words, names] = [await contextOf('gpt-words'), await contextOf('gpt-names')];
  await page.goto(`${CHAPTER}`);
  const pos = await live(page, 'positions');
  const grid = pos.locator('[role="slider"]');
  await grid.focus();
  await page.keyboard.press('ArrowDown');
  await expect(pos).toHaveAttribute('data-row', '9');
  await page.keyboard.press('End');
  await expect(pos).toHaveAttribute('data-row', String(words - 1));
  await pos.locator('[data-role="model"]').selectOption('gpt-names');
  await expect(pos).toHaveAttribute('data-model', 'gpt-names');
  await expect(pos).toHaveAttribute('data-row', String(names - 1));
  await expect(pos.locator('svg rect')).toHaveCount(names * names + 1);

  await page.goto('/embed/positions/?model=gpt-names&row=5');
  const embedded = page.locator('[data-figure="positions"]');
  await expect(embedded).toHaveAttribute('data-model', 'gpt-names');
  await expect(embedded).toHaveAttribute('data-row', '5');

  const text = 'Our nation is strong.';
  await page.goto(`/embed/one-head/?ep=wasm&text=${encodeURIComponent(text)}&head=1&query=2`);
  const one = await live(page, 'one-head');
  await expect(one).toHaveAttribute('data-head', '1');
  await expect(one).toHaveAttribute('data-query', '2');
  const { row } = await expectedRow(text, 1, 2);
  const w = await shownWeights(one);
  w.forEach((x, j) => expect(Math.abs(x - (row[j] as number)), `j=${j}`).toBeLessThan(AGREE));
});
