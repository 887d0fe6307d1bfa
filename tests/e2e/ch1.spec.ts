import type { Locator, Page } from '@playwright/test';
import { sampleNames, scoreName, type NameScore } from '../../src/models/names/lm';
import { nodePredict } from '../../src/models/runtime/node';
import { sampleNamesMeta } from '../../src/components/ch1/sample-names/meta';
import { scoreNameMeta } from '../../src/components/ch1/score-name/meta';
import { fmtProb } from '../../src/components/ui/format';
import { expect, test } from './fixtures';

/** Going live downloads and compiles onnxruntime-web (~14 MB of WASM): slow on a busy machine. */
const LIVE_TIMEOUT = 45_000;
// Several tests load a page more than once.
test.describe.configure({ timeout: 180_000 });

/**
 * Chapter 1 and its three figures, in Chromium on the WASM path. Every expected number is
 * computed here, in Node, from the same .onnx files with onnxruntime-node (src/models/runtime/node.ts).
 */

const CHAPTER = '/chapters/01-probability/';
const MODELS = ['unigram', 'bigram', 'mlp'] as const;

async function expectedScore(model: string, text: string): Promise<NameScore> {
  return scoreName(await nodePredict(model), text);
}

async function live(page: Page, id: string): Promise<Locator> {
  const fig = page.locator(`[data-figure="${id}"]`).first();
  await fig.scrollIntoViewIfNeeded();
  await expect(fig).toHaveAttribute('data-status', 'live', { timeout: LIVE_TIMEOUT });
  return fig;
}

/** The numbers as drawn: the exact value (data-p) and the text a reader sees. */
async function drawn(fig: Locator, model: string) {
  const cells = await fig
    .locator(`td.score-table__cell[data-model="${model}"]`)
    .evaluateAll((els) =>
      els.map((e) => ({
        p: Number(e.getAttribute('data-p')),
        pText: e.querySelector('[data-role="p"]')?.textContent ?? '',
      })),
    );
  const foot = (role: string) =>
    fig.locator(`tfoot td[data-model="${model}"] [data-role="${role}"]`).first().textContent();
  return {
    cells,
    bits: await foot('logprob-bits'),
    nats: await foot('logprob-nats'),
    ppl: await foot('perplexity'),
  };
}

const num = (s: string | null) => Number((s ?? '').replace(/\u2212/g, '-'));

/** Largest relative error of a number shown as `text` ("0.1079", "3.21e−5"): half its last digit. */
function relativeRounding(text: string): number {
  const [mantissa = '', exp = '0'] = text.replace(/\u2212/g, '-').split('e');
  const decimals = mantissa.split('.')[1]?.length ?? 0;
  return (0.5 * 10 ** (Number(exp) - decimals)) / Math.abs(num(text));
}

async function typeName(fig: Locator, text: string): Promise<void> {
  await fig.locator('input[type="text"]').fill(text);
  await expect(fig).toHaveAttribute('data-text', text);
}

test('the build-time render is in the HTML before any JavaScript runs', async ({ request }) => {
  const html = await (await request.get(CHAPTER)).text();
  // KaTeX output is static HTML.
  expect(html).toContain('class="katex"');
  // score-name: every model's probabilities for the default name, as the reader sees them.
  const { text } = scoreNameMeta.defaults;
  for (const model of MODELS) {
    const s = await expectedScore(model, text);
    for (const p of s.predictions) expect(html).toContain(`data-p="${p.p}"`);
    for (const p of s.predictions) expect(html).toContain(`>${fmtProb(p.p)}<`);
  }
  // bigram-table: all 27 x 27 cells.
  expect(html.match(/class="heat__cell"/g) ?? []).toHaveLength(27 * 27);
  // sample-names: the default seed's names.
  const d = sampleNamesMeta.defaults;
  const names = await sampleNames(await nodePredict(d.model), {
    count: d.n,
    temperature: d.t,
    seed: d.seed,
  });
  const list = html.slice(html.indexOf('sample-names__list'));
  let at = 0;
  for (const n of names) {
    const i = list.indexOf(`<li>${n.name || '(empty name)'}`, at);
    expect(i, n.name).toBeGreaterThan(-1);
    at = i;
  }
  expect(html).toContain('data-status="static"');
});

