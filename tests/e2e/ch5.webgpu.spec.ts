import { readSentence } from '../../src/models/words/lm';
import { loadCard, nodeSequence } from '../../src/models/runtime/node';
import { Vocabulary } from '../../src/models/words/vocab';
import { expect, test } from './fixtures';

/** Going live downloads and compiles onnxruntime-web (~26 MB of WASM for WebGPU). */
const LIVE_TIMEOUT = 60_000;
test.describe.configure({ timeout: 180_000 });

/**
 * Figure 5.1 "one-head" on the WebGPU path (project "webgpu": SwiftShader's CPU adapter here).
 * The figure's arithmetic must agree with the attention the model computes on WebGPU within the
 * figure's own 1e-4 (one layer: float32 kernels differ from float64 only in the last bits), and
 * with onnxruntime-node's.
 */
test('forced WebGPU: one-head runs live on WebGPU and agrees with the model and onnxruntime-node', async ({
  page,
}) => {
  await page.goto('/chapters/05-attention/?ep=webgpu');
  const fig = page.locator('[data-figure="one-head"]').first();
  await fig.scrollIntoViewIfNeeded();
  await expect(fig).toHaveAttribute('data-status', 'live', { timeout: LIVE_TIMEOUT });
  await expect(fig.locator('[data-status="live"]')).toContainText('WebGPU');
  const text = 'The state of the union is strong.';
  await fig.locator('[data-role="text"]').fill(text);
  await fig.locator('[data-role="head"]').selectOption('3');

  const card = await loadCard('gpt-words');
  const read = readSentence(new Vocabulary(card.vocabulary), text, Number(card.config['context']));
  const T = read.ids.length;
  await expect(fig).toHaveAttribute('data-tokens', String(T));
  await expect(fig).toHaveAttribute('data-head', '3');
  const agree = fig.locator('[data-role="agree"]');
  await expect(agree).toContainText('webgpu');
  await expect(agree).toHaveAttribute('data-ok', 'yes');
  expect(Number(await agree.getAttribute('data-diff'))).toBeLessThan(1e-4);

  const att = (await (await nodeSequence('gpt-words')).run([read.ids], ['attention']))[
    'attention'
  ]!;
  const at = (3 * T + (T - 1)) * T;
  const want = Array.from(att.data.subarray(at, at + T));
  const got = await fig
    .locator('[data-role="row"]')
    .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-weight'))));
  got.forEach((w, j) => expect(Math.abs(w - (want[j] as number)), `j=${j}`).toBeLessThan(1e-4));
});
