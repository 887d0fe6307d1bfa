import { expect, test } from './fixtures';
import { expectReadsCleanly } from './reader';
import { CHAPTERS, FIGURES, OTHER_PAGES } from './stress/manifest';

/**
 * Every built page (home and the book's other pages, chapters, embed pages; the lists come from the
 * build: /figures.json and dist/)
 * at a phone width reads cleanly: the checks of tests/e2e/reader.ts. At a desktop width they run
 * in tests/e2e/pages.spec.ts, on the same page load as the page's other checks.
 */

const PAGES: readonly string[] = [
  ...OTHER_PAGES,
  ...CHAPTERS.map((c) => c.href),
  ...FIGURES.map((f) => f.embed),
];

test.describe('phone (390 px)', () => {
  test.use({ viewport: { width: 390, height: 844 } });
  for (const href of PAGES) {
    test(`${href} reads cleanly`, async ({ page }) => {
      const response = await page.goto(href, { waitUntil: 'load' });
      expect(response?.status(), href).toBe(200);
      await expectReadsCleanly(page, href);
    });
  }
});
