import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { bodyText, instances, settle } from './stress/figure';
import { assertServedBuild, FIGURES } from './stress/manifest';

/**
 * Accessibility of every figure, generated from the figure registry: usable from the keyboard
 * alone, with a text alternative for its pictures, and no motion under prefers-reduced-motion.
 * (Zero axe WCAG 2.2 AA violations on every page, light and dark, is in pages.spec.ts.)
 */

test.describe.configure({ mode: 'parallel', timeout: 180_000 });

/** What a keyboard user can reach in the figure, in tab order. */
const CONTROLS =
  'input:not([type="hidden"]):enabled, select:enabled, button:enabled, textarea, summary, [tabindex="0"]';

/**
 * Marks each tab stop of the figure with data-kbd-stop (a radio group is one stop: arrow keys
 * move inside it; so is a roving-tabindex group) and returns how many there are.
 */
async function markStops(fig: Locator): Promise<number> {
  return fig.evaluate((root, sel) => {
    const stops = new Set<string>();
    root.querySelectorAll(sel).forEach((el, i) => {
      // tabindex="-1": out of the tab order by definition (a roving-tabindex group, e.g. chapter
      // 5's token strip and head grid: one stop, arrow keys move inside it).
      if (el.getAttribute('tabindex') === '-1') return;
      const key =
        el instanceof HTMLInputElement && el.type === 'radio' ? `radio:${el.name}` : `${i}`;
      el.setAttribute('data-kbd-stop', key);
      stops.add(key);
    });
    return stops.size;
  }, CONTROLS);
}

/** Elements of the page with an animation or transition longer than 10 ms. */
async function moving(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('*')]
      .map((el) => {
        const s = getComputedStyle(el);
        const secs = (v: string) => Math.max(...v.split(',').map((x) => parseFloat(x) || 0));
        const anim = s.animationName !== 'none' ? secs(s.animationDuration) : 0;
        const t = Math.max(anim, secs(s.transitionDuration));
        return t > 0.01 ? `${el.tagName}.${String(el.className)}: ${t} s` : '';
      })
      .filter((x) => x),
  );
}

// One page load per figure for the three checks, under prefers-reduced-motion (which the
// keyboard and text checks do not depend on).
for (const f of FIGURES) {
  test(`reduced motion, text alternative, keyboard alone: ${f.id}`, async ({ page, request }) => {
    await assertServedBuild(request);
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(f.embed);
    expect(await settle(page, f.id)).toEqual(['live']);
    const fig = instances(page, f.id).first();

    await test.step('reduced motion: nothing animates or runs by itself', async () => {
      expect(await moving(page)).toEqual([]);
      // A training figure waits for "Train"; nothing else ticks either.
      const steps = await fig.getAttribute('data-steps');
      const text = await bodyText(fig);
      await page.waitForTimeout(1500);
      expect(await fig.getAttribute('data-steps')).toBe(steps);
      expect(await fig.getAttribute('data-playing')).not.toBe('1');
      expect(await bodyText(fig)).toBe(text);
    });

    await test.step('text alternative', async () => {
      // Every picture is either named (role=img + label) or hidden from assistive technology.
      const unnamed = await fig.locator('svg, canvas').evaluateAll((els) =>
        els
          .filter((el) => !el.closest('[aria-hidden="true"]'))
          .filter((el) => !el.parentElement?.closest('svg'))
          .filter((el) => !(el.getAttribute('role') === 'img' && el.getAttribute('aria-label')))
          .map((el) => el.outerHTML.slice(0, 120)),
      );
      expect(unnamed).toEqual([]);
      // Where there is a picture, its numbers are also text: a table (possibly visually
      // hidden, ui/DataTable.tsx) with figures in its cells, or, for the word map, the numbered
      // list of nearest words with their cosines (a scatter's positions are not numbers it
      // shows).
      const pictures = await fig.locator('svg[role="img"], canvas[role="img"]').count();
      if (pictures > 0) {
        const numeric = fig.locator('table:has(td), ol').filter({ hasText: /\d/ });
        expect(await numeric.count(), 'a table of the numbers').toBeGreaterThan(0);
      }
    });

    await test.step('keyboard alone', async () => {
      const stops = await markStops(fig);
      expect(stops, 'a figure with nothing to operate').toBeGreaterThan(0);
      // Tab from the top of the page reaches every control of the figure.
      const reached = new Set<string>();
      for (let i = 0; i < stops * 3 + 20 && reached.size < stops; i++) {
        await page.keyboard.press('Tab');
        const key = await page.evaluate(
          () => document.activeElement?.getAttribute('data-kbd-stop') ?? null,
        );
        if (key !== null) reached.add(key);
      }
      expect(reached.size, `controls reached by Tab in ${f.id}`).toBe(stops);
      // Operating the figure's main control with keys only changes what it shows.
      const before = await bodyText(fig);
      await keyboardPoke(page, f.id);
      await expect.poll(() => bodyText(fig), { timeout: 30_000 }).not.toBe(before);
    });
  });
}

/** Focus the figure's main control with Tab and operate it with keys (the order of poke()). */
async function keyboardPoke(page: Page, id: string): Promise<void> {
  const fig = instances(page, id).first();
  // The same order of preference as poke(): step button, text, number, keyboard view, select.
  const choices = [
    'button[data-action="step"]:enabled',
    '.fig-controls input[type="text"]',
    '.fig-controls input[type="number"]',
    '[tabindex="0"]:not(input, select, button, textarea)',
    '.fig-controls select',
  ];
  let target = fig.locator(choices[choices.length - 1] ?? 'select').first();
  for (const c of choices) {
    if (await fig.locator(c).count()) {
      target = fig.locator(c).first();
      break;
    }
  }
  for (let i = 0; i < 60; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) break;
    await page.keyboard.press('Tab');
  }
  const kind = await target.evaluate((el) =>
    el instanceof HTMLInputElement ? el.type : el.tagName.toLowerCase(),
  );
  if (kind === 'button') await page.keyboard.press('Enter');
  else if (kind === 'text') await page.keyboard.type('zoe', { delay: 20 });
  else if (kind === 'number') await page.keyboard.press('ArrowUp');
  else if (kind === 'select') {
    // A closed select steps with the arrow keys (Chromium on Linux): away from the end it is at.
    const last = await target.evaluate((el) => {
      const s = el as HTMLSelectElement;
      return s.selectedIndex === s.options.length - 1;
    });
    await page.keyboard.press(last ? 'ArrowUp' : 'ArrowDown');
  } else await page.keyboard.press('ArrowRight');
}
