import type { Page } from '@playwright/test';
import { siteCspHeader } from '../../../scripts/csp-header';
import { expect, test } from '../fixtures';
import { expectNothingBusy, settle } from './figure';
import { assertServedBuild, CHAPTERS, DIST, FIGURES } from './manifest';

/**
 * The site under its own Content-Security-Policy, beyond what pages.spec.ts checks on every
 * page (the meta policy there, every figure live, no violation): Starlight's own scripts
 * (search, theme), and the same policy sent as an HTTP header (scripts/csp-header.ts,
 * docs/HOSTING.md) on a chapter and an embed page.
 */

test.describe.configure({ mode: 'parallel', timeout: 180_000 });

const PAGES = [
  { url: '/', figures: [] as string[] },
  ...CHAPTERS.map((c) => ({ url: c.href, figures: c.figures.map((f) => f.id) })),
  ...FIGURES.map((f) => ({ url: f.embed, figures: [f.id] })),
];

async function checkPage(page: Page, url: string, figures: string[]) {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content.Security.Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  await page.goto(url);
  const meta = page.locator('meta[http-equiv="content-security-policy"]');
  await expect(meta).toHaveAttribute('content', /script-src 'self' 'wasm-unsafe-eval'/);
  expect(await meta.getAttribute('content')).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  for (const id of figures) expect(await settle(page, id), id).not.toContain('error');
  await expectNothingBusy(page);
  expect(violations).toEqual([]);
}

test("Starlight's own scripts work under the CSP: search (Pagefind's WebAssembly), theme", async ({
  page,
  request,
}) => {
  await assertServedBuild(request);
  await page.goto('/');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('dialog').getByRole('textbox', { name: 'Search' }).fill('chain rule');
  await expect(page.getByRole('dialog').locator('a[href^="/chapters/"]').first()).toBeVisible();
  await page.keyboard.press('Escape');
  // The switch is a module script; restoring the choice on the next load is Starlight's inline
  // script in <head>, allowed only by its hash (src/integrations/csp-inline-hashes.ts).
  const html = page.locator('html');
  for (const theme of ['dark', 'light', 'dark'] as const) {
    await page
      .locator('starlight-theme-select select')
      .filter({ visible: true })
      .selectOption(theme);
    await expect(html).toHaveAttribute('data-theme', theme);
    await page.reload();
    await expect(html).toHaveAttribute('data-theme', theme);
  }
});

test('the same policy as an HTTP header (docs/HOSTING.md)', async ({ page, request }) => {
  await assertServedBuild(request);
  const header = siteCspHeader(DIST);
  expect(header).toMatch(/(^|; )script-src 'self' 'wasm-unsafe-eval' 'sha256-/);
  expect(header).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  await page.route('**/*', async (route) => {
    if (route.request().resourceType() !== 'document') return route.fallback();
    const res = await route.fetch();
    await route.fulfill({
      response: res,
      headers: { ...res.headers(), 'content-security-policy': header },
    });
  });
  for (const p of [PAGES[1], PAGES[PAGES.length - 1]]) {
    if (p) await checkPage(page, p.url, p.figures);
  }
});