test('the chapter renders its math and its three figures come alive', async ({ page }) => {
  await page.goto(CHAPTER);
  await expect(page.locator('h1')).toContainText('The chain rule of probability');
  expect(await page.locator('.sl-markdown-content .katex').count()).toBeGreaterThan(10);
  await expect(page.locator('.katex-error')).toHaveCount(0);
  for (const id of ['bigram-table', 'score-name', 'sample-names']) {
    const fig = await live(page, id);
    await expect(fig.locator('[data-status="live"]')).toContainText('WASM');
  }
  // Numbers in the prose come from the cards; none failed at build time.
  await expect(page.locator('.card-value', { hasText: '(?)' })).toHaveCount(0);
});

test('typing a name redraws all three models, and the totals agree with the rows', async ({
  page,
}) => {
  await page.goto(CHAPTER);
  const fig = await live(page, 'score-name');
  for (const text of ['sophia', 'Zyx', 'a']) {
    await typeName(fig, text);
    for (const model of MODELS) {
      const want = await expectedScore(model, text);
      const got = await drawn(fig, model);
      expect(got.cells).toHaveLength(want.predictions.length);
      got.cells.forEach((c, i) => expect(c.p).toBeCloseTo(want.predictions[i]?.p ?? NaN, 5));
      // The shown totals are the sum of the shown rows (within the rounding of what is shown:
      // probabilities to 4 significant digits, totals to 2 decimals).
      const shownBits = got.cells.reduce((a, c) => a + Math.log2(num(c.pText)), 0);
      // Each shown p is off by at most a relative r, i.e. log2 p by at most r / ln 2 (to first
      // order); the totals themselves are shown to 0.005.
      const tol =
        0.0051 + got.cells.reduce((a, c) => a + (1.01 * relativeRounding(c.pText)) / Math.LN2, 0);
      expect(Math.abs(num(got.bits) - shownBits)).toBeLessThan(tol);
      expect(Math.abs(num(got.nats) - shownBits * Math.LN2)).toBeLessThan(tol);
      const ppl = Math.exp((-shownBits * Math.LN2) / got.cells.length);
      expect(Math.abs(num(got.ppl) - ppl) / ppl).toBeLessThan(0.005);
    }
  }
});

test('a burst of keystrokes ends on the last input', async ({ page }) => {
  await page.goto(CHAPTER);
  const fig = await live(page, 'score-name');
  const input = fig.locator('input[type="text"]');
  await input.fill('');
  await input.pressSequentially('alexandrina', { delay: 0 });
  await expect(fig).toHaveAttribute('data-text', 'alexandrina');
  const want = await expectedScore('mlp', 'alexandrina');
  const got = await drawn(fig, 'mlp');
  expect(got.cells.map((c) => c.p)).toHaveLength(want.predictions.length);
});

const AWKWARD: { input: string; ignored?: string[]; lowercased?: string[]; note?: RegExp }[] = [
  { input: '', note: /Nothing to score/ },
  { input: '    ', ignored: ['space'], note: /Nothing to score/ },
  { input: 'emma😀', ignored: ['😀'] },
  { input: '漢字', ignored: ['漢', '字'], note: /Nothing to score/ },
  { input: 'r2d2', ignored: ['2'] },
  { input: 'McKenzie', lowercased: ['M', 'K'] },
  { input: 'Zoë 7', lowercased: ['Z'], ignored: ['ë', 'space', '7'] },
];

test('awkward input is explained, never NaN, never an exception', async ({ page }) => {
  await page.goto(CHAPTER);
  const fig = await live(page, 'score-name');
  const report = fig.locator('.score-name__report');
  for (const { input, ignored = [], lowercased = [], note } of AWKWARD) {
    await typeName(fig, input);
    const text = (await report.textContent()) ?? '';
    if (ignored.length) expect(text, input).toContain(`Ignored (not a–z): ${ignored.join(', ')}.`);
    else expect(text, input).not.toContain('Ignored');
    if (lowercased.length) expect(text, input).toContain(`Lowercased: ${lowercased.join(', ')}.`);
    if (note) expect(text, input).toMatch(note);
    expect(await fig.innerText(), input).not.toMatch(/NaN|Infinity|undefined/);
    // Each model column still holds real probabilities.
    for (const model of MODELS) {
      const want = await expectedScore(model, input);
      const got = await drawn(fig, model);
      got.cells.forEach((c, i) => expect(c.p).toBeCloseTo(want.predictions[i]?.p ?? NaN, 5));
    }
  }
});

