import type { Locator, Page } from '@playwright/test';
import { neuronsMeta } from '../../src/components/ch4/neurons/meta';
import { generateMeta } from '../../src/components/ch4/generate/meta';
import { CharVocab } from '../../src/models/rnn/char-vocab';
import { generate, readHidden } from '../../src/models/rnn/generate';
import { loadCard, nodeStep } from '../../src/models/runtime/node';
import { initialState } from '../../src/models/runtime/run';
import { expect, test } from './fixtures';

/** Going live downloads and compiles onnxruntime-web (~14 MB of WASM): slow on a busy machine. */
const LIVE_TIMEOUT = 45_000;
test.describe.configure({ timeout: 180_000 });

/**
 * Figures 4.2 (generate) and 4.3 (neurons) on their embed pages, in Chromium on WASM: the
 * build-time render is onnxruntime-node's output for the default settings; live generation with
 * a seed repeats exactly; Stop and leaving stop it; characters outside the alphabet are named;
 * the neurons figure colours by the unit chosen with the keyboard, with onnxruntime-node's values.
 */

async function live(page: Page, id: string): Promise<Locator> {
  const fig = page.locator(`[data-figure="${id}"]`).first();
  await expect(fig).toHaveAttribute('data-status', 'live', { timeout: LIVE_TIMEOUT });
  return fig;
}

async function vocab(): Promise<CharVocab> {
  return new CharVocab((await loadCard('lstm-chars')).vocabulary);
}

test('the build-time render is the default generation, computed with onnxruntime-node', async ({
  request,
}) => {
  const html = await (await request.get('/embed/generate/')).text();
  const d = generateMeta.defaults;
  const v = await vocab();
  const step = await nodeStep('lstm-chars');
  const { text } = await generate(step.run, initialState(step.io, 1), v, v.encode(d.prompt).ids, {
    temperature: d.t,
    topK: d.k,
    seed: d.seed,
    length: d.n,
  });
  expect(text).toHaveLength(d.n);
  // Compare as text: the generated span's content, unescaped by a DOM-free decode.
  const m = html.match(/data-role="generated"[^>]*>([^<]*)</);
  const shown = (m?.[1] ?? '')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  expect(shown).toBe(text);
  expect(html).toContain('data-phase="static"');
});

test('generating with a seed twice gives the same text; another seed another; EP and speed shown', async ({
  page,
}) => {
  const url = '/embed/generate/?prompt=The%20Congress%20&t=1&k=0&seed=5&n=300';
  const runOnce = async (): Promise<string> => {
    await page.goto(url);
    const fig = await live(page, 'generate');
    await expect(fig).toHaveAttribute('data-phase', 'done', { timeout: LIVE_TIMEOUT });
    await expect(fig).toHaveAttribute('data-key', /seed=5/);
    await expect(fig.locator('[data-role="stats"]')).toContainText('characters per second');
    await expect(fig.locator('[data-role="stats"]')).toContainText('WASM');
    return (await fig.locator('[data-role="generated"]').textContent()) ?? '';
  };
  const a = await runOnce();
  const b = await runOnce();
  expect(a).toHaveLength(300);
  expect(b).toBe(a);
  // The next seed, by the button: a different text of the same length.
  const fig = page.locator('[data-figure="generate"]');
  await fig.getByRole('button', { name: /next seed/ }).click();
  await expect(fig).toHaveAttribute('data-key', /seed=6/);
  await expect(fig).toHaveAttribute('data-phase', 'done', { timeout: LIVE_TIMEOUT });
  const c = (await fig.locator('[data-role="generated"]').textContent()) ?? '';
  expect(c).toHaveLength(300);
  expect(c).not.toBe(a);
});

test('Stop stops the stream; hiding the page stops it; leaving mid-stream is clean', async ({
  page,
}) => {
  await page.goto('/embed/generate/?prompt=We&seed=9&n=2000');
  const fig = await live(page, 'generate');
  await expect(fig).toHaveAttribute('data-phase', 'running', { timeout: LIVE_TIMEOUT });
  await fig.locator('[data-role="stop"]').click();
  await expect(fig).toHaveAttribute('data-phase', 'stopped');
  await expect(fig.locator('[data-role="stats"]')).toContainText('you stopped it');
  const stoppedAt = ((await fig.locator('[data-role="generated"]').textContent()) ?? '').length;
  expect(stoppedAt).toBeLessThan(2000);
  await page.waitForTimeout(500);
  expect(((await fig.locator('[data-role="generated"]').textContent()) ?? '').length).toBe(
    stoppedAt,
  );

  // Again (same seed) starts over; the page going hidden stops it.
  await fig.locator('[data-role="again"]').click();
  await expect(fig).toHaveAttribute('data-phase', 'running');
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await expect(fig).toHaveAttribute('data-phase', 'stopped');
  await expect(fig.locator('[data-role="stats"]')).toContainText('hidden');

  // Leaving in the middle of a generation: no error on the way out (the guard fixture).
  await page.goto('/embed/generate/?prompt=We&seed=10&n=2000');
  await expect(await live(page, 'generate')).toHaveAttribute('data-phase', 'running', {
    timeout: LIVE_TIMEOUT,
  });
  await page.goto('/embed/neurons/');
  await live(page, 'neurons');
});

