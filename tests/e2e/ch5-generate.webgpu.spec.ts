import { expect, test } from './fixtures';

/** Going live downloads and compiles onnxruntime-web's WebGPU build (~26 MB): slow. */
const LIVE_TIMEOUT = 120_000;
test.describe.configure({ timeout: 300_000 });

/**
 * Figure 5.3 on WebGPU (project "webgpu": SwiftShader without a GPU), forced with ?ep=webgpu:
 * the GPT's step graph with its cache runs there, says so, and repeats with its seed.
 */
test('generate-gpt streams on WebGPU and repeats with its seed', async ({ page }) => {
  const url = '/embed/generate-gpt/?prompt=Peace&t=1&k=0&p=0.9&seed=3&n=24&ep=webgpu';
  const once = async (): Promise<string> => {
    await page.goto(url);
    const fig = page.locator('[data-figure="generate-gpt"]');
    await expect(fig).toHaveAttribute('data-status', 'live', { timeout: LIVE_TIMEOUT });
    await expect(fig).toHaveAttribute('data-phase', 'done', { timeout: LIVE_TIMEOUT });
    await expect(fig).toHaveAttribute('data-tokens', '24');
    await expect(fig.locator('[data-role="stats"]')).toContainText('WebGPU');
    return (await fig.locator('[data-role="generated"]').textContent()) ?? '';
  };
  const a = await once();
  expect(a.length).toBeGreaterThan(0);
  expect(await once()).toBe(a);
});