test('a 10,000-character paste is cut at 64 letters, and says so', async ({ page }) => {
  await page.goto(CHAPTER);
  const fig = await live(page, 'score-name');
  const paste = 'Anna-Maria 😀 '.repeat(770).slice(0, 10_000);
  await typeName(fig, paste);
  const text = (await fig.locator('.score-name__report').textContent()) ?? '';
  expect(text).toMatch(/Only the first 64 letters are scored; \d[\d,]* more were left out\./);
  expect(text).toContain('Lowercased: A, M.');
  expect(text).toContain('Ignored (not a–z): -, space, 😀.');
  const got = await drawn(fig, 'bigram');
  expect(got.cells).toHaveLength(65);
  expect(await fig.innerText()).not.toMatch(/NaN|Infinity/);
});

test('sampling: the same seed gives the same names, here, after a reload and in Node', async ({
  page,
}) => {
  await page.goto(CHAPTER);
  let fig = await live(page, 'sample-names');
  const names = () => fig.locator('.sample-names__list li').allTextContents();
  const settle = async (key: string) => expect(fig).toHaveAttribute('data-key', key);

  await fig.locator('.fig-controls select').selectOption('bigram');
  await fig.locator('input[type="number"]').fill('7');
  await fig.locator('input[type="range"]').fill('0.8');
  const state = { model: 'bigram' as const, t: 0.8, seed: 7, n: 20 };
  await settle(sampleNamesMeta.serialize(state).toString());
  const first = await names();
  const want = await sampleNames(await nodePredict('bigram'), {
    count: 20,
    temperature: 0.8,
    seed: 7,
  });
  expect(first).toEqual(want.map((n) => (n.name || '(empty name)') + (n.cut ? '…' : '')));

  // "Sample" moves to the next seed; coming back to seed 7 gives the same names again.
  await fig.getByRole('button', { name: /Sample/ }).click();
  await settle(sampleNamesMeta.serialize({ ...state, seed: 8 }).toString());
  expect(await names()).not.toEqual(first);
  await fig.locator('input[type="number"]').fill('7');
  await settle(sampleNamesMeta.serialize(state).toString());
  expect(await names()).toEqual(first);

  // After a reload: first the default names (the build-time render, then live), then the same
  // names for the same settings.
  await page.reload();
  fig = await live(page, 'sample-names');
  const d = sampleNamesMeta.defaults;
  await settle(sampleNamesMeta.serialize(d).toString());
  const defaults = await sampleNames(await nodePredict(d.model), {
    count: d.n,
    temperature: d.t,
    seed: d.seed,
  });
  expect(await names()).toEqual(
    defaults.map((n) => (n.name || '(empty name)') + (n.cut ? '…' : '')),
  );
  await fig.locator('.fig-controls select').selectOption('bigram');
  await fig.locator('input[type="number"]').fill('7');
  await fig.locator('input[type="range"]').fill('0.8');
  await settle(sampleNamesMeta.serialize(state).toString());
  expect(await names()).toEqual(first);
});

test('the bigram table: hover, keyboard, and the counts/probabilities toggle', async ({ page }) => {
  await page.goto(CHAPTER);
  const fig = await live(page, 'bigram-table');
  const readout = fig.locator('[data-role="readout"]');
  await fig.locator('rect.heat__cell[data-r="17"][data-c="21"]').hover(); // q -> u
  await expect(readout).toContainText('After “q”, the next character is “u”');
  const probs = await (await nodePredict('bigram'))([[0, 0, 17]]);
  await expect(readout).toContainText(`P(u | q) = ${fmtProb(probs[21] ?? NaN)}`);
  await fig.locator('svg.heat').focus();
  await page.keyboard.press('ArrowRight'); // q -> v
  await expect(readout).toContainText('“v”');
  await fig.getByLabel('probabilities').check();
  await expect(fig).toHaveAttribute('data-view', 'probs');
});

test('the execution provider can be switched, and the embed code carries the state', async ({
  page,
}) => {
  await page.goto(CHAPTER);
  const fig = await live(page, 'score-name');
  await fig.locator('.fig-ep select').selectOption('wasm');
  await expect(fig.locator('[data-status="live"]')).toContainText('WASM');
  await typeName(fig, 'ada');
  await fig.locator('.fig-embed summary').click();
  const code = await fig.locator('.fig-embed__code').inputValue();
  const origin = new URL(page.url()).origin;
  expect(code).toContain(`<iframe src="${origin}/embed/score-name/?text=ada"`);
  const src = /src="([^"]+)"/.exec(code)?.[1]?.replaceAll('&amp;', '&') ?? '';
  await page.goto(src);
  const embedded = await live(page, 'score-name');
  await expect(embedded).toHaveAttribute('data-text', 'ada');
});
