import type { Locator, Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { idle, instances, settle } from './figure';
import { assertServedBuild, FIGURES } from './manifest';

/**
 * Nothing a figure allocates per interaction is kept, onnxruntime's tensors included: the heap
 * (JS heap after garbage collection, forced through the DevTools protocol, plus the ArrayBuffer
 * backing stores it keeps alive) grows by at most 5 MB per 1,000 interactions, i.e. at most
 * 5 MB / 1,000 = 5.2 kB per interaction. For every figure with a control, through the first of:
 * its Step button (training steps, waiting for each), its text or number field (input events),
 * its keyboard-driven view (arrow keys), a select or a radio group (change events). The
 * interactions run inside the page, in batches, so the spec measures the figure rather than
 * Playwright.
 *
 * Measured as a slope, not by brute repetition. A leak is memory kept per interaction, so the
 * heap grows linearly with the number of interactions; what the bound limits is that rate. The
 * spec used to drive 1,000 interactions (1,000 onnxruntime training steps on a training
 * figure, minutes each) and compare two heap readings. Now, after a warm-up (first-use caches,
 * JIT, onnxruntime's arena and WebAssembly memory reaching their working size, a training
 * run's first records), it reads the heap at POINTS evenly spaced moments over SPAN more
 * interactions and fits a least-squares line: its slope, in bytes per interaction, must be at
 * most 5 MB / 1,000. A leak of r bytes per interaction shows as a slope of r however few
 * interactions it runs over; the readings' noise (ν, bytes, from GC and allocation timing)
 * only widens the slope's standard error, ν / sqrt(Σ(x - x̄)²): with 5 points over 200
 * interactions that is ν / 158 per interaction, over 80 training steps ν / 63, and it is
 * annotated with every reading, so a noisy result can be seen. A kept allocation that is not
 * per interaction (a one-off cache after the warm-up, WebAssembly memory growing by a block)
 * is a step in the readings: the 1,000-interaction version failed a step above 5 MB; a step of
 * s bytes between two of the 5 readings moves the slope by 0.8 s / SPAN to 1.2 s / SPAN, so
 * this version fails any step above 1.3 MB (inputs) or 0.5 MB (training): stricter, not
 * weaker. The inputs the spec sends cycle over a small set of values (8 names x 3 paddings, 41
 * numbers, 4-5 keys, the select's options), so a cache keyed by input is full after the
 * warm-up, as it was in the 1,000-interaction version.
 */

// A training figure's steps are onnxruntime training runs (zero-init trains three runs each).
test.describe.configure({ mode: 'parallel', timeout: 240_000 });

/** Today's bound: 5 MB per 1,000 interactions, as bytes per interaction. */
const MAX_GROWTH = 5 * 2 ** 20;
const MAX_SLOPE = MAX_GROWTH / 1_000;
/** Readings of the heap, evenly spaced over SPAN interactions after the warm-up. */
const POINTS = 5;
/** Per kind of interaction: the warm-up and the span the slope is fitted over. */
const PLAN = {
  // A training step is an onnxruntime run (tens to hundreds of ms): fewer, and each one counts.
  step: { warmUp: 20, span: 80 },
  // Input events are cheap; the warm-up sends every value of the cycle at least once.
  input: { warmUp: 50, span: 200 },
} as const;

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
        // Woken by the attribute's change rather than polling, which would compete with the
        // step for the CPU.
        for (let i = 0; i < n; i++) {
          const before = root.getAttribute('data-steps');
          await new Promise<void>((resolve, reject) => {
            const done = () => {
              observer.disconnect();
              clearTimeout(timer);
              resolve();
            };
            const observer = new MutationObserver(() => {
              if (root.getAttribute('data-steps') !== before) done();
            });
            observer.observe(root, { attributes: true, attributeFilter: ['data-steps'] });
            const timer = setTimeout(() => {
              observer.disconnect();
              reject(new Error(`step ${i} never finished`));
            }, 10_000);
            step.click();
          });
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

/** Least-squares line through (x, y): slope, and the slope's standard error. */
function fit(xs: number[], ys: number[]): { slope: number; stderr: number } {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  xs.forEach((x, i) => {
    sxx += (x - mx) ** 2;
    sxy += (x - mx) * ((ys[i] ?? 0) - my);
  });
  const slope = sxy / sxx;
  const rss = xs.reduce((a, x, i) => a + ((ys[i] ?? 0) - my - slope * (x - mx)) ** 2, 0);
  return { slope, stderr: Math.sqrt(rss / Math.max(1, n - 2) / sxx) };
}

/** Wait until the figure is done with the interactions sent: live, nothing busy, page idle. */
async function quiet(page: Page, fig: Locator): Promise<void> {
  await expect(fig).toHaveAttribute('data-status', 'live');
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
  await idle(page);
}

for (const f of FIGURES) {
  test(`heap growth per interaction, as a slope: ${f.id}`, async ({ page, request }, testInfo) => {
    await assertServedBuild(request);
    await page.goto(f.embed);
    expect(await settle(page, f.id)).toEqual(['live']);
    const fig = instances(page, f.id).first();
    const training = (await fig.locator('button[data-action="step"]').count()) > 0;
    const { warmUp, span } = training ? PLAN.step : PLAN.input;

    // Warm up (first-use caches, JIT, a training run's first allocations), then measure.
    const kind = await drive(fig, warmUp, 0);
    expect(kind, 'a figure with nothing to operate').not.toBe('nothing');
    expect(kind === 'step', 'a Step button is driven by steps').toBe(training);
    const xs: number[] = [];
    const heaps: number[] = [];
    const t0 = Date.now();
    for (let k = 0; k < POINTS; k++) {
      const done = (k * span) / (POINTS - 1);
      if (k > 0) {
        const n = done - (xs[xs.length - 1] ?? 0);
        expect(await drive(fig, n, warmUp + done - n)).toBe(kind);
      }
      await quiet(page, fig);
      xs.push(done);
      heaps.push(await heapAfterGc(page));
    }
    const { slope, stderr } = fit(xs, heaps);
    const mb = (b: number) => (b / 2 ** 20).toFixed(2);
    testInfo.annotations.push({
      type: 'heap',
      description: `${span} × ${kind} after ${warmUp} to warm up, in ${((Date.now() - t0) / 1000).toFixed(1)} s; MB at ${xs.join(', ')}: ${heaps.map(mb).join(', ')}; slope ${(slope / 1000).toFixed(2)} ± ${(stderr / 1000).toFixed(2)} kB per interaction (bound ${(MAX_SLOPE / 1000).toFixed(2)})`,
    });
    expect(
      slope,
      `heap grew by ${(slope / 1000).toFixed(2)} kB per ${kind} (${heaps.map(mb).join(', ')} MB)`,
    ).toBeLessThanOrEqual(MAX_SLOPE);
  });
}
