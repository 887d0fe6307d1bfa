import { readFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { buildLadder, nodeScorer, wordVocabulary } from '../../src/components/ch4/ladder/build';
import { ladderModels } from '../../src/components/ch4/ladder/ladder';
import { ladderMeta } from '../../src/components/ch4/ladder/meta';
import { scoreCorpus } from '../../src/components/ch4/ladder/score';
import {
  CELLS,
  vanishing,
  type Vanishing,
} from '../../src/components/ch4/vanishing-gradients/compute';
import { vanishingMeta } from '../../src/components/ch4/vanishing-gradients/meta';
import { GRAD_STEPS } from '../../src/models/rnn/bptt';
import { gradientOnnx, stepWeights } from '../../src/models/rnn/gradients';
import { NodeSession } from '../../src/models/train/session';
import { Vocabulary } from '../../src/models/words/vocab';
import { expect, test } from './fixtures';

/** Going live downloads and compiles onnxruntime-web (~14 MB of WASM): slow on a busy machine. */
const LIVE_TIMEOUT = 60_000;
test.describe.configure({ timeout: 240_000 });

/**
 * Figures 4.5 (vanishing-gradients) and 4.6 (ladder) on their embed pages, in Chromium on the
 * WASM path: the build-time render, typing, characters and words outside the vocabularies,
 * empty input, a 100 kB paste, and no NaN anywhere. Every expected number is computed here, in
 * Node, from the same .onnx files with onnxruntime-node.
 */

async function nodeVanishing(text: string): Promise<Vanishing> {
  const runners = Object.fromEntries(
    await Promise.all(
      CELLS.map(async (cell) => {
        const bytes = new Uint8Array(readFileSync(`public/models/${cell}.onnx`));
        return [cell, await NodeSession.create(gradientOnnx(stepWeights(cell, bytes), GRAD_STEPS))];
      }),
    ),
  );
  return vanishing(runners, text);
}

async function liveFigure(page: Page, id: string): Promise<Locator> {
  const fig = page.locator(`[data-figure="${id}"]`);
  await expect(fig).toHaveAttribute('data-status', 'live', { timeout: LIVE_TIMEOUT });
  return fig;
}

/** What figure 4.5 shows per cell: the norms at k = 0 and at the last k, and L. */
async function drawnNorms(fig: Locator) {
  return fig.locator('.vanishing__summary li').evaluateAll((els) =>
    els.map((e) => ({
      cell: e.getAttribute('data-cell') ?? '',
      first: Number(e.getAttribute('data-first')),
      last: Number(e.getAttribute('data-last')),
      steps: Number(e.getAttribute('data-steps')),
      loss: Number(e.getAttribute('data-loss')),
    })),
  );
}

const close = (a: number, b: number, rel = 2e-3) =>
  Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b), 1e-30);

async function expectNoNaN(page: Page) {
  const text = (await page.locator('main, body').first().innerText()).replace(/\s+/g, ' ');
  expect(text).not.toMatch(/\bNaN\b|Infinity|undefined/);
}

