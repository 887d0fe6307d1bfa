import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import type { Download, Locator, Page } from '@playwright/test';
import { embedCode } from '../../src/components/ui/embed';
import { expect, test } from './fixtures';
import { assertServedBuild, FIGURES } from './stress/manifest';

/**
 * Exporting a figure (the figure bar's "Download SVG" / "Download PNG", src/components/ui/
 * export-dom.ts) and the "For teachers" page (src/components/teachers/Teachers.astro). The guard
 * (./fixtures.ts) fails a test on any console error, CSP violations included, and on any request
 * off the machine.
 */

const LIVE_TIMEOUT = 45_000;
test.describe.configure({ timeout: 180_000 });
test.use({ viewport: { width: 1280, height: 900 } });

const CHAPTER_1 = '/chapters/01-probability/';

async function save(page: Page, fig: Locator, ext: 'svg' | 'png'): Promise<Download> {
  const button = fig.getByRole('button', { name: `Download ${ext.toUpperCase()}` });
  await button.focus();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.keyboard.press('Enter'), // keyboard, as a reader without a mouse does it
  ]);
  return download;
}

async function fileText(d: Download): Promise<string> {
  return readFileSync(await d.path(), 'utf8');
}

/** The SVG parsed by the browser: no parser error, its text and title. */
async function parseSvg(page: Page, svg: string) {
  return page.evaluate((s) => {
    const doc = new DOMParser().parseFromString(s, 'image/svg+xml');
    return {
      error: doc.querySelector('parsererror')?.textContent ?? null,
      root: doc.documentElement.localName,
      title: doc.querySelector('title')?.textContent ?? '',
      text: doc.documentElement.textContent ?? '',
      foreign: doc.getElementsByTagName('foreignObject').length,
    };
  }, svg);
}

