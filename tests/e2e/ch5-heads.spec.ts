import type { Locator, Page } from '@playwright/test';
import { readAttention, rowAt } from '../../src/components/ch5/attention';
import { readSentence } from '../../src/models/words/lm';
import { loadCard, nodeSequence } from '../../src/models/runtime/node';
import { Vocabulary } from '../../src/models/words/vocab';
import { expect, test } from './fixtures';

/**
 * Figures 5.2 "heads" and 5.5 "head-gallery" on their embed pages, in Chromium on WASM. What
 * the page shows is checked against onnxruntime-node on the same .onnx file (readAttention on
 * the ids readSentence gives), not against numbers copied from a run.
 */

/** Going live downloads and compiles onnxruntime-web (~14 MB of WASM): slow on a busy machine. */
const LIVE_TIMEOUT = 60_000;
test.describe.configure({ timeout: 180_000 });

/** The strip shows weights to 4 decimals; the two runtimes agree to ~1e-6. */
const TOL = 2e-4;

/** The words GPT's shape, from its card: maps (layers x heads) and positions. */
async function shape(): Promise<{ maps: number; context: number }> {
  const c = await loadCard('gpt-words');
  return {
    maps: Number(c.config['layers']) * Number(c.config['heads']),
    context: Number(c.config['context']),
  };
}

async function live(page: Page, id: string, query = ''): Promise<Locator> {
  await page.goto(`/embed/${id}/?ep=wasm${query ? `&${query}` : ''}`);
  const fig = page.locator(`[data-figure="${id}"]`);
  await expect(fig).toHaveAttribute('data-live-result', 'true', { timeout: LIVE_TIMEOUT });
  return fig;
}

async function type(fig: Locator, text: string): Promise<void> {
  await fig.locator('input[type="text"]').fill(text);
  await expect(fig).toHaveAttribute('data-text', text);
}

/** The strip's weights: the focused query's row under the chosen head. */
async function stripWeights(fig: Locator): Promise<number[]> {
  return fig
    .locator('.ch5-strip__token')
    .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-w'))));
}

/** Row `i` of head (l, h) for `text`, from onnxruntime-node. */
async function expectedRow(text: string, l: number, h: number, i: number): Promise<number[]> {
  const card = await loadCard('gpt-words');
  const m = await nodeSequence('gpt-words');
  const input = readSentence(new Vocabulary(card.vocabulary), text, m.io.maxLength);
  const a = await readAttention(m.run, input.ids);
  const at = rowAt(a, l, h, i < 0 ? a.T - 1 : i);
  return Array.from(a.data.subarray(at, at + a.T));
}

function close(got: number[], want: number[], what: string): void {
  expect(got.length, what).toBe(want.length);
  got.forEach((g, j) => expect(Math.abs(g - (want[j] ?? NaN)), `${what} [${j}]`).toBeLessThan(TOL));
}

