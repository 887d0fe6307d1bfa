import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { GLOSSARY, introducedAt } from '../../src/content/glossary';
import { expect, test } from './fixtures';
import { expectReadsCleanly } from './reader';

/**
 * The glossary (src/content/glossary.ts, src/markdown/remark-glossary.mjs, book.css): a term
 * marked in a chapter shows its definition on hover and on keyboard focus, next to the term and
 * with the glossary's own words, and is a link to its entry on the Glossary page; Escape hides
 * the definition; on a phone the definition stays on screen and a tap follows the link. The
 * Glossary page lists every entry under its id, reads cleanly and has no axe WCAG 2.2 AA
 * violation in light or in dark.
 */

const CH1 = '/chapters/01-probability/';
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const byId = new Map(GLOSSARY.map((e) => [e.id, e]));
const expectedTip = (id: string) => `${byId.get(id)?.term}: ${byId.get(id)?.definition}`;

const term = (page: Page, id: string): Locator =>
  page.locator(`.gloss-term[href="/glossary/#${id}"]`).first();

/** The definition a term's link names with aria-describedby. */
async function tipOf(page: Page, link: Locator): Promise<Locator> {
  const id = await link.getAttribute('aria-describedby');
  expect(id, 'aria-describedby').toBeTruthy();
  return page.locator(`[id="${id}"]`);
}

/** The definition sits below its term's line, not over the term. */
async function expectBelow(link: Locator, tip: Locator): Promise<void> {
  const a = await link.boundingBox();
  const b = await tip.boundingBox();
  expect(a && b).toBeTruthy();
  expect(b!.y).toBeGreaterThanOrEqual(a!.y + a!.height - 1);
}

