import { sampleNames, scoreName } from '../../src/models/names/lm';
import { nodePredict } from '../../src/models/runtime/node';
import { bigramTableMeta } from '../../src/components/ch1/bigram-table/meta';
import { sampleNamesMeta } from '../../src/components/ch1/sample-names/meta';
import { scoreNameMeta } from '../../src/components/ch1/score-name/meta';
import { fmtProb } from '../../src/components/ui/format';
import { expect, test } from './fixtures';

/** Going live downloads and compiles onnxruntime-web (~14 MB of WASM): slow on a busy machine. */
const LIVE_TIMEOUT = 45_000;
// Several tests load a page more than once.
test.describe.configure({ timeout: 180_000 });

/**
 * /embed/<figure>/?<state>: a figure alone, driven by its URL. Expected values are computed in
 * Node from the same .onnx files.
 */

const METAS = [bigramTableMeta, scoreNameMeta, sampleNamesMeta];

test('every registered figure has an embed page without the book chrome', async ({ page }) => {
  for (const meta of METAS) {
    const res = await page.goto(`/embed/${meta.id}/`);
    expect(res?.status(), meta.id).toBe(200);
    await expect(page.locator(`[data-figure="${meta.id}"]`)).toHaveAttribute(
      'data-status',
      'live',
      { timeout: LIVE_TIMEOUT },
    );
    await expect(page.locator('figcaption.fig-caption')).toHaveText(meta.caption);
    await expect(page.locator('.sidebar, header.header, .sl-markdown-content')).toHaveCount(0);
    await expect(page.locator('.embed__back a')).toHaveAttribute(
      'href',
      `${meta.chapter.href}#fig-${meta.id}`,
    );
    // No embed code inside an embed.
    await expect(page.locator('.fig-embed')).toHaveCount(0);
  }
});

test('score-name from the URL alone: ?text=emma&model=mlp', async ({ page }) => {
  await page.goto('/embed/score-name/?text=emma&model=mlp');
  const fig = page.locator('[data-figure="score-name"]');
  await expect(fig).toHaveAttribute('data-status', 'live', { timeout: LIVE_TIMEOUT });
  await expect(fig).toHaveAttribute('data-text', 'emma');
  await expect(fig.locator('input[type="text"]')).toHaveValue('emma');
  // Only the MLP column.
  await expect(fig.locator('thead th[data-model]')).toHaveCount(1);
  const want = await scoreName(await nodePredict('mlp'), 'emma');
  const ps = await fig
    .locator('td.score-table__cell[data-model="mlp"]')
    .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-p'))));
  expect(ps).toHaveLength(want.predictions.length);
  ps.forEach((p, i) => expect(p).toBeCloseTo(want.predictions[i]?.p ?? NaN, 5));
});

test('score-name embed with awkward URL text: explained, no NaN', async ({ page }) => {
  const text = 'Ünïcode 😀 名前 42';
  await page.goto(`/embed/score-name/?${new URLSearchParams({ text })}`);
  const fig = page.locator('[data-figure="score-name"]');
  await expect(fig).toHaveAttribute('data-status', 'live', { timeout: LIVE_TIMEOUT });
  await expect(fig).toHaveAttribute('data-text', text);
  await expect(fig.locator('.score-name__report')).toContainText(
    'Ignored (not a–z): Ü, ï, space, 😀, 名, 前, 4, 2.',
  );
  expect(await fig.innerText()).not.toMatch(/NaN|Infinity/);
});

test('sample-names from the URL alone: ?model=mlp&t=0.8&seed=3', async ({ page }) => {
  await page.goto('/embed/sample-names/?model=mlp&t=0.8&seed=3');
  const fig = page.locator('[data-figure="sample-names"]');
  await expect(fig).toHaveAttribute('data-status', 'live', { timeout: LIVE_TIMEOUT });
  const state = sampleNamesMeta.parse(new URLSearchParams('model=mlp&t=0.8&seed=3'));
  await expect(fig).toHaveAttribute('data-key', sampleNamesMeta.serialize(state).toString());
  const want = await sampleNames(await nodePredict('mlp'), {
    count: state.n,
    temperature: 0.8,
    seed: 3,
  });
  const got = await fig.locator('.sample-names__list li').allTextContents();
  expect(got).toEqual(want.map((n) => (n.name || '(empty name)') + (n.cut ? '…' : '')));
  await expect(fig.locator('input[type="number"]')).toHaveValue('3');
  await expect(fig.locator('output[data-role="t"]')).toHaveText('0.80');
  // The same URL again: the same names.
  await page.reload();
  await expect(fig).toHaveAttribute('data-status', 'live', { timeout: LIVE_TIMEOUT });
  await expect(fig).toHaveAttribute('data-key', sampleNamesMeta.serialize(state).toString());
  expect(await fig.locator('.sample-names__list li').allTextContents()).toEqual(got);
});

test('bigram-table from the URL alone: ?view=probs&cell=qu', async ({ page }) => {
  await page.goto('/embed/bigram-table/?view=probs&cell=qu');
  const fig = page.locator('[data-figure="bigram-table"]');
  await expect(fig).toHaveAttribute('data-status', 'live', { timeout: LIVE_TIMEOUT });
  await expect(fig).toHaveAttribute('data-view', 'probs');
  const probs = await (await nodePredict('bigram'))([[0, 0, 17]]);
  await expect(fig.locator('[data-role="readout"]')).toContainText(
    `P(u | q) = ${fmtProb(probs[21] ?? NaN)}`,
  );
});

test('a model that fails to load leaves the static figure, a message and a working retry', async ({
  page,
}) => {
  // Serve wrong bytes for the MLP: the page must refuse them (sha256 against the card).
  await page.route('**/models/mlp.onnx', (route) =>
    route.fulfill({ status: 200, body: Buffer.from('not a model') }),
  );
  await page.goto('/embed/score-name/?text=emma&ep=wasm');
  const fig = page.locator('[data-figure="score-name"]');
  await expect(fig).toHaveAttribute('data-status', 'error');
  const alert = fig.getByRole('alert');
  await expect(alert).toContainText('does not match its model card');
  await expect(alert).toContainText('Showing the build-time render');
  // The build-time render is still there, for all three models.
  await expect(fig.locator('td.score-table__cell[data-model="mlp"]')).toHaveCount(5);
  await page.unroute('**/models/mlp.onnx');
  await alert.getByRole('button', { name: 'Retry' }).click();
  await expect(fig).toHaveAttribute('data-status', 'live', { timeout: LIVE_TIMEOUT });
});