test('heads: every map is in the HTML before any JavaScript runs', async ({ request }) => {
  const { maps } = await shape();
  const html = await (await request.get('/embed/heads/')).text();
  expect(html).toContain('data-figure="heads"');
  // The build-time render: one SVG holding every map of the default text, no canvas yet.
  expect(html).toMatch(new RegExp(`<svg[^>]*class="ch5-maps__svg"[^>]*data-maps="${maps}"`));
  expect(html).not.toMatch(/<canvas[^>]*ch5-maps__canvas/);
  expect(html).toContain('Every head, on your text');
  const gallery = await (await request.get('/embed/head-gallery/')).text();
  expect(gallery).toContain('data-figure="head-gallery"');
  expect((gallery.match(/data-class="/g) ?? []).length).toBe(5);
  expect((gallery.match(/<tr data-layer=/g) ?? []).length).toBe(maps);
});

test('heads: typing redraws every map, rows are distributions over the past, and the keyboard moves the focus', async ({
  page,
}) => {
  const { maps } = await shape();
  const fig = await live(page, 'heads');
  const canvas = fig.locator('canvas.ch5-maps__canvas');
  await expect(canvas).toHaveAttribute('data-maps', String(maps));
  const before = await canvas.evaluate((c: HTMLCanvasElement) => c.toDataURL());
  const text = 'We the people of the United States, in order to form a more perfect union.';
  await type(fig, text);
  const T = Number(await fig.getAttribute('data-tokens'));
  expect(T).toBeGreaterThan(10);
  await expect(canvas).toHaveAttribute('data-t', String(T));
  expect(await canvas.evaluate((c: HTMLCanvasElement) => c.toDataURL())).not.toBe(before);

  // The last token is in focus after typing; its row under head (1, 1), as onnxruntime-node.
  await expect(fig).toHaveAttribute('data-token', String(T - 1));
  let w = await stripWeights(fig);
  close(w, await expectedRow(text, 0, 0, -1), 'last token, L1 H1');
  expect(w.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 2);

  // Keyboard: into the strip, three tokens to the left; the future is 0, the past sums to 1.
  await fig.locator('.ch5-strip__token[tabindex="0"]').focus();
  for (let k = 0; k < 3; k++) await page.keyboard.press('ArrowLeft');
  await expect(fig).toHaveAttribute('data-token', String(T - 4));
  await expect(page.locator(':focus')).toHaveAttribute('data-i', String(T - 4));
  w = await stripWeights(fig);
  expect(w.slice(T - 3)).toEqual([0, 0, 0]);
  expect(w.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 2);

  // Another head, chosen with the keyboard in the grid: the strip shows its row.
  await fig.locator('.ch5-maps__button[aria-pressed="true"]').focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowRight');
  await expect(fig).toHaveAttribute('data-layer', '1');
  await expect(fig).toHaveAttribute('data-head', '1');
  await expect(page.locator(':focus')).toHaveAttribute('aria-pressed', 'true');
  close(await stripWeights(fig), await expectedRow(text, 1, 1, T - 4), 'token T-4, L2 H2');

  // Hovering a token focuses it too.
  await fig.locator('.ch5-strip__token[data-i="2"]').hover();
  await expect(fig).toHaveAttribute('data-token', '2');
});

test('heads: the URL carries text, head and token, both ways', async ({ page }) => {
  const text = 'Peace and freedom for the people.';
  const q = new URLSearchParams({ text, layer: '2', head: '3', token: '3' });
  const fig = await live(page, 'heads', q.toString());
  await expect(fig.locator('input[type="text"]')).toHaveValue(text);
  await expect(fig).toHaveAttribute('data-text', text);
  await expect(fig).toHaveAttribute('data-layer', '2');
  await expect(fig).toHaveAttribute('data-head', '3');
  await expect(fig).toHaveAttribute('data-token', '3');
  close(await stripWeights(fig), await expectedRow(text, 2, 3, 3), 'from the URL');
  await fig.locator('.ch5-maps__button[data-layer="0"][data-head="2"]').click();
  await fig.locator('.ch5-strip__token[data-i="5"]').click();
  await expect
    .poll(() => {
      const q = new URL(page.url()).searchParams;
      q.delete('ep');
      return q.toString();
    })
    .toBe(new URLSearchParams({ text, layer: '0', head: '2', token: '5' }).toString());
  await page.reload();
  await expect(fig).toHaveAttribute('data-live-result', 'true', { timeout: LIVE_TIMEOUT });
  await expect(fig).toHaveAttribute('data-head', '2');
  await expect(fig).toHaveAttribute('data-token', '5');
});

test('heads: unknown words, an empty text and a huge paste get a message and nothing breaks', async ({
  page,
}) => {
  const fig = await live(page, 'heads');
  const notes = fig.locator('[data-role="notes"]');
  await type(fig, 'The zorblaxian quuxes of Congress.');
  await expect(notes).toContainText('read as <unk>: zorblaxian, quuxes');
  await expect(fig.locator('.ch5-strip__token--unk')).toHaveCount(2);

  await type(fig, '');
  await expect(notes).toContainText('No words yet');
  await expect(fig).toHaveAttribute('data-tokens', '1');

  const huge = 'the people of the united states , '.repeat(3000);
  await fig.locator('input[type="text"]').fill(huge);
  const { context } = await shape();
  await expect(fig).toHaveAttribute('data-tokens', String(context), { timeout: 20_000 });
  await expect(notes).toContainText(`longer than the model’s context of ${context} tokens`);
  const w = await stripWeights(fig);
  expect(w).toHaveLength(context);
  expect(w.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 2);
  const shown = await fig.evaluate((e) => e.textContent ?? '');
  expect(shown).not.toMatch(/NaN|undefined|Infinity/);
});

test('head-gallery: each class shows its measured best head, drawn live on the reader’s text', async ({
  page,
}) => {
  const { maps } = await shape();
  const fig = await live(page, 'head-gallery');
  const rows = fig.locator('table[data-role="scores"] tbody tr');
  await expect(rows).toHaveCount(maps);
  // Each card names the head with the highest score of its class in the table.
  for (const kind of ['previous', 'first', 'self', 'punctuation', 'induction']) {
    const card = fig.locator(`[data-class="${kind}"]`);
    const scores = await rows.evaluateAll(
      (trs, k) =>
        trs.map((tr) => ({
          l: tr.getAttribute('data-layer'),
          h: tr.getAttribute('data-head'),
          v: Number(tr.querySelector(`[data-score="${k}"]`)?.getAttribute('data-value')),
        })),
      kind,
    );
    const max = Math.max(...scores.map((s) => s.v));
    const best = scores.find((s) => s.v === max);
    await expect(card).toHaveAttribute('data-layer', best?.l ?? '');
    await expect(card).toHaveAttribute('data-head', best?.h ?? '');
    expect(Number(await card.getAttribute('data-score'))).toBe(max);
  }
  const text = 'Congress must act, and Congress must act now.';
  await type(fig, text);
  const T = Number(await fig.getAttribute('data-tokens'));
  const canvases = fig.locator('canvas.ch5-maps__canvas');
  await expect(canvases).toHaveCount(5);
  for (const c of await canvases.all()) await expect(c).toHaveAttribute('data-t', String(T));
});
