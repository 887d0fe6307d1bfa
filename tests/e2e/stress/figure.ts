/**
 * Helpers for driving figures in a page, for every stress spec. A figure's island root carries
 * `data-figure="<id>"` and `data-status` (static | loading | live | error, from useLive or
 * usePageGraphs); the frame around it is `figure[data-figure-frame="<id>"]`.
 */
import type { Browser, Locator, Page } from '@playwright/test';
import { expect } from '../fixtures';

export type Settled = 'live' | 'error';

/** Every instance of a figure in the page (a chapter may show one twice). */
export function instances(page: Page, id: string): Locator {
  return page.locator(`[data-figure="${id}"]`);
}

/**
 * Scroll each instance into view (islands hydrate when visible) and wait until it is live or
 * has failed; returns what each became.
 */
export async function settle(page: Page, id: string, timeout = 45_000): Promise<Settled[]> {
  const all = instances(page, id);
  await expect(all.first()).toBeAttached();
  const out: Settled[] = [];
  for (let i = 0; i < (await all.count()); i++) {
    const fig = all.nth(i);
    await fig.scrollIntoViewIfNeeded();
    await expect(fig).toHaveAttribute('data-status', /^(live|error)$/, { timeout });
    out.push((await fig.getAttribute('data-status')) as Settled);
  }
  return out;
}

/** Nothing in the page says it is still working. */
export async function expectNothingBusy(page: Page): Promise<void> {
  await expect(page.locator('[data-status="loading"]')).toHaveCount(0);
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
}

/**
 * Wait until the page's main thread has been idle twice in a row (each at most `timeout` ms
 * apart): the work queued by the last input (renders, a model run's callbacks) has run. Used
 * instead of a fixed sleep, which is either too long or, on a loaded machine, too short.
 */
export async function idle(page: Page, timeout = 2_000): Promise<void> {
  await page.evaluate(async (timeout) => {
    for (let i = 0; i < 2; i++)
      await new Promise((r) => requestIdleCallback(() => r(null), { timeout }));
  }, timeout);
}

/** The figure's own content, without the status strip (which changes as it loads). */
export async function bodyText(fig: Locator): Promise<string> {
  return fig.evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    copy.querySelectorAll('.fig-bar').forEach((b) => b.remove());
    return (copy.textContent ?? '').replace(/\s+/g, ' ').trim();
  });
}

/** Text a figure must never show. */
export const BAD_NUMBERS = /\bNaN\b|\bInfinity\b|undefined/;

/**
 * The build-time render of every figure instance on a page, as text, read with JavaScript off
 * (so nothing has hydrated): what a failing figure must keep showing.
 */
export async function staticTexts(browser: Browser, url: string): Promise<Map<string, string[]>> {
  const context = await browser.newContext({ javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await page.goto(url);
    const out = new Map<string, string[]>();
    for (const fig of await page.locator('[data-figure]').all()) {
      const id = (await fig.getAttribute('data-figure')) ?? '';
      out.set(id, [...(out.get(id) ?? []), await bodyText(fig)]);
    }
    return out;
  } finally {
    await context.close();
  }
}

/**
 * One interaction that should make the figure recompute or redraw, whatever the figure: press
 * its step button, type into its text field, step a number field, move in a keyboard-driven
 * view (arrow key), or change a select. `n` varies the value. Returns what it did.
 */
export async function poke(fig: Locator, n: number): Promise<string> {
  const step = fig.locator('button[data-action="step"]:enabled');
  if (await step.count()) {
    await step.first().click();
    return 'step';
  }
  const text = fig.locator('.fig-controls input[type="text"]:enabled');
  if (await text.count()) {
    await text.first().fill(['ada', 'emma', 'zoë', 'olivia', 'q'][n % 5] ?? 'x');
    return 'typed';
  }
  const num = fig.locator('.fig-controls input[type="number"]:enabled');
  if (await num.count()) {
    const field = num.first();
    const max = Number((await field.getAttribute('max')) ?? 100);
    await field.fill(String((Number(await field.inputValue()) + 1 + n) % Math.min(max + 1, 50)));
    await field.press('Enter');
    return 'number';
  }
  const view = fig.locator('[tabindex="0"]:not(input, select, button, textarea)');
  if (await view.count()) {
    await view.first().focus();
    await view.first().press(n % 2 ? 'ArrowRight' : 'ArrowDown');
    return 'arrow';
  }
  const select = fig.locator('.fig-controls select:enabled');
  if (await select.count()) {
    const values = await select
      .first()
      .locator('option')
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    const now = await select.first().inputValue();
    await select.first().selectOption(values.find((v) => v !== now) ?? now);
    return 'select';
  }
  return 'nothing';
}
