import type { Locator, Page } from '@playwright/test';
import { buildLadder, nodeScorer, wordVocabulary } from '../../src/components/ch4/ladder/build';
import { LADDER_ALL, ladderModels } from '../../src/components/ch4/ladder/ladder';
import { scoreCorpus } from '../../src/components/ch4/ladder/score';
import { generateGptMeta } from '../../src/components/ch5/generate/meta';
import { cardContext, generateText } from '../../src/components/ch5/generate/text';
import { ladderAllMeta } from '../../src/components/ch5/ladder/meta';
import { loadCard, nodeStep } from '../../src/models/runtime/node';
import { initialState } from '../../src/models/runtime/run';
import { Vocabulary } from '../../src/models/words/vocab';
import { expect, test } from './fixtures';

/** Going live downloads and compiles onnxruntime-web (~14 MB of WASM): slow on a busy machine. */
const LIVE_TIMEOUT = 60_000;
test.describe.configure({ timeout: 240_000 });

/**
 * Figures 5.3 (generate-gpt) and 5.6 (ladder-all) on their embed pages, in Chromium on WASM.
 * Generation: the build-time render is onnxruntime-node's for the default settings; a seed
 * repeats exactly; top-k 1 is temperature 0 (the likeliest token each time); top-p changes the
 * draws; Stop stops; a prompt sentence longer than the cache is re-encoded and said so; words
 * outside the vocabulary are named. Ladder: every rung of the cards with a GPT in each corpus,
 * live scores equal to Node's, and chapter 4's figure without the GPT.
 */

async function live(page: Page, id: string): Promise<Locator> {
  const fig = page.locator(`[data-figure="${id}"]`).first();
  await expect(fig).toHaveAttribute('data-status', 'live', { timeout: LIVE_TIMEOUT });
  return fig;
}

const unescape = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** Generate on the embed page with these settings, wait until done, return the text. */
async function generated(page: Page, settings: Record<string, string | number>): Promise<string> {
  const q = new URLSearchParams(
    Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, String(v)])),
  );
  await page.goto(`/embed/generate-gpt/?${q}`);
  const fig = await live(page, 'generate-gpt');
  await expect(fig).toHaveAttribute(
    'data-key',
    generateGptMeta.serialize(generateGptMeta.parse(q)).toString(),
  );
  await expect(fig).toHaveAttribute('data-phase', 'done', { timeout: LIVE_TIMEOUT });
  return (await fig.locator('[data-role="generated"]').textContent()) ?? '';
}

test('generate-gpt: the build-time render is the default generation, computed with onnxruntime-node', async ({
  request,
}) => {
  const card = await loadCard('gpt-words-step');
  const step = await nodeStep('gpt-words-step');
  const { data } = await generateText(
    (t, s) => step.run(t, s),
    () => initialState(step.io, 1),
    cardContext(card),
    new Vocabulary(card.vocabulary),
    generateGptMeta.defaults,
  );
  expect(data.tokens).toBe(generateGptMeta.defaults.n);
  const html = await (await request.get('/embed/generate-gpt/')).text();
  const m = html.match(/data-role="generated"[^>]*>([^<]*)</);
  expect(unescape(m?.[1] ?? '')).toBe(data.text);
  expect(html).toContain('data-phase="static"');
  expect(html).toContain(`data-tokens="${data.tokens}"`);
});

test('generate-gpt: a seed repeats; top-k 1 is temperature 0; top-p changes the draws; speed and EP shown', async ({
  page,
}) => {
  const base = { prompt: 'We the people', t: 1, k: 0, p: 1, seed: 5, n: 40 };
  const a = await generated(page, base);
  const fig = page.locator('[data-figure="generate-gpt"]');
  await expect(fig).toHaveAttribute('data-tokens', '40');
  await expect(fig.locator('[data-role="stats"]')).toContainText('tokens per second');
  await expect(fig.locator('[data-role="stats"]')).toContainText('WASM');
  expect(await generated(page, base)).toBe(a);
  // The next seed, by the button: another text.
  await fig.getByRole('button', { name: /next seed/ }).click();
  await expect(fig).toHaveAttribute('data-key', /seed=6/);
  await expect(fig).toHaveAttribute('data-phase', 'done', { timeout: LIVE_TIMEOUT });
  expect((await fig.locator('[data-role="generated"]').textContent()) ?? '').not.toBe(a);
  // Top-k 1 keeps only the likeliest token: the same text as temperature 0, whatever the seed.
  const greedy = await generated(page, { ...base, t: 0 });
  expect(await generated(page, { ...base, k: 1, seed: 11 })).toBe(greedy);
  // Top-p: a small nucleus draws from fewer tokens than the whole distribution.
  const nucleus = await generated(page, { ...base, p: 0.1 });
  expect(nucleus).not.toBe(a);
  // The controls set the state: the top-p slider moves p and a new generation starts.
  await fig.locator('[data-role="top-p"]').fill('0.5');
  await expect(fig).toHaveAttribute('data-key', /p=0\.5/);
  await expect(fig).toHaveAttribute('data-phase', 'done', { timeout: LIVE_TIMEOUT });
});

