import type { Browser, Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import {
  blockWasmByCsp,
  CSP_WASM_ERRORS,
  FAULTS,
  Faults,
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
 * Every figure under every fault (faults.ts), with JavaScript off, and with no WebGPU: it must
 * fall back to its build-time render with a clear message, leave nothing spinning, keep the
 * rest of the page working, and come alive on "Retry" (or "Reload page") once the fault is
 * gone. Generated from the registry (/figures.json).
 *
 * One page meets its faults one after another, the way a reader on a bad connection would:
 * - files, on every embed page (and file-404 on every chapter): the page loads under the first
 *   file fault; each next one is met by pressing Retry (so Retry itself is tested against a
 *   failure, not only against success); the last Retry, with the fault gone, brings the figure
 *   to life.
 * - runtime, on every chapter page (every figure of the book is on one; onnxruntime is one per
 *   page, so its faults are the page's, not a figure's): a CSP that forbids WebAssembly, then
 *   each fault of onnxruntime's .wasm, met by pressing "Reload page"; every figure that runs a
 *   model fails at each, and the last reload, with nothing broken, brings every figure to
 *   life, on WASM with the reason, since the browser has no WebGPU and the URL asks for it.
 * A page per fault and per figure proved no more, and cost a page load and onnxruntime start-up
 * each.
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

/** A page whose figures offer no control to press: reload it ourselves. */
async function reloadAndSettle(page: Page, target: Target): Promise<[string, number, Settled][]> {
  await page.reload();
  return settleAll(page, target);
}

function runsOrt(target: Target, id: string): boolean {
  return target.figures.find((f) => f.id === id)?.runtime === 'onnxruntime';
}

function applies(fault: Fault, target: Target): boolean {
  return !fault.modelsOnly || target.figures.some((f) => f.models.length > 0);
}

/**
 * After the page met a fault: every failed figure shows its fallback; on an embed page the
 * figure failed exactly when the fault broke something (`broke`) it needs.
 */
async function expectFailed(
  page: Page,
  target: Target,
  texts: Map<string, string[]>,
  outcomes: [string, number, Settled][],
  broke: boolean,
  stayLive: (id: string) => boolean = () => false,
) {
  await expectNothingBusy(page);
  if (broke) expect(outcomes.some(([, , s]) => s === 'error')).toBe(true);
  for (const [id, i, s] of outcomes) {
    if (stayLive(id)) {
      expect(s, id).toBe('live');
      continue;
    }
    if (!target.chapter) expect(s, id).toBe(broke ? 'error' : 'live');
    if (s === 'error') await expectFallback(page, id, i, texts.get(id)?.[i]);
  }
}

/**
 * Presses every failed figure's control ("Retry", or "Reload page" when onnxruntime could not
 * start) and settles the page again; returns the new outcomes.
 */
async function pressRetry(
  page: Page,
  target: Target,
  outcomes: [string, number, Settled][],
  faults: Faults,
): Promise<[string, number, Settled][]> {
  const failed = outcomes.filter(([, , s]) => s === 'error');
  for (const [id, i] of failed) {
    const fig = instances(page, id).nth(i);
    const control = fig.getByRole('button', { name: /^(Retry|Reload page)$/ });
    if ((await control.innerText()) === 'Reload page') {
      await Promise.all([page.waitForEvent('load'), control.click()]);
      return settleAll(page, target);
    }
    // The figure is loading again once the active fault (if any) has answered a request of it.
    const before = faults.hits.length;
    await control.click();
    if (faults.active) await expect.poll(() => faults.hits.length).toBeGreaterThan(before);
  }
  return settleAll(page, target);
}

for (const target of TARGETS) {
  test.describe(target.label, () => {
    const fileFaults = FAULTS.filter(
      (f) => f.kind === 'file' && (!target.chapter || f.onChapters) && applies(f, target),
    );
    const runtimeFaults = FAULTS.filter((f) => f.kind === 'runtime' && f.onChapters);

    test(`files: ${fileFaults.map((f) => f.name).join(', ')}, then Retry`, async ({
      page,
      browser,
      guard,
    }) => {
      fileFaults.forEach((f) => f.errors.forEach((re) => guard.allowError(re)));
      const texts = await built(browser, target.url);
      const faults = await Faults.on(page);
      let outcomes: [string, number, Settled][] = [];
      for (const [n, fault] of fileFaults.entries()) {
        await test.step(`${fault.name}: ${fault.what}`, async () => {
          faults.set(fault);
          if (n === 0) {
            await page.goto(target.url);
            outcomes = await settleAll(page, target);
          } else outcomes = await pressRetry(page, target, outcomes, faults);
          await expectFailed(page, target, texts, outcomes, faults.hits.length > 0);
          if (n === 0) await expectPageWorks(page, target);
        });
      }
      await test.step('the fault goes away: Retry brings every figure to life', async () => {
        faults.set(undefined);
        outcomes = await pressRetry(page, target, outcomes, faults);
        for (const [id, , s] of outcomes) expect(s, id).toBe('live');
        await expectNothingBusy(page);
      });
    });

    if (target.chapter)
      test(`runtime: CSP without wasm-unsafe-eval, ${runtimeFaults.map((f) => f.name).join(', ')}, then Reload`, async ({
        page,
        browser,
        guard,
      }) => {
        [CSP_WASM_ERRORS, ...runtimeFaults.map((f) => f.errors)]
          .flat()
          .forEach((re) => guard.allowError(re));
        const texts = await built(browser, target.url);
        // No WebGPU in this browser, and the URL asks for it: the figures run on WASM, and say why.
        await page.addInitScript(NO_WEBGPU_SCRIPT);
        const faults = await Faults.on(page);
        // Figures computed in plain TypeScript need no WebAssembly and stay live throughout.
        const plain = (id: string) => !runsOrt(target, id);
        let outcomes: [string, number, Settled][] = [];
        await test.step('wasm blocked by a CSP without wasm-unsafe-eval', async () => {
          const lift = await blockWasmByCsp(page);
          await page.goto(`${target.url}?ep=webgpu`);
          expect(await page.evaluate(() => 'gpu' in navigator)).toBe(false);
          outcomes = await settleAll(page, target);
          const needsWasm = target.figures.some((f) => runsOrt(target, f.id));
          await expectFailed(page, target, texts, outcomes, needsWasm, plain);
          for (const [id, , s] of outcomes) if (!plain(id)) expect(s, id).toBe('error');
          await expectPageWorks(page, target);
          await lift();
        });
        for (const fault of runtimeFaults) {
          await test.step(`${fault.name}: ${fault.what}`, async () => {
            faults.set(fault);
            outcomes = target.figures.some((f) => runsOrt(target, f.id))
              ? await pressRetry(page, target, outcomes, faults)
              : await reloadAndSettle(page, target);
            await expectFailed(page, target, texts, outcomes, faults.hits.length > 0, plain);
            // onnxruntime could not start: no figure that needs it can be live.
            if (faults.hits.length > 0)
              for (const [id, , s] of outcomes) if (!plain(id)) expect(s, id).toBe('error');
          });
        }
        await test.step('nothing broken: "Reload page" brings every figure to life', async () => {
          faults.set(undefined);
          outcomes = await pressRetry(page, target, outcomes, faults);
          for (const [id, i, s] of outcomes) {
            expect(s, id).toBe('live');
            if (!runsOrt(target, id)) continue;
            const status = instances(page, id).nth(i).locator('.fig-status');
            await expect(status).toContainText('WASM');
            await expect(status).toContainText(/WebGPU/);
          }
          await expectNothingBusy(page);
        });
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