test.describe('desktop (1280 px)', () => {
  test.use({ viewport: { width: 1280, height: 900 } });

  test('hover shows the definition under the term; leaving or Escape hides it', async ({
    page,
  }) => {
    await page.goto(CH1);
    const link = term(page, 'perplexity');
    const tip = await tipOf(page, link);
    await expect(tip).toBeHidden();
    await link.scrollIntoViewIfNeeded();
    await link.hover();
    await expect(tip).toBeVisible();
    await expect(tip).toHaveText(expectedTip('perplexity'));
    await expect(tip).toHaveAttribute('role', 'tooltip');
    await expectBelow(link, tip);
    // The definition itself can be hovered (WCAG 1.4.13) ...
    await tip.hover();
    await expect(tip).toBeVisible();
    // ... and dismissed without moving the pointer.
    await page.keyboard.press('Escape');
    await expect(tip).toBeHidden();
    await page.mouse.move(5, 5);
    await expect(tip).toBeHidden();
    await link.hover();
    await expect(tip).toBeVisible();
    await page.mouse.move(5, 5);
    await expect(tip).toBeHidden();
  });

  test('Tab focus shows the definition; the link leads to the glossary entry', async ({ page }) => {
    await page.goto(CH1);
    // Tab from the top of the page to the first marked term (in the first paragraph).
    let onTerm = false;
    for (let k = 0; k < 120 && !onTerm; k++) {
      await page.keyboard.press('Tab');
      onTerm = await page.evaluate(
        () => document.activeElement?.classList.contains('gloss-term') ?? false,
      );
    }
    expect(onTerm, 'Tab reaches a marked term').toBe(true);
    const focused = page.locator('.gloss-term:focus');
    await expect(focused).toHaveAttribute('href', '/glossary/#language-model');
    const tip = await tipOf(page, focused);
    await expect(tip).toBeVisible();
    await expect(tip).toHaveText(expectedTip('language-model'));
    await expectBelow(focused, tip);
    // The next Tab moves on, and the definition goes with the focus.
    await page.keyboard.press('Tab');
    await expect(tip).toBeHidden();

    await page.keyboard.press('Shift+Tab');
    await expect(tip).toBeVisible();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/\/glossary\/#language-model$/);
    const entry = page.locator('#language-model');
    await expect(entry).toBeVisible();
    await expect(entry).toHaveText(byId.get('language-model')!.term);
    await expect(page.locator('#language-model + dd')).toContainText(
      byId.get('language-model')!.definition,
    );
  });

  test('the Glossary page: every entry, its anchor and section; axe in light and dark', async ({
    page,
    request,
  }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    const response = await page.goto('/glossary/');
    expect(response?.status()).toBe(200);
    await expect(page.locator('.glossary dt')).toHaveCount(GLOSSARY.length);
    for (const e of GLOSSARY) {
      await expect(page.locator(`dt[id="${e.id}"]`)).toHaveText(e.term);
      const dd = page.locator(`dt[id="${e.id}"] + dd`);
      await expect(dd).toContainText(e.definition);
      await expect(dd.locator('a')).toHaveAttribute('href', introducedAt(e));
    }
    // Each "Introduced in" link lands on a heading of its chapter.
    const pages = new Map<string, string>();
    for (const e of GLOSSARY) {
      const [href, anchor] = introducedAt(e).split('#') as [string, string | undefined];
      if (!pages.has(href)) pages.set(href, await (await request.get(href)).text());
      if (anchor) expect(pages.get(href), introducedAt(e)).toContain(`id="${anchor}"`);
    }
    await expect(page.locator('nav[aria-label="Main"] a[href="/glossary/"]')).toHaveAttribute(
      'aria-current',
      'page',
    );
    await expectReadsCleanly(page, '/glossary/');
    for (const theme of ['light', 'dark'] as const) {
      if (theme === 'dark') {
        await page.emulateMedia({ colorScheme: 'dark' });
        await page
          .locator('starlight-theme-select select')
          .filter({ visible: true })
          .selectOption('dark');
      }
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
      expect(
        violations.map((v) => `${v.id}: ${v.help}`),
        theme,
      ).toEqual([]);
    }
  });

  test('a chapter with its definitions showing: axe in light and dark', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(CH1);
    for (const theme of ['dark', 'light'] as const) {
      if (theme === 'light') {
        await page.emulateMedia({ colorScheme: 'light' });
        await page
          .locator('starlight-theme-select select')
          .filter({ visible: true })
          .selectOption('light');
      }
      const link = term(page, 'surprisal');
      await link.scrollIntoViewIfNeeded();
      await link.hover();
      await expect(await tipOf(page, link)).toBeVisible();
      const { violations } = await new AxeBuilder({ page })
        .include('.gloss')
        .withTags(TAGS)
        .analyze();
      expect(
        violations.map((v) => `${v.id}: ${v.help}`),
        theme,
      ).toEqual([]);
    }
  });
});

test.describe('phone (390 px)', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('every definition of chapters 1-5 stays on screen and off its term', async ({ page }) => {
    for (const chapter of [
      '01-probability',
      '02-nnlm',
      '03-backprop',
      '04-recurrent',
      '05-attention',
    ]) {
      await page.goto(`/chapters/${chapter}/`);
      await page.keyboard.press('Tab'); // focus from here on is keyboard focus
      const links = page.locator('.gloss-term');
      const n = await links.count();
      expect(n, chapter).toBeGreaterThan(10);
      for (let k = 0; k < n; k++) {
        const link = links.nth(k);
        await link.evaluate((a) => a.scrollIntoView({ block: 'center' }));
        await link.focus();
        const tip = await tipOf(page, link);
        await expect(tip).toBeVisible();
        const box = (await tip.boundingBox())!;
        const where = `${chapter}: ${await link.getAttribute('href')}`;
        expect(box.x, where).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width, where).toBeLessThanOrEqual(390);
        expect(box.y, where).toBeGreaterThanOrEqual(0);
        expect(box.y + box.height, where).toBeLessThanOrEqual(844);
        await expectBelow(link, tip);
      }
    }
  });
});

test.describe('touch (390 px)', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  test('a tap on a term goes to its glossary entry', async ({ page }) => {
    await page.goto(CH1);
    const link = term(page, 'perplexity');
    await link.scrollIntoViewIfNeeded();
    await link.tap();
    await expect(page).toHaveURL(/\/glossary\/#perplexity$/);
    await expect(page.locator('#perplexity')).toBeInViewport();
  });
});
