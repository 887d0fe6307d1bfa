import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';

/**
 * Figure 5.2 on WebGPU (Playwright project "webgpu": Chromium with --enable-unsafe-webgpu;
 * headless, Dawn's SwiftShader adapter). `?ep=webgpu` forces the EP; the figure must go live on
 * it and show the weights WASM shows in the same browser.
 */

/** The WebGPU build of onnxruntime (26 MB of WebAssembly) compiles slowly on a busy CPU. */
const LIVE_TIMEOUT = 120_000;
test.describe.configure({ timeout: 300_000 });

async function liveOn(page: Page, ep: 'WebGPU' | 'WASM'): Promise<Locator> {
  const fig = page.locator('[data-figure="heads"]');
  await expect(fig).toHaveAttribute('data-status', 'live', { timeout: LIVE_TIMEOUT });
  await expect(fig.locator('.fig-status')).toContainText(ep, { timeout: LIVE_TIMEOUT });
  return fig;
}

/** The strip's weights for the last token under a few heads, after typing `text`. */
async function weights(fig: Locator, text: string): Promise<number[]> {
  await fig.locator('input[type="text"]').fill(text);
  await expect(fig).toHaveAttribute('data-text', text);
  await expect(fig).toHaveAttribute('data-live-result', 'true');
  const out: number[] = [];
  for (const [l, h] of [
    [0, 0],
    [1, 2],
    [3, 3],
  ] as const) {
    await fig.locator(`.ch5-maps__button[data-layer="${l}"][data-head="${h}"]`).click();
    await expect(fig).toHaveAttribute('data-head', String(h));
    await expect(fig).toHaveAttribute('data-layer', String(l));
    out.push(
      ...(await fig
        .locator('.ch5-strip__token')
        .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-w'))))),
    );
  }
  return out;
}

test('heads goes live on WebGPU and agrees with WASM', async ({ page }) => {
  const text = 'The people of the United States will not forget the people.';
  await page.goto('/embed/heads/?ep=webgpu');
  const fig = await liveOn(page, 'WebGPU');
  const gpu = await weights(fig, text);
  await fig.locator('.fig-ep select').selectOption('wasm');
  await liveOn(page, 'WASM');
  await fig.locator('input[type="text"]').fill('');
  await expect(fig).toHaveAttribute('data-text', '');
  const cpu = await weights(fig, text);
  expect(gpu).toHaveLength(cpu.length);
  expect(gpu.length).toBeGreaterThan(30);
  gpu.forEach((g, i) => {
    expect(Number.isFinite(g)).toBe(true);
    expect(Math.abs(g - (cpu[i] as number))).toBeLessThan(1e-3);
  });
});
