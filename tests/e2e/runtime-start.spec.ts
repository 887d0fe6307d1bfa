/**
 * How onnxruntime-web starts in a page (src/components/ui/RuntimeStart.astro, runtime/web.ts):
 * - on a page with a live figure it starts while the HTML is parsed, before the figure's island
 *   asks for it, and the page compiles the .wasm once;
 * - a page without such a figure never fetches it;
 * - with Save-Data the start waits for the first figure that needs it, and still works;
 * - on a slow network the status line says how much of the runtime has arrived;
 * - in a cross-origin-isolated page it runs on worker threads (docs/HOSTING.md).
 */
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';

const WASM = /ort-wasm-simd-threaded\.[\w-]+\.wasm$/;

async function marks(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => {
    const out: Record<string, number> = {};
    for (const m of performance.getEntriesByType('mark')) out[m.name] ??= m.startTime;
    return out;
  });
}

test('a figure page starts the runtime before the figure asks for it, and initialises it once', async ({
  page,
}) => {
  const wasmRequests: string[] = [];
  page.on('request', (r) => {
    if (WASM.test(r.url())) wasmRequests.push(r.url());
  });
  await page.goto('/embed/score-name/');
  const fig = page.locator('[data-figure="score-name"]');
  await expect(fig).toHaveAttribute('data-status', 'live', { timeout: 60_000 });
  const m = await marks(page);
  // The boot began before the island imported the runtime, and ORT initialised only once: the
  // island's own import waited for the boot instead of starting a second initialisation.
  expect(m['ort:boot:start']).toBeLessThan(m['ort:import:wasm:start'] ?? -1);
  expect(m['ort:boot:end']).toBeLessThanOrEqual(m['ort:import:wasm:end'] ?? -1);
  expect(await page.evaluate(() => globalThis.__ortBoot?.state.done)).toBe(true);
  // The boot's own fetch, plus ORT's request for the same file, which the boot drops unread
  // (ORT has no option to take a compiled module): never a third.
  expect(wasmRequests.length).toBeGreaterThanOrEqual(1);
  expect(wasmRequests.length).toBeLessThanOrEqual(2);
  await fig.getByRole('textbox').first().fill('ada');
  await expect(fig).toHaveAttribute('data-text', 'ada');
});

test('a page without a live figure never fetches the runtime', async ({ page }) => {
  const fetched: string[] = [];
  page.on('request', (r) => {
    if (WASM.test(r.url()) || /ort\.wasm\.bundle/.test(r.url())) fetched.push(r.url());
  });
  await page.goto('/glossary/');
  await page.waitForLoadState('load');
  await page.waitForTimeout(500);
  expect(await page.evaluate(() => typeof globalThis.__ortBoot)).toBe('undefined');
  expect(fetched).toEqual([]);
});

test('with Save-Data the runtime starts only when a figure needs it, and the figure goes live', async ({
  page,
}) => {
  await page.addInitScript(() => {
    Object.defineProperty(navigator, 'connection', { value: { saveData: true } });
  });
  await page.goto('/chapters/01-probability/');
  await page.waitForLoadState('load');
  // Parsed, but not started: nothing is downloaded for a reader who saves data.
  expect(await page.evaluate(() => typeof globalThis.__ortBoot)).toBe('function');
  expect((await marks(page))['ort:boot:start']).toBeUndefined();
  const fig = page.locator('[data-figure="score-name"]');
  await fig.scrollIntoViewIfNeeded();
  await expect(fig).toHaveAttribute('data-status', 'live', { timeout: 60_000 });
  expect((await marks(page))['ort:boot:start']).toBeGreaterThan(0);
});

test('on a slow network the status line says how much of the runtime has arrived', async ({
  page,
  context,
}) => {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  // 14 MB of .wasm (astro preview sends it uncompressed) at 4 MB/s: a few seconds of loading.
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 40,
    downloadThroughput: 4 * 1024 * 1024,
    uploadThroughput: 1024 * 1024,
  });
  await page.goto('/embed/score-name/');
  const status = page.locator('[data-figure="score-name"] .fig-status');
  // The build-time render stays on screen, and the share grows while the runtime loads.
  await expect(page.locator('[data-figure="score-name"] table').first()).toBeVisible();
  await expect(status).toContainText(/runtime \d+ % downloaded/, { timeout: 30_000 });
  const first = Number(/(\d+) %/.exec((await status.textContent()) ?? '')?.[1]);
  await expect
    .poll(async () => Number(/(\d+) %/.exec((await status.textContent()) ?? '')?.[1] ?? 100), {
      timeout: 30_000,
    })
    .toBeGreaterThan(first);
  await expect(page.locator('[data-figure="score-name"]')).toHaveAttribute('data-status', 'live', {
    timeout: 60_000,
  });
  await expect(status).not.toContainText('downloaded');
});

test('cross-origin isolated, the runtime runs on worker threads and the figure goes live', async ({
  page,
}) => {
  // What a host sending the COOP/COEP headers of docs/HOSTING.md does: on every response (a
  // worker's script, here ORT's threads, must carry COEP too in an isolated page).
  await page.route('**/*', async (route) => {
    const response = await route.fetch();
    await route.fulfill({
      response,
      headers: {
        ...response.headers(),
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-embedder-policy': 'require-corp',
      },
    });
  });
  await page.goto('/embed/score-name/');
  expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
  const fig = page.locator('[data-figure="score-name"]');
  await expect(fig).toHaveAttribute('data-status', 'live', { timeout: 60_000 });
  // onnxruntime-web's threads are Web Workers running its own script.
  expect(page.workers().some((w) => /ort\.wasm\.bundle/.test(w.url()))).toBe(true);
  await fig.getByRole('textbox').first().fill('ada');
  await expect(fig).toHaveAttribute('data-text', 'ada');
});
