import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { BAD_NUMBERS, expectNothingBusy, idle, instances, settle } from './figure';
import {
  bigPaste,
  edgeCases,
  hostile,
  ODD_NUMBERS,
  prng,
  RANGES,
  typable,
  WHITESPACE,
} from './fuzz';
import { assertServedBuild, DIST, FIGURES } from './manifest';

/**
 * Hostile input into every text field of every figure (embed pages, from the registry): every
 * class of hostile input (fuzz.ts `edgeCases`: empty, whitespace, each awkward Unicode range
 * short and 2,000 characters long, odd number spellings and magnitudes) both while the model is
 * still loading and once live, plus SAMPLE seeded random strings (`hostile`: the same classes
 * mixed at random), delivered as real `input`/`change` events in batches inside the page (the
 * component's own handlers run); three 100 kB pastes; a sample typed with real key presses.
 * Then: no uncaught exception or console error (the guard), no NaN/Infinity in the figure (read
 * after each field's barrage), nothing left busy, no input whose handlers ran over 200 ms, and,
 * when the machine is not overloaded (load average below the CPU count), no long task over
 * 200 ms at all while input arrived (the long tasks are always reported).
 *
 * The spec used to send 1,000 random strings per field. What those proved is that each class of
 * input is handled (a random draw reaches every class after a few dozen strings), that nothing
 * accumulates (the memory spec measures that, as a slope) and that no single input is slow
 * (the slowest of them is timed again, alone). The classes are now sent exhaustively, to every
 * field, in both states, so no class is left to chance; the random sample keeps the
 * combinations (classes mixed in one string, one input after another) coming from a seed, and
 * its size is what a failing run would replay. The first test checks that `edgeCases` does
 * cover every class `hostile` draws from.
 */

test.describe.configure({ mode: 'parallel', timeout: 240_000 });

const SEED = 20_251_124;
/** Seeded random strings per field, on top of the exhaustive edge cases. */
const SAMPLE = 200;
const BATCH = 4;
const LONG_TASK_MS = 200;
const FIELDS =
  '.fig-controls input[type="text"], .fig-controls input[type="number"], .fig-controls input[type="search"], .fig-controls textarea:not([readonly])';

/** Collect long tasks from the start of the page. */
const WATCH_LONG_TASKS = `(() => {
  globalThis.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) globalThis.__longTasks.push({ start: e.startTime, ms: e.duration });
  }).observe({ type: 'longtask', buffered: true });
})();`;

/**
 * Deliver `values` to the field as input (and every 7th, change) events, BATCH per task.
 * Returns the longest time the figure's handlers took for one input (synchronously), in ms.
 * On a loaded machine a handler can be descheduled mid-way, so the slowest input is timed
 * again, alone, five times, and the best of those counts: a really slow handler stays slow.
 */
async function deliver(field: Locator, values: string[]): Promise<number> {
  return field.evaluate(
    async (el, { values, batch }) => {
      const input = el as HTMLInputElement;
      const send = (value: string, change: boolean): number => {
        // Not timed: setting the value is the browser's own work (a number field sanitises a
        // 100 kB string for hundreds of ms, before any of the figure's code runs).
        input.value = value;
        const t0 = performance.now();
        input.dispatchEvent(
          new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste', data: value }),
        );
        if (change) input.dispatchEvent(new Event('change', { bubbles: true }));
        return performance.now() - t0;
      };
      const tick = () => new Promise((r) => setTimeout(r, 0));
      let worst = 0;
      let worstAt = 0;
      for (let i = 0; i < values.length; i++) {
        const ms = send(values[i] ?? '', i % 7 === 6);
        if (ms > worst) [worst, worstAt] = [ms, i];
        if (i % batch === batch - 1) await tick();
      }
      let again = Infinity;
      for (let k = 0; k < 5; k++) {
        await new Promise((r) => setTimeout(r, 20));
        send('', true);
        await new Promise((r) => setTimeout(r, 20));
        again = Math.min(again, send(values[worstAt] ?? '', true));
      }
      return Math.min(worst, again);
    },
    { values, batch: BATCH },
  );
}

async function longTasksSince(page: Page, t0: number): Promise<number[]> {
  return page.evaluate(
    (t) =>
      (
        (globalThis as unknown as { __longTasks: { start: number; ms: number }[] }).__longTasks ??
        []
      )
        .filter((e) => e.start >= t)
        .map((e) => Math.round(e.ms)),
    t0,
  );
}

/** Text and number fields in the build-time render of each embed page (what the tests fill). */
function builtFields(f: (typeof FIGURES)[number]): number {
  const html = readFileSync(path.join(DIST, f.embed, 'index.html'), 'utf8');
  const inputs = html.match(/<input\b[^>]*\btype="(?:text|number|search)"[^>]*>/g) ?? [];
  return inputs.length + (html.match(/<textarea\b(?![^>]*\breadonly)/g) ?? []).length;
}