test('generate-gpt: Stop stops the stream; a sentence longer than the cache is re-encoded, and said so', async ({
  page,
}) => {
  await page.goto('/embed/generate-gpt/?prompt=We&t=1&k=0&p=1&seed=9&n=500');
  const fig = await live(page, 'generate-gpt');
  await expect(fig).toHaveAttribute('data-phase', 'running', { timeout: LIVE_TIMEOUT });
  await fig.locator('[data-role="stop"]').click();
  await expect(fig).toHaveAttribute('data-phase', 'stopped');
  await expect(fig.locator('[data-role="stats"]')).toContainText('you stopped it');
  const at = Number(await fig.getAttribute('data-tokens'));
  expect(at).toBeLessThan(500);
  await page.waitForTimeout(500);
  expect(Number(await fig.getAttribute('data-tokens'))).toBe(at);

  // An open sentence longer than the cache (the card's context): the cache fills while reading
  // it, is emptied and refilled with the last half window, and the figure says so; generation
  // goes on past it.
  const context = Number((await loadCard('gpt-words-step')).config['context']);
  const prompt = 'and the people of the nation '.repeat(Math.ceil((context * 1.4) / 6)).trim();
  await fig.getByLabel('Prompt').fill(prompt);
  await expect(fig).toHaveAttribute('data-phase', 'done', { timeout: LIVE_TIMEOUT });
  await expect(fig).toHaveAttribute('data-tokens', '500');
  expect(Number(await fig.getAttribute('data-reencodes'))).toBeGreaterThanOrEqual(1);
  await expect(fig.locator('[data-role="cache"]')).toContainText('The cache filled up');
  await expect(fig.locator('[data-role="cache"]')).toContainText(`last ${context / 2} tokens`);
});

test('generate-gpt: words outside the vocabulary are named; earlier sentences, empty and huge prompts', async ({
  page,
}) => {
  await page.goto('/embed/generate-gpt/?n=20');
  const fig = await live(page, 'generate-gpt');
  const prompt = fig.getByLabel('Prompt');
  await prompt.fill('We met. The zzqxv and the blorft 😀 of');
  await expect(fig.locator('[data-role="oov"]')).toContainText('read as <unk>: zzqxv, blorft');
  await expect(fig.locator('[data-role="oov"]')).toContainText('😀');
  await expect(fig.locator('[data-role="sentence"]')).toContainText(
    'only the prompt’s last sentence',
  );
  await expect(fig).toHaveAttribute('data-key', /zzqxv/);
  await expect(fig).toHaveAttribute('data-phase', 'done', { timeout: LIVE_TIMEOUT });
  await prompt.fill('');
  await expect(fig).toHaveAttribute('data-key', /prompt=&/);
  await expect(fig).toHaveAttribute('data-phase', 'done', { timeout: LIVE_TIMEOUT });
  await expect(fig).toHaveAttribute('data-tokens', '20');
  await expect(fig.locator('[data-role="stats"]')).toContainText('prompt is empty');
  await prompt.fill('the nation '.repeat(10_000));
  await expect(fig.locator('[data-role="oov"]')).toContainText('cut to its first 600');
  await expect(fig).toHaveAttribute('data-phase', 'done', { timeout: LIVE_TIMEOUT });
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

test('ladder-all: every rung with a GPT, live scores equal to Node’s; chapter 4’s figure has no GPT', async ({
  page,
  request,
}) => {
  const built = await buildLadder(ladderAllMeta.defaults, LADDER_ALL);
  const html = await (await request.get('/embed/ladder-all/')).text();
  for (const corpus of ['names', 'words'] as const)
    for (const row of built.heldOut[corpus]) expect(html).toContain(`data-id="${row.id}"`);
  expect(html).toContain('data-model="gpt-names"');
  expect(html).toContain('data-model="gpt-words"');
  const ch4 = await (await request.get('/embed/ladder/')).text();
  expect(ch4).toContain('data-model="lstm"');
  expect(ch4).not.toMatch(/data-(model|id)="gpt-/);

  await page.goto('/embed/ladder-all/');
  const fig = await live(page, 'ladder-all');
  const panels = {
    names: fig.locator('section[data-corpus="names"]'),
    words: fig.locator('section[data-corpus="words"]'),
  };
  for (const corpus of ['names', 'words'] as const) {
    const rows = panels[corpus].locator('[data-role="ladder-heldout"] tbody tr');
    await expect(rows).toHaveCount(built.heldOut[corpus].length);
    await expect(rows.last()).toHaveAttribute('data-id', /^gpt-/);
  }
  const vocab = new Vocabulary(await wordVocabulary(LADDER_ALL));
  for (const [corpus, text] of [
    ['names', 'Maximilianbartholomew'],
    ['words', 'The zzqxv of the union is strong. We will'],
  ] as const) {
    const panel = panels[corpus];
    await panel.locator('input[type="text"]').fill(text);
    await expect(panel).toHaveAttribute('data-raw', text);
    await expect(panel).toHaveAttribute('data-live-result', 'true');
    const ids = ladderModels(corpus, LADDER_ALL);
    const scorers = Object.fromEntries(
      await Promise.all(ids.map(async (id) => [id, await nodeScorer(id)] as const)),
    );
    const want = await scoreCorpus(text, scorers, corpus === 'words' ? vocab : undefined);
    const got = await drawnBits(panel, ids);
    for (const id of ids) {
      const w = want.bits[id]!;
      expect(got[id], id).toHaveLength(w.length);
      got[id]!.forEach((b, i) => expect(Math.abs(b - w[i]!), `${id} ${i}`).toBeLessThan(1e-3));
    }
  }
  // A name longer than the GPT's positions is scored in windows, and the figure says so.
  const names = Number((await loadCard('gpt-names')).config['context']);
  await expect(panels.names.locator('.ladder__report')).toContainText(`windows of ${names}`);
  await expect(panels.words.locator('.ladder__report')).toContainText('read as <unk>');
  const text = (await fig.innerText()).replace(/\s+/g, ' ');
  expect(text).not.toMatch(/\bNaN\b|Infinity|undefined/);
});
