import { CharVocab } from '../../src/models/rnn/char-vocab';
import { readHidden } from '../../src/models/rnn/generate';
import { loadCard, nodeStep } from '../../src/models/runtime/node';
import { initialState } from '../../src/models/runtime/run';
import { expect, test } from './fixtures';

/** Going live downloads and compiles onnxruntime-web's WebGPU build (~26 MB): slow. */
const LIVE_TIMEOUT = 90_000;
test.describe.configure({ timeout: 240_000 });

/**
 * Figures 4.2 and 4.3 on WebGPU (project "webgpu": SwiftShader without a GPU), forced with
 * ?ep=webgpu: generation runs and repeats with its seed, and the neurons figure's values match
 * onnxruntime-node's within 2e-3.
 */

test('generate streams on WebGPU and repeats with its seed', async ({ page }) => {
  const url = '/embed/generate/?prompt=Peace&t=1&seed=3&n=120&ep=webgpu';
  const once = async (): Promise<string> => {
    await page.goto(url);
    const fig = page.locator('[data-figure="generate"]');
    await expect(fig).toHaveAttribute('data-status', 'live', { timeout: LIVE_TIMEOUT });
    await expect(fig).toHaveAttribute('data-phase', 'done', { timeout: LIVE_TIMEOUT });
    await expect(fig.locator('[data-role="stats"]')).toContainText('WebGPU');
    return (await fig.locator('[data-role="generated"]').textContent()) ?? '';
  };
  const a = await once();
  expect(a).toHaveLength(120);
  expect(await once()).toBe(a);
});

test('neurons on WebGPU match onnxruntime-node', async ({ page }) => {
  const card = await loadCard('lstm-chars');
  const unit = card.neurons?.find((n) => n.feature === 'word-position')?.unit as number;
  const text = 'In 1901 the "Congress" met (again).';
  await page.goto(`/embed/neurons/?ep=webgpu&unit=${unit}&text=${encodeURIComponent(text)}`);
  const fig = page.locator('[data-figure="neurons"]');
  await expect(fig).toHaveAttribute('data-status', 'live', { timeout: LIVE_TIMEOUT });
  await expect(fig.locator('.fig-status[data-status="live"]')).toContainText('WebGPU');
  await expect(fig.locator('[data-role="coloured"] span').first()).toHaveAttribute('data-v', /./);
  const got = await fig
    .locator('[data-role="coloured"] span')
    .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-v'))));
  const v = new CharVocab(card.vocabulary);
  const step = await nodeStep('lstm-chars');
  const { hidden } = await readHidden(step.run, initialState(step.io, 1), v.encode(text).ids);
  expect(got).toHaveLength(hidden.length);
  got.forEach((x, i) => expect(Math.abs(x - (hidden[i]?.[unit] ?? NaN))).toBeLessThan(2e-3));
});
