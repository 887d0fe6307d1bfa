import type { Locator, Page } from '@playwright/test';
import { nextWordMeta } from '../../src/components/ch2/meta';
import { fmtProb } from '../../src/components/ui/format';
import { loadCard, nodePredict } from '../../src/models/runtime/node';
import { nextWords, type NextWords } from '../../src/models/words/lm';
import { Vocabulary } from '../../src/models/words/vocab';
import { expect, test } from './fixtures';

/**
 * Chapter 2 and its figures, in Chromium on the WASM path. Expected next-word lists are computed
 * here, in Node, from the same .onnx files with onnxruntime-node.
 */

const LIVE_TIMEOUT = 60_000;
test.describe.configure({ timeout: 180_000 });

const CHAPTER = '/chapters/02-nnlm/';
const MODELS = ['nnlm', 'ngram'] as const;

async function expected(model: string, text: string): Promise<NextWords> {
  const card = await loadCard('nnlm');
  return nextWords(
    await nodePredict(model),
    new Vocabulary(card.vocabulary),
    text,
    Number(card.config['context']),
  );
}

async function live(page: Page, id: string): Promise<Locator> {
  const fig = page.locator(`[data-figure="${id}"]`).first();
  await fig.scrollIntoViewIfNeeded();
  await expect(fig).toHaveAttribute('data-status', 'live', { timeout: LIVE_TIMEOUT });
  return fig;
}

/** The words and probabilities a column shows, in order. */
async function column(fig: Locator, model: string): Promise<{ word: string; p: string }[]> {
  return fig.locator(`.next-word__col[data-model="${model}"] li`).evaluateAll((els) =>
    els.map((e) => ({
      word: e.getAttribute('data-word') ?? '',
      p: e.querySelector('.next-word__p')?.textContent ?? '',
    })),
  );
}

async function expectColumns(fig: Locator, text: string): Promise<void> {
  for (const model of MODELS) {
    const want = await expected(model, text);
    await expect
      .poll(() => column(fig, model))
      .toEqual(want.top.map((t) => ({ word: t.word, p: fmtProb(t.p) })));
  }
}

test('the build-time render is in the HTML, and every number in the prose was computed', async ({
  request,
}) => {
  const html = await (await request.get(CHAPTER)).text();
  expect(html).toContain('class="katex"');
  // The next-word figure: each model's column for the default phrase, words and probabilities.
  const decode = (x: string): string =>
    x
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&');
  for (const model of MODELS) {
    const want = await expected(model, nextWordMeta.defaults.text);
    const col = html.slice(html.indexOf(`next-word__col" data-model="${model}"`));
    const words = [...col.matchAll(/<li data-word="([^"]*)"/g)]
      .slice(0, want.top.length)
      .map((m) => decode(m[1] ?? ''));
    expect(words).toEqual(want.top.map((t) => t.word));
    for (const t of want.top) expect(col).toContain(`>${fmtProb(t.p)}<`);
  }
  expect(html).not.toContain('could not be computed');
  expect(html).not.toMatch(/class="card-value"[^>]*>\(\?\)/);
});

test('the chapter renders its math and the next-word figure comes alive', async ({ page }) => {
  await page.goto(CHAPTER);
  await expect(page.locator('h1')).toContainText('Words become vectors');
  expect(await page.locator('.sl-markdown-content .katex').count()).toBeGreaterThan(5);
  await expect(page.locator('.katex-error')).toHaveCount(0);
  const fig = await live(page, 'next-word');
  await expect(fig.locator('[data-status="live"]')).toContainText('WASM');
  await expectColumns(fig, nextWordMeta.defaults.text);
});

test('typing redraws both models; unknown words are shown as <unk>; clicking a word appends it', async ({
  page,
}) => {
  await page.goto(CHAPTER);
  const fig = await live(page, 'next-word');
  const input = fig.locator('input[type="text"]');
  for (const text of ['The United', 'we must defeat the Zorblax', '', 'Thank you.']) {
    await input.fill(text);
    await expect(fig).toHaveAttribute('data-text', text);
    await expectColumns(fig, text);
  }
  await input.fill('we must defeat the Zorblax');
  await expect(fig.locator('.wtok--unk')).toContainText('<unk>');
  await expect(fig.locator('.next-word__notes')).toContainText('zorblax');

  await input.fill('The United');
  await expect(fig).toHaveAttribute('data-text', 'The United');
  const first = fig.locator('.next-word__col[data-model="nnlm"] li').first();
  const word = (await first.getAttribute('data-word')) ?? '';
  await first.locator('button').click();
  await expect(input).toHaveValue(
    new RegExp(`^The United ?${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
  );
});

test('the word-vector explorer finds neighbours and switches layouts', async ({ page }) => {
  await page.goto(CHAPTER);
  const fig = await live(page, 'embeddings');
  const input = fig.locator('input[type="text"]');
  await input.fill('january');
  await expect(fig).toHaveAttribute('data-word', 'january');
  await expect(fig.locator('.embeddings__near li')).toHaveCount(10);
  await fig.locator('select').selectOption('pca');
  await expect(fig).toHaveAttribute('data-projection', 'pca');
  await expect(fig.locator('circle.emb-dot--on')).toHaveCount(1);
  await input.fill('Zorblax');
  await expect(fig).toHaveAttribute('data-word', '');
  await expect(fig.locator('.fig-note')).toContainText('not among');
});

test('the corpus figure lists the words of a decade', async ({ page }) => {
  await page.goto(CHAPTER);
  const fig = await live(page, 'corpus-glance');
  await fig.locator('select').first().selectOption('decade');
  await fig.locator('select').nth(1).selectOption('1860s');
  await expect(fig).toHaveAttribute('data-pick', '1860s');
  await expect(fig.locator('.corpus-glance__words li')).toHaveCount(8);
});

test('an embed page restores its state from the URL', async ({ page }) => {
  const text = 'the people of the';
  await page.goto(`/embed/next-word/?${nextWordMeta.serialize({ text }).toString()}`);
  const fig = await live(page, 'next-word');
  await expect(fig.locator('input[type="text"]')).toHaveValue(text);
  await expectColumns(fig, text);
});
