import { test, expect } from './fixtures';

/** Smoke tests for the built site: pages, math, search, theme. Figures have their own specs. */

const CHAPTER = '/chapters/01-probability/';

test('home page renders with the book title and a way into the chapters', async ({ page }) => {
  const response = await page.goto('/');
  expect(response?.status()).toBe(200);
  await expect(page).toHaveTitle(/The Chain Rule, Twice/);
  await expect(page.locator('h1').first()).toBeVisible();
  await expect(page.locator(`a[href="${CHAPTER}"]`).first()).toBeAttached();
});

test('every page linked from the sidebar is served', async ({ page, request }) => {
  await page.goto('/');
  const hrefs = await page
    .locator('nav.sidebar a[href^="/"]')
    .evaluateAll((links) => [...new Set(links.map((a) => a.getAttribute('href') ?? ''))]);
  expect(hrefs).toContain(CHAPTER);
  for (const href of hrefs) {
    const response = await request.get(href);
    expect(response.status(), href).toBe(200);
  }
});

test('the probability chapter renders its math with KaTeX', async ({ page }) => {
  const response = await page.goto(CHAPTER);
  expect(response?.status()).toBe(200);
  const content = page.locator('main .sl-markdown-content');
  await expect(page.locator('main h1').first()).toBeVisible();

  const math = content.locator('.katex');
  expect(await math.count()).toBeGreaterThan(0);
  await expect(math.first()).toBeVisible();
  // KaTeX output, not source: MathML for screen readers plus the visual HTML tree,
  // no parse errors, and no TeX delimiters left in the text.
  await expect(content.locator('.katex .katex-mathml math').first()).toBeAttached();
  await expect(content.locator('.katex .katex-html').first()).toBeVisible();
  await expect(content.locator('.katex-error')).toHaveCount(0);
  const text = await content.innerText();
  expect(text).not.toContain('$$');
  expect(text).not.toMatch(/\\(frac|prod|sum|mid|dots)\b/);
  // The KaTeX stylesheet is applied (its fonts are served locally).
  const font = await math.first().evaluate((el) => getComputedStyle(el).fontFamily);
  expect(font).toContain('KaTeX_Main');
});

test('the Pagefind search index is built and search finds the chapter', async ({
  page,
  request,
}) => {
  const script = await request.get('/pagefind/pagefind.js');
  expect(script.status()).toBe(200);
  expect(script.headers()['content-type']).toMatch(/javascript/);

  await page.goto('/');
  await page.getByRole('button', { name: 'Search' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByRole('textbox', { name: 'Search' }).fill('chain rule');
  await expect(dialog.locator(`a[href^="${CHAPTER}"]`).first()).toBeVisible();
});

test('the theme selector switches between dark and light and persists', async ({ page }) => {
  await page.goto('/');
  const html = page.locator('html');
  const select = page.locator('starlight-theme-select select').filter({ visible: true });
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

  await select.selectOption('dark');
  await expect(html).toHaveAttribute('data-theme', 'dark');
  const dark = await background();

  await select.selectOption('light');
  await expect(html).toHaveAttribute('data-theme', 'light');
  const light = await background();
  expect(light).not.toBe(dark);

  await page.reload();
  await expect(html).toHaveAttribute('data-theme', 'light');
  await select.selectOption('dark');
  await page.reload();
  await expect(html).toHaveAttribute('data-theme', 'dark');
});

test('an unknown page gets the 404 page', async ({ page, guard }) => {
  // The browser logs the 404 document load as a console error; that one is expected.
  guard.allowError(/404/);
  const response = await page.goto('/no-such-page/');
  expect(response?.status()).toBe(404);
  await expect(page.locator('h1').first()).toBeVisible();
});