test('every class of hostile input is among the edge cases every field receives', () => {
  const codes = (x: string) => [...x].map((c) => c.codePointAt(0) ?? -1);
  const units = (x: string) => Array.from({ length: x.length }, (_, i) => x.charCodeAt(i));
  for (const numeric of [false, true]) {
    const cases = edgeCases(numeric);
    expect(cases, 'the empty string').toContain('');
    for (const w of WHITESPACE) {
      expect(cases, `${JSON.stringify(w)} alone`).toContain(w);
      expect(cases, `${JSON.stringify(w)} repeated`).toContain(w.repeat(20));
    }
    for (const [lo, hi] of RANGES) {
      // Lone surrogates are UTF-16 code units; everything else is read as code points.
      const read = lo >= 0xd800 && hi <= 0xdfff ? units : codes;
      const within = cases.filter((c) => c && read(c).every((x) => x >= lo && x <= hi));
      const name = `U+${lo.toString(16)}..U+${hi.toString(16)}`;
      expect(within.length, `${name}: short and long strings`).toBeGreaterThanOrEqual(2);
      expect(Math.max(...within.map((c) => c.length)), name).toBeGreaterThanOrEqual(2000);
      const all = within.flatMap(read);
      expect(all, `${name}: its first character`).toContain(lo);
      expect(all, `${name}: its last character`).toContain(hi);
    }
    if (numeric) {
      for (const n of ODD_NUMBERS) expect(cases, `odd number ${JSON.stringify(n)}`).toContain(n);
      for (let e = 0; e < 12; e++) {
        for (const sign of [1, -1]) {
          const hit = cases.some((c) => {
            const v = Number(c);
            return Math.sign(v) === sign && Math.floor(Math.log10(Math.abs(v))) === e - 1;
          });
          expect(hit, `a number of magnitude ${sign < 0 ? '-' : ''}10^${e}`).toBe(true);
        }
      }
    }
  }
});

for (const f of FIGURES) {
  test(`fuzz ${f.id}`, async ({ page, request }, testInfo) => {
    test.skip(builtFields(f) === 0, 'no text field in this figure');
    await assertServedBuild(request);
    await page.addInitScript(WATCH_LONG_TASKS);
    const r = prng(SEED + f.id.length * 7919 + f.id.charCodeAt(0));
    await page.goto(f.embed);
    const fig = instances(page, f.id).first();
    await expect(fig).toBeAttached();
    const fields = fig.locator(FIELDS);
    const count = await fields.count();
    expect(count, 'the fields of the build-time render').toBe(builtFields(f));

    // While the model is still loading: every edge case and a tenth of the random sample.
    const early = Math.floor(SAMPLE / 10);
    let total = 0;
    for (let i = 0; i < count; i++) {
      const numeric = (await fields.nth(i).getAttribute('type')) === 'number';
      const values = [
        ...edgeCases(numeric),
        ...Array.from({ length: early }, () => hostile(r, numeric)),
      ];
      await deliver(fields.nth(i), values);
      total += values.length;
    }
    expect(await settle(page, f.id)).toEqual(['live']);

    // Live: every edge case again and the rest of the sample, with long tasks watched.
    const t0 = await page.evaluate(() => performance.now());
    let worstHandler = 0;
    for (let i = 0; i < count; i++) {
      const field = fields.nth(i);
      const numeric = (await field.getAttribute('type')) === 'number';
      const values = [
        ...edgeCases(numeric),
        ...Array.from({ length: SAMPLE - early - 3 }, () => hostile(r, numeric)),
      ];
      for (let k = 0; k < 3; k++) values.splice(Math.floor(r() * values.length), 0, bigPaste(r));
      worstHandler = Math.max(worstHandler, await deliver(field, values));
      total += values.length;
      // What the figure shows after each field's barrage (the DOM is read only here).
      expect(await fig.innerText(), `after fuzzing field ${i}`).not.toMatch(BAD_NUMBERS);
      // A sample with real key presses.
      await field.fill('');
      await field.focus();
      for (let k = 0; k < 5; k++) await page.keyboard.type(typable(r), { delay: 0 });
    }
    await expect(fig).toHaveAttribute('data-status', 'live');
    // Let the last input be drawn, then check what the figure shows.
    await idle(page);
    await expectNothingBusy(page);
    expect(await fig.innerText()).not.toMatch(BAD_NUMBERS);
    const long = await longTasksSince(page, t0);
    const load = os.loadavg()[0] ?? 0;
    testInfo.annotations.push({
      type: 'fuzz',
      description: `${total} inputs into ${count} field(s); slowest handler ${worstHandler.toFixed(1)} ms; long tasks while live (ms): ${JSON.stringify(long)}; load average ${load.toFixed(1)} on ${os.cpus().length} CPUs`,
    });
    // The figure's own input handling never blocks for long...
    expect(worstHandler, 'slowest input handler (ms)').toBeLessThanOrEqual(LONG_TASK_MS);
    // ...and neither does anything else while input arrives, on a machine that is not
    // overloaded (on a busy one, any task can be starved past 200 ms: reported above).
    if (load < os.cpus().length) {
      expect(Math.max(0, ...long), `long tasks (ms): ${long.join(', ')}`).toBeLessThanOrEqual(
        LONG_TASK_MS,
      );
    }
  });
}
