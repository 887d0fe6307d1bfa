import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { expectReadsCleanly } from './reader';
import { expectNothingBusy, settle } from './stress/figure';
import { assertServedBuild, CHAPTERS, FIGURES, OTHER_PAGES } from './stress/manifest';

/**
 * Every page of the book (home and the other pages found in the build, every chapter, every
 * embed page; generated from the build and the figure registry), loaded once at a desktop width
 * with its figures live, and checked for what a page owes every reader:
 * - its own Content-Security-Policy (astro.config.mjs security.csp: a meta tag with hashes,
 *   'wasm-unsafe-eval', no 'unsafe-inline' scripts, no other hosts) is there and nothing breaks
 *   it: no violation (the guard, tests/e2e/fixtures.ts, fails the test on any console error,
 *   CSP reports included);
 * - it reads cleanly (tests/e2e/reader.ts; the phone width is in reader.spec.ts);
 * - zero axe WCAG 2.2 AA violations, in light and in dark.
 * One load proves all three: they are properties of the same page with the same live figures.
 */

test.describe.configure({ mode: 'parallel', timeout: 180_000 });

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

const PAGES = [
  ...OTHER_PAGES.map((url) => ({ url, figures: [] as string[], starlight: true })),
  ...CHAPTERS.map((c) => ({ url: c.href, figures: c.figures.map((f) => f.id), starlight: true })),
  ...FIGURES.map((f) => ({ url: f.embed, figures: [f.id], starlight: false })),
];

async function axe(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  return violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes
        .slice(0, 5)
        .map((n) => `${n.target.join(' ')}: ${n.failureSummary?.split('\n')[1] ?? ''}`)
        .join('\n    ')}`,
  );
}

test.use({ viewport: { width: 1280, height: 900 } });

for (const p of PAGES) {
  test(`${p.url}: its CSP, reads cleanly, axe in light and dark`, async ({ page, request }) => {
    await assertServedBuild(request);
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content.Security.Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    await page.emulateMedia({ colorScheme: 'light' });
    const response = await page.goto(p.url);
    expect(response?.status(), p.url).toBe(200);

    await test.step('its own CSP, and every figure live under it', async () => {
      const meta = page.locator('meta[http-equiv="content-security-policy"]');
      await expect(meta).toHaveAttribute('content', /script-src 'self' 'wasm-unsafe-eval'/);
      expect(await meta.getAttribute('content')).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      for (const id of p.figures) expect(await settle(page, id), id).not.toContain('error');
      await expectNothingBusy(page);
      expect(violations).toEqual([]);
    });

    await test.step('reads cleanly at 1280 px', () => expectReadsCleanly(page, p.url));

    // Light first, then dark through the page's own switch (Starlight's theme select in the
    // book; the embed pages follow the system colour scheme).
    for (const theme of ['light', 'dark'] as const) {
      await test.step(`axe WCAG 2.2 AA, ${theme}`, async () => {
        if (theme === 'dark') {
          await page.emulateMedia({ colorScheme: 'dark' });
          if (p.starlight) {
            const select = page.locator('starlight-theme-select select').filter({ visible: true });
            await select.selectOption('dark');
          }
        }
        if (p.starlight) await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
        const report = await axe(page);
        expect(report, `${theme}:\n${report.join('\n')}`).toEqual([]);
      });
    }
  });
}
