import type { Locator, Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { instances, settle } from './figure';
import { assertServedBuild, FIGURES } from './manifest';

/**
 * 1,000 interactions on a figure grow the JS heap by at most 5 MB (garbage collected before both
 * measurements, through the DevTools protocol; ArrayBuffers counted): nothing the figure
 * allocates per interaction is kept, onnxruntime's tensors included. For every figure with a
 * control, through the first of: its Step button (1,000 training steps, waiting for each), its
 * text or number field (input events), its keyboard-driven view (arrow keys), a select or a
 * radio group (change events). The interactions run inside the page, in batches, so the spec
 * measures the figure rather than Playwright.
 */

// A training figure's 1,000 steps take minutes on a loaded machine (zero-init trains three runs).
test.describe.configure({ mode: 'parallel', timeout: 480_000 });

const INTERACTIONS = 1_000;
const WARM_UP = 50;
const MAX_GROWTH = 5 * 2 ** 20;

/**
 * The JS heap after garbage collection, plus the ArrayBuffer backing stores it keeps alive
 * (typed arrays, tensors' data and WebAssembly memory live outside the V8 heap proper).
 */
async function heapAfterGc(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  try {
    for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize, backingStorageSize } = await cdp.send('Runtime.getHeapUsage');
    return usedSize + backingStorageSize;
  } finally {
    await cdp.detach();
  }
}

/** `n` interactions with the figure's first control, in the page; returns what was driven. */
async function drive(fig: Locator, n: number, offset: number): Promise<string> {
  return fig.evaluate(
    async (root, { n, offset }) => {
      const tick = () => new Promise((r) => setTimeout(r, 0));
      const field = root.querySelector<HTMLInputElement>(
        '.fig-controls input[type="text"], .fig-controls input[type="number"]',
      );
      const step = root.querySelector<HTMLButtonElement>('button[data-action="step"]');
      const view = root.querySelector<HTMLElement>(
        '[tabindex="0"]:not(input, select, button, textarea)',
      );
      const select = root.querySelector<HTMLSelectElement>('.fig-controls select');
      const radios = [...root.querySelectorAll<HTMLInputElement>('input[type="radio"]')];
      if (step) {
        // A step is async (a training step on onnxruntime): wait for each to be counted.
        for (let i = 0; i < n; i++) {
          const before = root.getAttribute('data-steps');
          step.click();
          const t0 = performance.now();
          while (root.getAttribute('data-steps') === before) {
            if (performance.now() - t0 > 10_000) throw new Error(`step ${i} never finished`);
            await tick();
          }
        }
        return 'step';
      }
      if (field) {
        const names = ['emma', 'olivia', 'ava', 'sophia', 'isabella', 'mia', 'zoë', 'q'];
        const words = ['the state of the', 'we must', 'our people', 'the union is'];
        const text = root.getAttribute('data-figure') === 'next-word' ? words : names;
        const min = Number(field.min || 0);
        const max = Math.min(Number(field.max || 40), min + 40);
        for (let i = offset; i < offset + n; i++) {
          field.value =
            field.type === 'number'
              ? String(min + (i % (max - min + 1)))
              : `${text[i % text.length] ?? ''}${' '.repeat(i % 3)}`;
          field.dispatchEvent(new Event('input', { bubbles: true }));
          field.dispatchEvent(new Event('change', { bubbles: true }));
          // Let most of them be drawn, as a typist's would.
          if (i % 5 === 4) await tick();
        }
        return `field ${field.type}`;
      }
      if (view) {
        const keys = ['ArrowRight', 'ArrowDown', 'ArrowLeft', 'ArrowUp', 'ArrowRight'];
        for (let i = offset; i < offset + n; i++) {
          view.dispatchEvent(
            new KeyboardEvent('keydown', {
              key: keys[i % keys.length] ?? 'ArrowRight',
              bubbles: true,
            }),
          );
          if (i % 5 === 4) await tick();
        }
        return 'arrow keys';
      }
      if (select) {
        for (let i = offset; i < offset + n; i++) {
          select.selectedIndex = i % select.options.length;
          select.dispatchEvent(new Event('change', { bubbles: true }));
          if (i % 5 === 4) await tick();
        }
        return 'select';
      }
      const enabled = radios.filter((r) => !r.disabled);
      if (enabled.length > 1) {
        for (let i = offset; i < offset + n; i++) {
          enabled[i % enabled.length]?.click();
          if (i % 5 === 4) await tick();
        }
        return 'radio';
      }
      return 'nothing';
    },
    { n, offset },
  );
}

for (const f of FIGURES) {
  test(`heap after ${INTERACTIONS} interactions: ${f.id}`, async ({ page, request }, testInfo) => {
    await assertServedBuild(request);
    await page.goto(f.embed);
    expect(await settle(page, f.id)).toEqual(['live']);
    const fig = instances(page, f.id).first();

    // Warm up (first-use caches, JIT, a training run's first allocations), then measure.
    const kind = await drive(fig, WARM_UP, 0);
    expect(kind, 'a figure with nothing to operate').not.toBe('nothing');
    await page.waitForTimeout(500);
    const before = await heapAfterGc(page);
    const t0 = Date.now();
    expect(await drive(fig, INTERACTIONS, WARM_UP)).toBe(kind);
    // Let the last interaction's work finish before measuring.
    await expect(fig).toHaveAttribute('data-status', 'live');
    await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
    await page.waitForTimeout(1_000);
    const after = await heapAfterGc(page);
    const growth = after - before;
    testInfo.annotations.push({
      type: 'heap',
      description: `${INTERACTIONS} × ${kind} in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${(before / 2 ** 20).toFixed(2)} MB -> ${(after / 2 ** 20).toFixed(2)} MB`,
    });
    expect(growth, `heap grew by ${(growth / 2 ** 20).toFixed(2)} MB`).toBeLessThanOrEqual(
      MAX_GROWTH,
    );
  });
}
