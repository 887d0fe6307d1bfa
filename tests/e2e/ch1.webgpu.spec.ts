import type { Page } from '@playwright/test';
import { sampleNames, scoreName } from '../../src/models/names/lm';
import { nodePredict } from '../../src/models/runtime/node';
import { expect, test } from './fixtures';

/** Going live downloads and compiles onnxruntime-web (~14 MB of WASM): slow on a busy machine. */
const LIVE_TIMEOUT = 45_000;
// Several tests load a page more than once.
test.describe.configure({ timeout: 180_000 });

/**
 * The WebGPU path (Playwright project "webgpu": Chromium with --enable-unsafe-webgpu; on a
 * machine without a GPU that is Dawn's SwiftShader adapter). `?ep=webgpu` forces the EP; the
 * numbers must match onnxruntime-node on the same .onnx files within 1e-4.
 */

const CHAPTER = '/chapters/01-probability/';
const MODELS = ['unigram', 'bigram', 'mlp'] as const;

async function probsFor(page: Page, text: string) {
  const fig = page.locator('[data-figure="score-name"]');
  await fig.locator('input[type="text"]').fill(text);
  await expect(fig).toHaveAttribute('data-text', text);
  const out: Record<string, number[]> = {};
  for (const model of MODELS) {
    out[model] = await fig
      .locator(`td.score-table__cell[data-model="${model}"]`)
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-p'))));
  }
  return out;
}

test('forced WebGPU runs all three models and matches the CPU numbers within 1e-4', async ({
  page,
}) => {
  await page.goto(`${CHAPTER}?ep=webgpu`);
  const fig = page.locator('[data-figure="score-name"]');
  await fig.scrollIntoViewIfNeeded();
  await expect(fig).toHaveAttribute('data-status', 'live', { timeout: LIVE_TIMEOUT });
  await expect(fig.locator('[data-status="live"]')).toContainText('WebGPU');
  await expect(fig.locator('.fig-ep select')).toHaveValue('webgpu');
  for (const text of ['emma', 'Bartholomew']) {
    const got = await probsFor(page, text);
    for (const model of MODELS) {
      const want = await scoreName(await nodePredict(model), text);
      const ps = got[model] ?? [];
      expect(ps).toHaveLength(want.predictions.length);
      ps.forEach((p, i) =>
        expect(Math.abs(p - (want.predictions[i]?.p ?? NaN))).toBeLessThan(1e-4),
      );
    }
  }
});

test('WebGPU and WASM in the same browser agree, and sampling gives the same names', async ({
  page,
}) => {
  await page.goto(`${CHAPTER}?ep=webgpu`);
  const fig = page.locator('[data-figure="score-name"]');
  await fig.scrollIntoViewIfNeeded();
  await expect(fig.locator('[data-status="live"]')).toContainText('WebGPU', {
    timeout: LIVE_TIMEOUT,
  });
  const gpu = await probsFor(page, 'jacqueline');
  await fig.locator('.fig-ep select').selectOption('wasm');
  await expect(fig.locator('[data-status="live"]')).toContainText('WASM');
  await fig.locator('input[type="text"]').fill('');
  const cpu = await probsFor(page, 'jacqueline');
  for (const model of MODELS) {
    (gpu[model] ?? []).forEach((p, i) =>
      expect(Math.abs(p - (cpu[model]?.[i] ?? NaN))).toBeLessThan(1e-4),
    );
  }

  await page.locator('.fig-ep select').first().selectOption('webgpu');
  const sample = page.locator('[data-figure="sample-names"]');
  await sample.scrollIntoViewIfNeeded();
  await expect(sample.locator('[data-status="live"]')).toContainText('WebGPU', {
    timeout: LIVE_TIMEOUT,
  });
  const want = await sampleNames(await nodePredict('mlp'), { count: 20, temperature: 1, seed: 1 });
  await expect(sample.locator('.sample-names__list li')).toHaveText(
    want.map((n) => (n.name || '(empty name)') + (n.cut ? '…' : '')),
  );
});

test('in auto mode a software (fallback) adapter is not used, and the page says why', async ({
  page,
}) => {
  await page.goto(CHAPTER);
  const fig = page.locator('[data-figure="score-name"]');
  await fig.scrollIntoViewIfNeeded();
  await expect(fig.locator('[data-status="live"]')).toContainText('WASM', {
    timeout: LIVE_TIMEOUT,
  });
  const adapter = await page.evaluate(async () => {
    const a = await navigator.gpu?.requestAdapter();
    return a ? { fallback: a.info.isFallbackAdapter } : null;
  });
  if (adapter === null || adapter.fallback) {
    await expect(fig.locator('[data-status="live"]')).toContainText(
      /auto: (this device has no GPU the page can use|this browser gives the page no GPU), so models run on the CPU \(WASM\)/,
      {
        timeout: 15_000,
      },
    );
  } else {
    // A hardware adapter: the page measured both and says which won.
    await expect(fig.locator('[data-status="live"]')).toContainText(
      /auto: measured on this device, the GPU takes [\d.]+ ms per call and the CPU [\d.]+ ms, so the (GPU \(WebGPU\)|CPU \(WASM\)) runs it/,
      {
        timeout: 30_000,
      },
    );
  }
});
