import type { Locator, Page } from '@playwright/test';
import { ladderModels } from '../../src/components/ch4/ladder/ladder';
import { expect, test } from './fixtures';

/**
 * Figures 4.5 and 4.6 on WebGPU (Playwright project "webgpu": Chromium with
 * --enable-unsafe-webgpu; headless, Dawn's SwiftShader adapter). `?ep=webgpu` forces the EP;
 * both figures must go live on it and show the numbers WASM shows in the same browser.
 */

/** The WebGPU build of onnxruntime (26 MB of WebAssembly) compiles slowly on a busy CPU. */
const LIVE_TIMEOUT = 120_000;
test.describe.configure({ timeout: 300_000 });

async function liveOn(page: Page, id: string, ep: 'WebGPU' | 'WASM'): Promise<Locator> {
  const fig = page.locator(`[data-figure="${id}"]`);
  await expect(fig).toHaveAttribute('data-status', 'live', { timeout: LIVE_TIMEOUT });
  await expect(fig.locator('.fig-status')).toContainText(ep, { timeout: LIVE_TIMEOUT });
  return fig;
}

async function norms(fig: Locator, text: string) {
  await fig.locator('input[type="text"]').fill(text);
  await expect(fig).toHaveAttribute('data-text', text);
  await expect(fig).toHaveAttribute('data-live-result', 'true');
  return fig
    .locator('.vanishing__summary li')
    .evaluateAll((els) =>
      els.map((e) => [
        Number(e.getAttribute('data-first')),
        Number(e.getAttribute('data-last')),
        Number(e.getAttribute('data-loss')),
      ]),
    );
}

test('vanishing-gradients goes live on WebGPU and agrees with WASM', async ({ page }) => {
  await page.goto('/embed/vanishing-gradients/?ep=webgpu');
  const fig = await liveOn(page, 'vanishing-gradients', 'WebGPU');
  const gpu = await norms(fig, 'maximilian');
  expect(gpu).toHaveLength(3);
  await fig.locator('.fig-ep select').selectOption('wasm');
  await liveOn(page, 'vanishing-gradients', 'WASM');
  await fig.locator('input[type="text"]').fill('');
  const cpu = await norms(fig, 'maximilian');
  gpu.flat().forEach((g, i) => {
    const c = cpu.flat()[i] as number;
    expect(Number.isFinite(g) && g > 0).toBe(true);
    expect(Math.abs(g - c)).toBeLessThanOrEqual(1e-3 * Math.max(Math.abs(c), 1e-6));
  });
});

async function bits(fig: Locator, name: string, words: string) {
  const out: number[] = [];
  for (const [corpus, text] of [
    ['names', name],
    ['words', words],
  ] as const) {
    const panel = fig.locator(`section[data-corpus="${corpus}"]`);
    await panel.locator('input[type="text"]').fill(text);
    await expect(panel).toHaveAttribute('data-raw', text);
    await expect(panel).toHaveAttribute('data-live-result', 'true');
    for (const m of ladderModels(corpus))
      out.push(
        ...(await panel
          .locator(`table[data-role="ladder-scores"] tbody td[data-model="${m}"]`)
          .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-bits'))))),
      );
  }
  return out;
}

test('ladder goes live on WebGPU and agrees with WASM', async ({ page }) => {
  await page.goto('/embed/ladder/?ep=webgpu');
  const fig = await liveOn(page, 'ladder', 'WebGPU');
  const gpu = await bits(fig, 'bartholomew', 'We the people of the United States.');
  await fig.locator('.fig-ep select').selectOption('wasm');
  await liveOn(page, 'ladder', 'WASM');
  for (const corpus of ['names', 'words'])
    await fig.locator(`section[data-corpus="${corpus}"] input[type="text"]`).fill('');
  const cpu = await bits(fig, 'bartholomew', 'We the people of the United States.');
  expect(gpu).toHaveLength(cpu.length);
  expect(gpu.length).toBeGreaterThan(20);
  gpu.forEach((g, i) => {
    expect(Number.isFinite(g)).toBe(true);
    expect(Math.abs(g - (cpu[i] as number))).toBeLessThan(1e-3);
  });
});