test('vanishing-gradients: the build-time render, then live gradients equal to Node’s', async ({
  page,
  request,
}) => {
  const want = await nodeVanishing(vanishingMeta.defaults.text);
  const html = await (await request.get('/embed/vanishing-gradients/')).text();
  for (const cell of CELLS) {
    const r = want.cells[cell]!;
    expect(html).toContain(`data-cell="${cell}"`);
    expect(html).toContain(`data-steps="${r.byLag.length}"`);
    expect(html).toContain(`data-first="${r.byLag[0]}"`);
  }
  expect(html).toContain('<svg');
  // The held-out reference, computed at build time.
  expect(html).toMatch(/data-role="typical"[^>]*>Typical, over the \d+ held-out names/);

  await page.goto('/embed/vanishing-gradients/');
  const fig = await liveFigure(page, 'vanishing-gradients');
  await expect(fig).toHaveAttribute('data-live-result', 'true', { timeout: LIVE_TIMEOUT });
  const input = fig.locator('input[type="text"]');
  for (const text of ['emma', 'Bartholomew', 'abcdefghijklmnopqrstuvwxyz']) {
    await input.fill(text);
    const expected = await nodeVanishing(text);
    await expect(fig).toHaveAttribute('data-read', expected.read);
    await expect(fig).toHaveAttribute('data-text', text);
    const got = await drawnNorms(fig);
    expect(got.map((g) => g.cell)).toEqual([...CELLS]);
    for (const g of got) {
      const r = expected.cells[g.cell as (typeof CELLS)[number]]!;
      expect(g.steps).toBe(expected.read.length + 1);
      expect(close(g.first, r.byLag[0]!)).toBe(true);
      expect(close(g.last, r.byLag.at(-1)!)).toBe(true);
      expect(close(g.loss, r.loss, 1e-4)).toBe(true);
    }
    // The chart draws one line per cell, on a log scale.
    await expect(fig.locator('path.ch3-line')).toHaveCount(3);
  }
  await expectNoNaN(page);
});

test('vanishing-gradients: odd characters, empty text and a 100 kB paste', async ({ page }) => {
  await page.goto('/embed/vanishing-gradients/');
  const fig = await liveFigure(page, 'vanishing-gradients');
  const input = fig.locator('input[type="text"]');
  const report = fig.locator('.vanishing__report');

  await input.fill('Zoë 🙂 ann\u0000');
  await expect(fig).toHaveAttribute('data-read', 'zoann');
  await expect(report).toContainText('Skipped (not a–z)');
  await expect(report).toContainText('🙂');
  await expect(report).toContainText('Lowercased: Z');

  await input.fill('');
  await expect(fig).toHaveAttribute('data-text', '');
  await expect(report).toContainText('No letters');
  for (const g of await drawnNorms(fig)) {
    expect(g.steps).toBe(1);
    expect(Number.isFinite(g.first) && g.first > 0).toBe(true);
  }

  const huge = 'anna '.repeat(20_000);
  await input.fill(huge);
  await expect(fig).toHaveAttribute('data-text', huge, { timeout: 30_000 });
  await expect(report).toContainText('Only the first 39 letters are read');
  for (const g of await drawnNorms(fig)) {
    expect(g.steps).toBe(40);
    expect(Number.isFinite(g.first) && Number.isFinite(g.last)).toBe(true);
  }
  await expectNoNaN(page);
  // The URL follows the reader (embed pages write their state back).
  await input.fill('emma');
  await expect.poll(() => new URL(page.url()).searchParams.get('text')).toBe('emma');
});

/** Bits per prediction as drawn, by model, for one panel. */
async function drawnBits(panel: Locator, models: readonly string[]) {
  const out: Record<string, number[]> = {};
  for (const m of models)
    out[m] = await panel
      .locator(`table[data-role="ladder-scores"] tbody td[data-model="${m}"]`)
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-bits'))));
  return out;
}

async function expectedBits(corpus: 'names' | 'words', text: string) {
  const scorers = Object.fromEntries(
    await Promise.all(ladderModels(corpus).map(async (id) => [id, await nodeScorer(id)] as const)),
  );
  const vocab = corpus === 'words' ? new Vocabulary(await wordVocabulary()) : undefined;
  return scoreCorpus(text, scorers, vocab);
}

