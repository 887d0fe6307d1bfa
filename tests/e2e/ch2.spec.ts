import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { explorerIds } from '../../src/components/ch2/embeddings';
import { neighbours, type Vectors } from '../../src/components/ch2/projection';
import { decodeModel, tensorValues } from '../../src/models/graph/proto-read';
import { nextWordMeta } from '../../src/components/ch2/meta';
import { fmtProb } from '../../src/components/ui/format';
import { loadCard, modelsDir, nodeOutput, nodePredict } from '../../src/models/runtime/node';
import { nextWords, readPhrase, type NextWords } from '../../src/models/words/lm';
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

/** The explorer's words and their rows of the NNLM's embedding table, from the .onnx file. */
async function nnlmTable(): Promise<{ words: string[]; vectors: Vectors }> {
  const card = await loadCard('nnlm');
  const model = decodeModel(new Uint8Array(await readFile(path.join(modelsDir(), 'nnlm.onnx'))));
  const init = model.graph.initializers.find((t) => t.name === 'C' || t.name === 'C__fp16');
  if (!init) throw new Error('nnlm.onnx has no table C');
  const C = tensorValues(init);
  const d = Number(card.config['embed']);
  const ids = explorerIds(card.vocabulary);
  const data = new Float64Array(ids.length * d);
  ids.forEach((id, i) => data.set(C.subarray(id * d, (id + 1) * d), i * d));
  return {
    words: ids.map((id) => card.vocabulary[id] ?? ''),
    vectors: { n: ids.length, d, data },
  };
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
  await expect(fig.locator('.phrase-notes')).toContainText('zorblax');

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
  // The page's neighbours are the model's: the same words, in the same order, as cosine
  // similarity over the table C read here, in Node, out of nnlm.onnx.
  const table = await nnlmTable();
  for (const word of ['january', 'war', 'congress', 'taxes']) {
    await input.fill(word);
    await expect(fig).toHaveAttribute('data-word', word);
    const i = table.words.indexOf(word);
    expect(i, word).toBeGreaterThanOrEqual(0);
    const want = neighbours(table.vectors, i, 10).map(
      (n) => `${table.words[n.index]} ${n.cos.toFixed(2)}`,
    );
    await expect(fig.locator('.embeddings__near li')).toHaveText(want);
  }
  const dots = fig.locator('svg.embeddings__map circle');
  const n = await dots.count();
  const before = await dots.nth(0).getAttribute('cx');
  for (const projection of ['umap', 'pca'] as const) {
    await fig.getByLabel('Layout').selectOption(projection);
    await expect(fig).toHaveAttribute('data-projection', projection);
    await expect(dots).toHaveCount(n);
    await expect(fig.locator('circle.emb-dot--on')).toHaveCount(1);
  }
  expect(await dots.nth(0).getAttribute('cx')).not.toBe(before);
  // Colourings: a key for classes and clusters (with the class agreement), none for frequency.
  const legend = fig.locator('.emb-legend li');
  await fig.getByLabel('Colour').selectOption('class');
  await expect(legend).toHaveCount(10);
  await expect(fig.locator('.emb-agreement')).toContainText(/\d+% of each word's 10 nearest/);
  await fig.getByLabel('Colour').selectOption('cluster');
  await expect(fig).toHaveAttribute('data-color', 'cluster');
  await expect(fig.locator('.emb-agreement')).toHaveCount(0);
  await fig.getByLabel('Colour').selectOption('frequency');
  await expect(legend).toHaveCount(0);
  await expect(fig.locator('circle.emb-dot--outlier')).toHaveCount(8);
  await fig.locator('.emb-outliers button').first().click();
  await expect(input).toHaveValue(
    (await fig.locator('.emb-outliers button').first().innerText()).trim(),
  );
  await input.fill('Zorblax');
  await expect(fig).toHaveAttribute('data-word', '');
  await expect(fig.locator('.embeddings__side .fig-note')).toContainText('not among');
});

test('the corpus figure lists the words of a decade', async ({ page }) => {
  await page.goto(CHAPTER);
  const fig = await live(page, 'corpus-glance');
  await fig.locator('select').first().selectOption('decade');
  await fig.locator('select').nth(1).selectOption('1860s');
  await expect(fig).toHaveAttribute('data-pick', '1860s');
  await expect(fig.locator('.corpus-glance__words li')).toHaveCount(8);
});

test("the hidden-layer figure recomputes the units of the reader's phrase", async ({ page }) => {
  await page.goto(CHAPTER);
  const fig = await live(page, 'hidden-layer');
  const card = await loadCard('nnlm');
  const vocab = new Vocabulary(card.vocabulary);
  const hidden = await nodeOutput('nnlm', 'hidden');
  for (const text of ['Our armed forces', 'We must reduce the']) {
    await fig.locator('input[type="text"]').fill(text);
    await expect(fig).toHaveAttribute('data-text', text);
    const values = await hidden([readPhrase(vocab, text, 4).context]);
    const saturated = Array.from(values).filter((v) => Math.abs(v) > 0.99).length;
    await expect(fig).toHaveAttribute('data-saturated', String(saturated));
    await expect(fig.locator('.ch3-heat rect')).toHaveCount(values.length);
  }
});

test('hostile input gets a clear message and no broken numbers', async ({ page }) => {
  await page.goto(CHAPTER);
  const paste = 'we must '.repeat(1500); // 12,000 characters
  const cases: { text: string; note: RegExp | null }[] = [
    { text: '😀🎉 👍🏽', note: /Ignored: .*😀/u },
    { text: '中华人民共和国 日本語', note: /Ignored: 中, 华, 人/ },
    { text: 'Zorblax quuxian flerbish', note: /Not in the vocabulary.*zorblax, quuxian, flerbish/ },
    { text: paste, note: /Only the first \d+ characters are read/ },
    { text: 'שלום \u202Eevil\u202C ok', note: /Not in the vocabulary|Ignored/ },
    { text: '', note: null },
  ];
  for (const id of ['next-word', 'hidden-layer']) {
    const fig = await live(page, id);
    for (const { text, note } of cases) {
      await fig.locator('input[type="text"]').fill(text);
      await expect(fig).toHaveAttribute('data-text', text);
      if (note) await expect(fig.locator('.phrase-notes')).toContainText(note);
      else await expect(fig.locator('.phrase-notes')).toHaveCount(0);
      expect(await fig.innerText(), `${id}: ${text.slice(0, 20)}`).not.toMatch(/NaN|Infinity/);
    }
  }
  const emb = await live(page, 'embeddings');
  const side = emb.locator('.embeddings__side .fig-note');
  for (const { text } of cases.slice(0, 3)) {
    await emb.locator('input[type="text"]').fill(text);
    await expect(side).toContainText('not among');
    expect(await emb.innerText()).not.toMatch(/NaN|Infinity/);
  }
  // A long paste is looked up by its first word.
  await emb.locator('input[type="text"]').fill(paste);
  await expect(side).toContainText('Nearest to we');
});

test('an embed page restores its state from the URL', async ({ page }) => {
  const text = 'the people of the';
  await page.goto(`/embed/next-word/?${nextWordMeta.serialize({ text }).toString()}`);
  const fig = await live(page, 'next-word');
  await expect(fig.locator('input[type="text"]')).toHaveValue(text);
  await expectColumns(fig, text);
});