test('prompt characters outside the alphabet are named and skipped; an empty prompt works', async ({
  page,
}) => {
  await page.goto('/embed/generate/?n=50');
  const fig = await live(page, 'generate');
  const prompt = fig.getByLabel('Prompt');
  await prompt.fill('Peace 😀 and 漢 “quotes”');
  await expect(fig.locator('[data-role="skipped"]')).toContainText('😀');
  await expect(fig.locator('[data-role="skipped"]')).toContainText('漢');
  await expect(fig).toHaveAttribute('data-phase', 'done', { timeout: LIVE_TIMEOUT });
  await expect(fig.locator('.generate__prompt')).toHaveText('Peace  and  "quotes"');
  await prompt.fill('');
  await expect(fig).toHaveAttribute('data-key', /prompt=&/);
  await expect(fig).toHaveAttribute('data-phase', 'done', { timeout: LIVE_TIMEOUT });
  await expect(fig.locator('[data-role="generated"]')).toHaveText(/^.{50}$/s);
  await expect(fig.locator('[data-role="stats"]')).toContainText('prompt is empty');
  // A huge paste is cut, with a message, and nothing breaks.
  await prompt.fill('a'.repeat(100_000));
  await expect(fig.locator('[data-role="skipped"]')).toContainText('cut to its first 400');
  await expect(fig).toHaveAttribute('data-phase', 'done', { timeout: LIVE_TIMEOUT });
});

/** The default unit's value after each character, read by onnxruntime-node. */
async function nodeValues(text: string, unit: number): Promise<number[]> {
  const v = await vocab();
  const step = await nodeStep('lstm-chars');
  const { hidden } = await readHidden(step.run, initialState(step.io, 1), v.encode(text).ids);
  return hidden.map((h) => h[unit] ?? NaN);
}

async function drawn(fig: Locator): Promise<number[]> {
  return fig
    .locator('[data-role="coloured"] span')
    .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-v'))));
}

test('neurons: the keyboard picks a unit, the colours follow it, and match onnxruntime-node', async ({
  page,
}) => {
  const card = await loadCard('lstm-chars');
  const listed = [...(card.neurons ?? [])].sort((a, b) => Math.abs(b.r) - Math.abs(a.r));
  await page.goto('/embed/neurons/');
  const fig = await live(page, 'neurons');
  const first = listed[0]?.unit as number;
  await expect(fig).toHaveAttribute('data-unit', String(first));
  const text = 'He said "we (the people) will" in 1865.';
  await fig.getByLabel('Your text').fill(text);
  await expect(fig).toHaveAttribute('data-text', text);
  const a = await drawn(fig);
  const wantA = await nodeValues(text, first);
  expect(a).toHaveLength(wantA.length);
  a.forEach((x, i) => expect(Math.abs(x - (wantA[i] as number))).toBeLessThan(2e-3));

  // The list is a listbox: arrow keys move through it.
  await fig.getByRole('listbox').focus();
  await page.keyboard.press('ArrowDown');
  const second = listed.find((n) => n.unit !== first)?.unit as number;
  const idx = listed.findIndex((n) => n.unit !== first);
  for (let k = 1; k < idx; k++) await page.keyboard.press('ArrowDown');
  await expect(fig).toHaveAttribute('data-unit', String(second));
  const b = await drawn(fig);
  const wantB = await nodeValues(text, second);
  b.forEach((x, i) => expect(Math.abs(x - (wantB[i] as number))).toBeLessThan(2e-3));
  expect(b).not.toEqual(a);
  await expect(fig.locator('[data-role="summary"]')).toContainText(`Unit ${second}`);

  // Any unit by number; characters outside the alphabet are named.
  await fig.locator('[data-role="unit"]').fill('7');
  await expect(fig).toHaveAttribute('data-unit', '7');
  await fig.getByLabel('Your text').fill('naïve ☃ text');
  await expect(fig.locator('[data-role="skipped"]')).toContainText('☃');
  expect(neuronsMeta.parse(new URLSearchParams('unit=999')).unit).toBe(255);
});