test('ladder: the build-time render, the cards’ table, and live scores equal to Node’s', async ({
  page,
  request,
}) => {
  const built = await buildLadder(ladderMeta.defaults);
  const html = await (await request.get('/embed/ladder/')).text();
  for (const corpus of ['names', 'words'] as const) {
    for (const row of built.heldOut[corpus]) expect(html).toContain(`data-loss="${row.loss}"`);
    for (const bits of Object.values(built.scores[corpus].bits))
      for (const b of bits) expect(html).toContain(`data-bits="${b}"`);
  }

  await page.goto('/embed/ladder/');
  const fig = await liveFigure(page, 'ladder');
  const names = fig.locator('section[data-corpus="names"]');
  const words = fig.locator('section[data-corpus="words"]');
  // The held-out tables: every rung, the n-gram baselines marked as held-out only.
  await expect(names.locator('[data-role="ladder-heldout"] tbody tr')).toHaveCount(
    built.heldOut.names.length,
  );
  await expect(words.locator('[data-role="ladder-heldout"] tbody tr')).toHaveCount(
    built.heldOut.words.length,
  );
  await expect(words.locator('[data-role="ladder-heldout"]')).toContainText('held-out score only');

  for (const [panel, corpus, text] of [
    [names, 'names', 'Maximilian'],
    [words, 'words', 'The zzqxv of the union is strong. We will'],
  ] as const) {
    await panel.locator('input[type="text"]').fill(text);
    await expect(panel).toHaveAttribute('data-raw', text);
    await expect(panel).toHaveAttribute('data-live-result', 'true');
    const want = await expectedBits(corpus, text);
    const got = await drawnBits(panel, ladderModels(corpus));
    for (const id of ladderModels(corpus)) {
      const w = want.bits[id]!;
      expect(got[id]).toHaveLength(w.length);
      got[id]!.forEach((b, i) => expect(Math.abs(b - w[i]!)).toBeLessThan(1e-3));
    }
  }
  // The word outside the vocabulary is shown as <unk>, with what was typed, and named.
  await expect(words.locator('tbody th', { hasText: '<unk>' })).toContainText('zzqxv');
  await expect(words.locator('.ladder__report')).toContainText('read as <unk>');
  await expectNoNaN(page);
});

test('ladder: empty, odd Unicode and a 100 kB paste in both panels; URL state', async ({
  page,
}) => {
  await page.goto(
    `/embed/ladder/?${new URLSearchParams({ name: 'anna', words: 'God bless America.' })}`,
  );
  const fig = await liveFigure(page, 'ladder');
  const names = fig.locator('section[data-corpus="names"]');
  const words = fig.locator('section[data-corpus="words"]');
  await expect(names).toHaveAttribute('data-raw', 'anna');
  await expect(words).toHaveAttribute('data-raw', 'God bless America.');
  await expect(names.locator('input[type="text"]')).toHaveValue('anna');

  await names.locator('input[type="text"]').fill('');
  await words.locator('input[type="text"]').fill('');
  await expect(names).toHaveAttribute('data-raw', '');
  await expect(words).toHaveAttribute('data-raw', '');
  await expect(names.locator('.ladder__report')).toContainText('No letters');
  await expect(words.locator('.ladder__report')).toContainText('Nothing to score');
  await expect(names.locator('table[data-role="ladder-scores"] tbody tr')).toHaveCount(1);
  await expect(words.locator('table[data-role="ladder-scores"] tbody tr')).toHaveCount(0);

  await names.locator('input[type="text"]').fill('日本 🙂 Ωmega');
  await expect(names).toHaveAttribute('data-raw', '日本 🙂 Ωmega');
  await expect(names.locator('.ladder__report')).toContainText('Skipped (not a–z)');

  const huge = 'the people of the united states '.repeat(3_200); // > 100 kB
  await words.locator('input[type="text"]').fill(huge);
  await names.locator('input[type="text"]').fill('abc'.repeat(40_000));
  await expect(words).toHaveAttribute('data-raw', huge, { timeout: 60_000 });
  await expect(words.locator('.ladder__report')).toContainText('Only the first 2,000 characters');
  await expect(words.locator('.ladder__report')).toContainText('Only the first 120 words');
  await expect(names.locator('.ladder__report')).toContainText('Only the first 64 letters');
  await expect(words.locator('table[data-role="ladder-scores"] tbody tr')).toHaveCount(120);
  await expectNoNaN(page);
});