/** PNG signature, then the IHDR chunk's width and height (big-endian, bytes 16-23). */
function pngSize(buf: Buffer): { width: number; height: number } {
  expect([...buf.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

test('score-name, live: SVG and PNG of what the reader typed', async ({ page, request }) => {
  await assertServedBuild(request);
  await page.goto(CHAPTER_1);
  const fig = page.locator('[data-figure="score-name"]').first();
  await fig.scrollIntoViewIfNeeded();
  await expect(fig).toHaveAttribute('data-status', 'live', { timeout: LIVE_TIMEOUT });
  await fig.locator('input[type="text"]').fill('zoe');
  await expect(fig).toHaveAttribute('data-text', 'zoe');
  const shown = await fig.locator('td.score-table__cell [data-role="p"]').allTextContents();
  expect(shown.length).toBeGreaterThanOrEqual(3 * 4); // z, o, e and the end, per model

  const svgFile = await save(page, fig, 'svg');
  expect(svgFile.suggestedFilename()).toBe('figure-1-2-score-name.svg');
  const svg = await fileText(svgFile);
  const parsed = await parseSvg(page, svg);
  expect(parsed.error).toBeNull();
  expect(parsed.root).toBe('svg');
  expect(parsed.title).toBe('Figure 1.2. Scoring a name, one character at a time');
  expect(parsed.foreign).toBe(1);
  for (const p of shown) expect(parsed.text).toContain(p.trim());
  expect(parsed.text).toContain('Each row is one factor of the chain rule');
  // The address of the live figure, with its state.
  expect(parsed.text).toMatch(/Live version: http:\/\/[^ ]+\/embed\/score-name\/\?text=zoe/);
  // The bar itself is not in the picture.
  expect(svg).not.toContain('Download SVG');

  const pngFile = await save(page, fig, 'png');
  expect(pngFile.suggestedFilename()).toBe('figure-1-2-score-name.png');
  const png = readFileSync(await pngFile.path());
  const size = pngSize(png);
  const box = await page.locator('#fig-score-name').boundingBox();
  expect(box).not.toBeNull();
  // Twice the figure's width plus margins, and taller than the figure's body.
  expect(size.width).toBeGreaterThanOrEqual(2 * Math.floor(box?.width ?? 0) * 0.9);
  expect(size.width).toBeLessThanOrEqual(2 * Math.ceil(box?.width ?? 0) + 200);
  expect(size.height).toBeGreaterThan(400);
});

test('a figure still on its build-time render exports what it shows', async ({ page, request }) => {
  await assertServedBuild(request);
  // The model files never arrive: the figure stays on its build-time render.
  await page.route('**/*.onnx', () => undefined);
  await page.goto(CHAPTER_1);
  const fig = page.locator('[data-figure="score-name"]').first();
  await fig.scrollIntoViewIfNeeded();
  const button = fig.getByRole('button', { name: 'Download SVG' });
  await expect(button).toBeVisible();
  // The buttons are in the build-time HTML; they work once the island has hydrated.
  const island = page.locator('astro-island', { has: fig }).last();
  await expect(island).not.toHaveAttribute('ssr', /.*/, { timeout: LIVE_TIMEOUT });
  await expect(fig).not.toHaveAttribute('data-status', 'live');
  const shown = await fig.locator('td.score-table__cell [data-role="p"]').allTextContents();
  expect(shown.length).toBeGreaterThan(0);
  const svg = await fileText(await save(page, fig, 'svg'));
  const parsed = await parseSvg(page, svg);
  expect(parsed.error).toBeNull();
  for (const p of shown) expect(parsed.text).toContain(p.trim());
  await page.unrouteAll({ behavior: 'ignoreErrors' });
});

test('a table figure (bigram-table) exports as PNG in dark mode', async ({ page, request }) => {
  await assertServedBuild(request);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(CHAPTER_1);
  const fig = page.locator('[data-figure="bigram-table"]').first();
  await fig.scrollIntoViewIfNeeded();
  await expect(fig).toHaveAttribute('data-status', 'live', { timeout: LIVE_TIMEOUT });
  const svg = await fileText(await save(page, fig, 'svg'));
  const parsed = await parseSvg(page, svg);
  expect(parsed.error).toBeNull();
  expect(parsed.title).toContain('The bigram model is a table');
  const png = await save(page, fig, 'png');
  expect(png.suggestedFilename()).toBe('figure-1-1-bigram-table.png');
  const size = pngSize(readFileSync(await png.path()));
  expect(size.width).toBeGreaterThan(1000);
  expect(size.height).toBeGreaterThan(1000);
});

test('embed pages offer no export (their heights are fixed for the iframe)', async ({ page }) => {
  await page.goto('/embed/score-name/');
  await expect(page.locator('.fig-bar')).toBeVisible();
  await expect(page.getByRole('button', { name: /Download/ })).toHaveCount(0);
});

test('For teachers: every figure, its texts and embed code, axe in light and dark', async ({
  page,
  request,
}) => {
  await assertServedBuild(request);
  await page.goto('/teachers/');
  const origin = new URL(page.url()).origin;
  const sections = page.locator('[data-teach-figure]');
  await expect(sections).toHaveCount(FIGURES.length);
  for (const f of FIGURES) {
    const s = page.locator(`[data-teach-figure="${f.id}"]`);
    await expect(s.getByRole('heading', { level: 2 })).toHaveText(`Figure ${f.number}: ${f.title}`);
    await expect(s.locator('dd')).toHaveCount(3);
    await expect(s.getByRole('link', { name: f.chapter.title })).toHaveAttribute(
      'href',
      `${f.chapter.href}#fig-${f.id}`,
    );
    await s.scrollIntoViewIfNeeded();
    const code = s.getByRole('textbox', { name: 'Embed code' });
    // Once hydrated: the bar's code, absolute, with its own frame id and listener.
    await expect(code).toHaveValue(/^<iframe src="http/);
    const value = await code.inputValue();
    const frameId = /id="([^"]+)"/.exec(value)?.[1] ?? '';
    expect(frameId).toMatch(new RegExp(`^chain-rule-twice-${f.id}-`));
    const q = f.defaultQuery;
    expect(value).toBe(
      embedCode({
        src: `${origin}${f.embed}${q ? `?${q}` : ''}`,
        title: f.title,
        height: f.embedHeight,
        frameId,
        origin,
      }),
    );
  }

  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    const select = page.locator('starlight-theme-select select').filter({ visible: true });
    await select.selectOption(theme);
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    const { violations } = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
      .analyze();
    expect(
      violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
      theme,
    ).toEqual([]);
  }
});

test('the teachers page and the figure bar give the same code for a figure', async ({ page }) => {
  const norm = (s: string) => s.replace(/chain-rule-twice-score-name-[a-z0-9]+/g, 'FRAME');
  await page.goto('/teachers/');
  const teach = page.locator('[data-teach-figure="score-name"]').getByRole('textbox');
  await teach.scrollIntoViewIfNeeded();
  await expect(teach).toHaveValue(/^<iframe src="http/);
  const fromTeachers = norm(await teach.inputValue());

  await page.goto(CHAPTER_1);
  const fig = page.locator('[data-figure="score-name"]').first();
  await fig.scrollIntoViewIfNeeded();
  await fig.locator('.fig-embed summary').click();
  const bar = fig.getByRole('textbox', { name: 'Embed code' });
  await expect(bar).toHaveValue(/^<iframe src="http/);
  expect(norm(await bar.inputValue())).toBe(fromTeachers);
});
