import type { Browser, Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import {
  blockWasmByCsp,
  CSP_WASM_ERRORS,
  FAULTS,
  inject,
  NO_WEBGPU_SCRIPT,
  type Fault,
} from './faults';
import {
  BAD_NUMBERS,
  bodyText,
  expectNothingBusy,
  instances,
  settle,
  staticTexts,
  type Settled,
} from './figure';
import { assertServedBuild, CHAPTERS, FIGURES, type FigureManifestEntry } from './manifest';

/**
 * Every figure, on its embed page, under each fault (faults.ts), and every chapter page under
 * the faults marked `onChapters`, CSP and JavaScript off: it
 * must fall back to its build-time render with a clear message, leave nothing spinning, keep
 * the rest of the page working, and come alive on "Retry" once the fault is gone where a retry
 * can help. Generated from the registry (/figures.json).
 */

interface Target {
  label: string;
  url: string;
  figures: FigureManifestEntry[];
  chapter: boolean;
}

const TARGETS: Target[] = [
  ...FIGURES.map((f) => ({ label: `embed ${f.id}`, url: f.embed, figures: [f], chapter: false })),
  ...CHAPTERS.map((c) => ({
    label: `chapter ${c.href}`,
    url: c.href,
    figures: c.figures,
    chapter: true,
  })),
];

// Several page loads per test, each compiling onnxruntime's .wasm: generous on a busy machine.
test.describe.configure({ mode: 'parallel', timeout: 180_000 });

test.beforeEach(async ({ request }) => {
  await assertServedBuild(request);
});

/**
 * The build-time render of a page's figures, read once per worker and page (a page load with
 * JavaScript off): it is a property of the build on disk, the same for every fault.
 */
const builtTexts = new Map<string, Promise<Map<string, string[]>>>();
function built(browser: Browser, url: string): Promise<Map<string, string[]>> {
  let texts = builtTexts.get(url);
  if (!texts) {
    texts = staticTexts(browser, url);
    builtTexts.set(url, texts);
    texts.catch(() => builtTexts.delete(url));
  }
  return texts;
}

/** An errored figure: a message, the build-time render, no broken numbers. */
async function expectFallback(page: Page, id: string, index: number, render: string | undefined) {
  const fig = instances(page, id).nth(index);
  const alert = fig.getByRole('alert');
  await expect(alert).toContainText('Showing the build-time render');
  // The reason is given, in parentheses: "Couldn't run the model here (…)".
  expect(await alert.innerText()).toMatch(/\(.{8,}\)/);
  expect(await bodyText(fig)).toBe(render);
  expect(await fig.innerText()).not.toMatch(BAD_NUMBERS);
}

/** The page around the figures still works: on a chapter, the theme switch. */
async function expectPageWorks(page: Page, target: Target) {
  if (target.chapter) {
    const select = page.locator('starlight-theme-select select').filter({ visible: true });
    await select.selectOption('dark');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  } else {
    await expect(page.locator('.embed__back a')).toBeVisible();
  }
}

/** Settle every figure of the target; returns [figure id, instance, outcome]. */
async function settleAll(page: Page, target: Target): Promise<[string, number, Settled][]> {
  const out: [string, number, Settled][] = [];
  for (const f of target.figures) {
    (await settle(page, f.id)).forEach((s, i) => out.push([f.id, i, s]));
  }
  return out;
}

/**
 * Press each failed figure's retry control. When onnxruntime itself could not start, only a new
 * page can retry (ORT remembers the failure), and the control is "Reload page": then every
 * figure must come alive in the reloaded page.
 */
async function retryAll(page: Page, target: Target, outcomes: [string, number, Settled][]) {
  for (const [id, i, s] of outcomes) {
    if (s !== 'error') continue;
    const fig = instances(page, id).nth(i);
    const control = fig.getByRole('button', { name: /^(Retry|Reload page)$/ });
    if ((await control.innerText()) === 'Reload page') {
      await Promise.all([page.waitForEvent('load'), control.click()]);
      for (const [id2, , s2] of await settleAll(page, target)) expect(s2, id2).toBe('live');
      return;
    }
    await control.click();
    await expect(fig).toHaveAttribute('data-status', 'live', { timeout: 45_000 });
  }
}

function runsOrt(target: Target, id: string): boolean {
  return target.figures.find((f) => f.id === id)?.runtime === 'onnxruntime';
}

function applies(fault: Fault, target: Target): boolean {
  return !fault.modelsOnly || target.figures.some((f) => f.models.length > 0);
}

for (const target of TARGETS) {
  test.describe(target.label, () => {
    for (const fault of FAULTS.filter((f) => !target.chapter || f.onChapters)) {
      test(`${fault.name}: ${fault.what}`, async ({ page, browser, guard }) => {
        test.skip(!applies(fault, target), 'no model files on this page');
        fault.errors.forEach((re) => guard.allowError(re));
        const texts = await built(browser, target.url);
        const { hits } = await inject(page, fault);
        await page.goto(target.url);
        const outcomes = await settleAll(page, target);
        await expectNothingBusy(page);

        if (hits.length > 0) expect(outcomes.some(([, , s]) => s === 'error')).toBe(true);
        for (const [id, i, s] of outcomes) {
          // On an embed page the one figure failed exactly when it needed a broken file.
          if (!target.chapter) expect(s, id).toBe(hits.length > 0 ? 'error' : 'live');
          if (s === 'error') await expectFallback(page, id, i, texts.get(id)?.[i]);
        }
        await expectPageWorks(page, target);

        // The fault goes away; "Retry" brings every failed figure to life.
        await page.unrouteAll({ behavior: 'wait' });
        await retryAll(page, target, outcomes);
        await expectNothingBusy(page);
      });
    }

    test('wasm blocked by a CSP without wasm-unsafe-eval', async ({ page, browser, guard }) => {
      CSP_WASM_ERRORS.forEach((re) => guard.allowError(re));
      const texts = await built(browser, target.url);
      await blockWasmByCsp(page);
      await page.goto(target.url);
      const outcomes = await settleAll(page, target);
      await expectNothingBusy(page);
      for (const [id, i, s] of outcomes) {
        // Figures computed in plain TypeScript need no WebAssembly and stay live.
        if (!runsOrt(target, id)) {
          expect(s, id).toBe('live');
          continue;
        }
        expect(s, id).toBe('error');
        await expectFallback(page, id, i, texts.get(id)?.[i]);
      }
      await expectPageWorks(page, target);
    });

    test('no WebGPU in the browser, WebGPU asked for: WASM, with the reason', async ({ page }) => {
      // Per figure, on its embed page; a chapter adds nothing here but load time.
      test.skip(target.chapter, 'checked on every embed page');
      await page.addInitScript(NO_WEBGPU_SCRIPT);
      await page.goto(`${target.url}?ep=webgpu`);
      expect(await page.evaluate(() => 'gpu' in navigator)).toBe(false);
      for (const [id, i, s] of await settleAll(page, target)) {
        expect(s, id).toBe('live');
        if (!runsOrt(target, id)) continue;
        const status = instances(page, id).nth(i).locator('.fig-status');
        await expect(status).toContainText('WASM');
        await expect(status).toContainText(/WebGPU/);
      }
      await expectNothingBusy(page);
    });

    test('JavaScript disabled: the build-time render reads on its own', async ({ browser }) => {
      const context = await browser.newContext({ javaScriptEnabled: false });
      const page = await context.newPage();
      await page.goto(target.url);
      for (const f of target.figures) {
        const frame = page.locator(`figure[data-figure-frame="${f.id}"]`).first();
        await expect(frame.locator('.fig-title')).toHaveText(f.title);
        await expect(frame.locator('figcaption.fig-caption')).toHaveText(f.caption);
        const fig = frame.locator(`[data-figure="${f.id}"]`);
        await expect(fig).toHaveAttribute('data-status', 'static');
        const text = await bodyText(fig);
        // Real content, with numbers, and none of them broken.
        expect(text.length, f.id).toBeGreaterThan(80);
        expect(text, f.id).toMatch(/\d/);
        expect(text, f.id).not.toMatch(BAD_NUMBERS);
        // A figure that runs a model says what the reader is looking at; nothing pretends to load.
        if (f.runtime === 'onnxruntime')
          await expect(fig.locator('.fig-status')).toContainText('Drawn at build time');
      }
      await expect(page.locator('[data-status="loading"]')).toHaveCount(0);
      if (target.chapter) {
        expect(
          (await page.locator('main .sl-markdown-content').innerText()).length,
        ).toBeGreaterThan(1000);
      }
      await context.close();
    });
  });
}
