import AxeBuilder from '@axe-core/playwright';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Frame, Page } from '@playwright/test';
import { scoreNameMeta } from '../../src/components/ch1/score-name/meta';
import { HEIGHT_MESSAGE, embedCode } from '../../src/components/ui/embed';
import { expect, test } from './fixtures';
import { FIGURES } from './stress/manifest';

/**
 * A figure embedded in another site. The host page is on one origin (http://localhost:<port of
 * its own>, served by a small server of this file's) and frames the book's embed page from
 * another (the server under test, http://127.0.0.1:<E2E_PORT>), in a sandbox without
 * allow-same-origin: the embed page has an opaque origin, so storage is blocked and it cannot
 * touch the host. The host page runs the code the chapter's Embed box copies, listener included.
 *
 * The host is a real server, not a page.route: Chromium treats a response the test fulfils as
 * coming from a public address and then blocks its iframe of a loopback server ("The connection
 * is blocked because it was initiated by a public page to connect to devices or servers on your
 * local network"), which is not what a real host on the same machine would see.
 */

/** Going live downloads and compiles onnxruntime-web (~14 MB of WASM): slow on a busy machine. */
const LIVE_TIMEOUT = 45_000;
test.describe.configure({ timeout: 180_000 });

/** The other site: host pages by path, served from localhost on a port of their own. */
const hostPages = new Map<string, string>();
let hostServer: Server | undefined;
let hostOrigin = '';

test.beforeAll(async () => {
  hostServer = createServer((req, res) => {
    const body = hostPages.get(new URL(req.url ?? '/', 'http://x').pathname);
    if (body === undefined) res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    else res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
  });
  await new Promise<void>((resolve) => hostServer?.listen(0, '127.0.0.1', resolve));
  hostOrigin = `http://localhost:${(hostServer.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise((resolve) => hostServer?.close(resolve));
});

function origins(baseURL: string | undefined): { book: string; host: string } {
  const book = new URL(baseURL ?? `http://127.0.0.1:${process.env['E2E_PORT'] ?? 4321}`).origin;
  expect(hostOrigin, 'the host page must be on another origin').not.toBe(book);
  return { book, host: hostOrigin };
}

/** Serves `body` as a page of another site, at <host>/<name>.html, and opens it. */
async function openHost(page: Page, host: string, body: string): Promise<void> {
  const html =
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A course page</title>' +
    '<link rel="icon" href="data:,">' +
    '</head><body style="margin:0;font:16px sans-serif"><h1>A course page on another site</h1>' +
    `${body}<p id="after">The lesson goes on.</p></body></html>`;
  const path = `/host-${hostPages.size}.html`;
  hostPages.set(path, html);
  await page.goto(`${host}${path}`);
}

/**
 * A sandboxed iframe without allow-same-origin has the opaque origin "null", so its module
 * scripts, model files and WebAssembly are fetched in CORS mode, and load only if the server
 * answers `Access-Control-Allow-Origin` (docs/HOSTING.md: what to configure for such embeds;
 * GitHub Pages, for one, sends `*`). `astro preview` allows only localhost origins; this adds the
 * header such a host sends, to exactly the requests from origin "null". The files themselves come
 * from the server under test.
 */
async function serveLikeAnOpenHost(page: Page, book: string): Promise<void> {
  await page.route(`${book}/**`, async (route) => {
    if ((await route.request().headerValue('origin')) !== 'null') return route.fallback();
    const response = await route.fetch();
    await route.fulfill({
      response,
      headers: { ...response.headers(), 'access-control-allow-origin': '*' },
    });
  });
}

/** The one iframe of the host page, as a frame. */
async function embedded(page: Page): Promise<Frame> {
  const handle = await page.locator('iframe').elementHandle();
  const frame = await handle?.contentFrame();
  if (!frame) throw new Error('the host page has no iframe with a document');
  return frame;
}

/** The embed page's own content height (what it reports), from inside the frame. */
function contentHeight(frame: Frame): Promise<number> {
  return frame.evaluate(() => Math.ceil(document.body.getBoundingClientRect().height));
}

/** The iframe's height in the host page. */
async function iframeHeight(page: Page): Promise<number> {
  return (await page.locator('iframe').boundingBox())?.height ?? NaN;
}

/** Nothing of the embed page is cut off by its iframe: the link back is inside its viewport. */
function fitsItsFrame(frame: Frame): Promise<{ backBottom: number; viewport: number }> {
  return frame.evaluate(() => {
    const back = document.querySelector('.embed__back a');
    return {
      backBottom: back ? back.getBoundingClientRect().bottom : Infinity,
      viewport: innerHeight,
    };
  });
}

test('copied from a chapter, sandboxed on another origin: fits its iframe, keeps its state in its URL', async ({
  page,
  baseURL,
}) => {
  const { book, host } = origins(baseURL);
  const entry = FIGURES.find((f) => f.id === 'score-name');
  expect(entry).toBeDefined();

  // 1. The code a teacher copies from chapter 1's figure 1.2, with the listener.
  await page.goto('/chapters/01-probability/');
  const fig = page.locator('[data-figure="score-name"]');
  await fig.scrollIntoViewIfNeeded();
  await fig.locator('.fig-embed summary').click();
  const textarea = fig.locator('.fig-embed__code');
  await expect(textarea).toHaveValue(/<\/script>$/);
  const code = await textarea.inputValue();
  expect(code).toMatch(
    new RegExp(
      `^<iframe src="${book}/embed/score-name/\\?text=emma" id="chain-rule-twice-score-name-\\w+" `,
    ),
  );
  expect(code).toContain(`height="${entry?.embedHeight}"`);
  expect(code).toContain(`e.origin !== "${book}"`);

  // 2. Pasted into another site's page, sandboxed (scripts, but an opaque origin), starting
  //    short so that growing is visible; the host also records the messages it gets.
  await serveLikeAnOpenHost(page, book);
  const pasted = code
    .replace('<iframe ', '<iframe sandbox="allow-scripts" ')
    .replace(/height="\d+"/, 'height="150"');
  await openHost(
    page,
    host,
    '<script>window.got = []; addEventListener("message", function (e) { window.got.push(e.data); });</script>' +
      pasted,
  );
  const frame = await embedded(page);
  const inner = frame.locator('[data-figure="score-name"]');
  await expect(inner).toHaveAttribute('data-status', 'live', { timeout: LIVE_TIMEOUT });

  // Opaque origin, storage blocked: the figure runs anyway.
  expect(
    await frame.evaluate(() => {
      let storage = 'open';
      try {
        void localStorage.length;
      } catch {
        storage = 'blocked';
      }
      return { origin: self.origin, storage };
    }),
  ).toEqual({ origin: 'null', storage: 'blocked' });

  // 3. Auto-height: the iframe grows from 150 px to the embed page's height, so the caption and
  //    the link back show without scrolling inside it.
  await expect
    .poll(async () => Math.abs((await iframeHeight(page)) - (await contentHeight(frame))))
    .toBeLessThanOrEqual(1);
  const before = await iframeHeight(page);
  expect(before).toBeGreaterThan(300);
  const fit = await fitsItsFrame(frame);
  expect(fit.backBottom).toBeLessThanOrEqual(fit.viewport);
  await expect(frame.locator('figcaption.fig-caption')).toHaveText(scoreNameMeta.caption);
  // What the host heard: our message, from this figure, with its height.
  const got = (await page.evaluate(() => (window as unknown as { got: unknown[] }).got)).filter(
    (m) => (m as { type?: unknown } | null)?.type === HEIGHT_MESSAGE,
  );
  expect(got.length).toBeGreaterThan(0);
  expect(got.at(-1)).toEqual({
    type: HEIGHT_MESSAGE,
    figure: 'score-name',
    height: await contentHeight(frame),
  });

  //    On a phone the same figure wraps, and is taller: the iframe follows; back on a wide
  //    screen it shrinks again.
  const wide = page.viewportSize() ?? { width: 1280, height: 720 };
  await page.setViewportSize({ width: 390, height: 800 });
  await expect
    .poll(async () => Math.abs((await iframeHeight(page)) - (await contentHeight(frame))))
    .toBeLessThanOrEqual(1);
  expect(await iframeHeight(page)).toBeGreaterThan(before);
  await page.setViewportSize(wide);
  await expect.poll(() => iframeHeight(page)).toBe(before);

  // 4. The reader changes the figure inside the iframe: a longer name (more rows) and one model.
  const historyBefore = await frame.evaluate(() => history.length);
  await inner.locator('input[type="text"]').fill('alexandrina');
  await expect(inner).toHaveAttribute('data-text', 'alexandrina');
  await inner.locator('select').first().selectOption('mlp');
  await expect(inner.locator('thead th[data-model]')).toHaveCount(1);
  //    The iframe follows its content...
  await expect
    .poll(async () => Math.abs((await iframeHeight(page)) - (await contentHeight(frame))))
    .toBeLessThanOrEqual(1);
  expect(await iframeHeight(page)).toBeGreaterThan(before);
  //    ...and the embed page's URL carries the new state (replaceState: no new history entry).
  await expect
    .poll(() => Object.fromEntries(new URL(frame.url()).searchParams))
    .toEqual({ text: 'alexandrina', model: 'mlp' });
  expect(frame.url().startsWith(`${book}/embed/score-name/?`)).toBe(true);
  expect(page.url().startsWith(`${host}/host-`)).toBe(true);
  expect(await frame.evaluate(() => history.length)).toBe(historyBefore);

  // 5. That URL, loaded again, is the same figure.
  const shared = frame.url();
  await page.goto(shared);
  const again = page.locator('[data-figure="score-name"]');
  await expect(again).toHaveAttribute('data-status', 'live', { timeout: LIVE_TIMEOUT });
  await expect(again).toHaveAttribute('data-text', 'alexandrina');
  await expect(again.locator('input[type="text"]')).toHaveValue('alexandrina');
  await expect(again.locator('select').first()).toHaveValue('mlp');
  await expect(again.locator('thead th[data-model]')).toHaveCount(1);
});

test('a malformed state in an embed URL falls back, and is not rewritten until the reader acts', async ({
  page,
}) => {
  await page.goto('/embed/score-name/?model=nonsense&ep=wasm&lesson=3');
  const fig = page.locator('[data-figure="score-name"]');
  await expect(fig).toHaveAttribute('data-status', 'live', { timeout: LIVE_TIMEOUT });
  await expect(fig).toHaveAttribute('data-text', 'emma');
  await page.waitForTimeout(600); // longer than the write-back's debounce
  expect(new URL(page.url()).search).toBe('?model=nonsense&ep=wasm&lesson=3');
  await fig.locator('input[type="text"]').fill('ada');
  // Only the figure's keys change; the others stay as they were.
  await expect.poll(() => new URL(page.url()).searchParams.get('text')).toBe('ada');
  const q = new URL(page.url()).searchParams;
  expect(q.get('ep')).toBe('wasm');
  expect(q.get('lesson')).toBe('3');
});

// Where the host allows no scripts (most LMS editors strip them), the copied iframe keeps its
// fixed height: at 900 px wide it must show the whole figure in its default state, caption and
// link back included, without a large empty band.
for (const f of FIGURES) {
  test(`fixed height without the listener: ${f.id}`, async ({ page, baseURL }) => {
    const { book, host } = origins(baseURL);
    await page.setViewportSize({ width: 900, height: f.embedHeight + 300 });
    await openHost(
      page,
      host,
      embedCode({ src: `${book}${f.embed}`, title: f.title, height: f.embedHeight }),
    );
    const frame = await embedded(page);
    const inner = frame.locator(`[data-figure="${f.id}"]`).first();
    await expect(inner).toHaveAttribute('data-status', 'live', { timeout: LIVE_TIMEOUT });
    expect(await iframeHeight(page)).toBe(f.embedHeight);
    // Measured once the figure has settled: its fonts in, and the status line past transient
    // notes (e.g. "checking whether WebGPU is faster"). Under load both can land after 'live'; a
    // figure that stays too tall still fails when the poll times out (it failed by 2 px once,
    // CI at load average 7, and passed 4 of 4 on the same build unloaded).
    await frame.evaluate(() => document.fonts.ready.then(() => undefined));
    await expect
      .poll(async () => (await fitsItsFrame(frame)).backBottom, {
        message: `${f.id}: the link back is inside the iframe`,
      })
      .toBeLessThanOrEqual(f.embedHeight);
    const fit = await fitsItsFrame(frame);
    expect(fit.viewport).toBe(f.embedHeight);
    expect(fit.viewport - (await contentHeight(frame)), 'empty band under the figure').toBeLessThan(
      160,
    );
  });
}

test('with no scripts at all (sandbox=""), the fixed height shows the build-time render whole', async ({
  page,
  baseURL,
  guard,
}) => {
  // The browser reports each script the sandbox stops, which is what this test is about.
  guard.allowError(/Blocked script execution in .* the 'allow-scripts' permission is not set/);
  const { book, host } = origins(baseURL);
  for (const f of FIGURES) {
    await page.setViewportSize({ width: 900, height: f.embedHeight + 300 });
    const code = embedCode({ src: `${book}${f.embed}`, title: f.title, height: f.embedHeight });
    await openHost(page, host, code.replace('<iframe ', '<iframe sandbox="" '));
    const frame = await embedded(page);
    await expect(frame.locator(`[data-figure="${f.id}"]`).first()).toHaveAttribute(
      'data-status',
      'static',
    );
    await expect(frame.locator('.embed__back a')).toBeAttached();
    // Measured once the frame's styles are in (until then the unstyled page is taller): polled,
    // since no script of the page can say so (waitForFunction cannot run in this frame).
    await expect
      .poll(async () => (await fitsItsFrame(frame)).backBottom, {
        message: `${f.id}: the link back is inside the iframe`,
      })
      .toBeLessThanOrEqual(f.embedHeight);
    expect((await fitsItsFrame(frame)).viewport, f.id).toBe(f.embedHeight);
  }
});

test('the Embed box options: a fixed height drops the script, a theme goes into the address', async ({
  page,
}) => {
  await page.goto('/chapters/02-nnlm/');
  const fig = page.locator('[data-figure="loss-curves"]');
  await fig.scrollIntoViewIfNeeded();
  await fig.locator('.fig-embed summary').click();
  const code = fig.locator('.fig-embed__code');
  await expect(code).toHaveValue(/<\/script>$/);
  // Open, the box stays inside the figure's bar, on a wide screen and on a phone.
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 800 });
    const bar = await fig.locator('.fig-bar').boundingBox();
    for (const part of ['.fig-embed__options', '.fig-embed__code', '.fig-embed__note']) {
      const box = await fig.locator(part).boundingBox();
      expect(
        (box?.x ?? 0) + (box?.width ?? Infinity),
        `${part} at ${width} px`,
      ).toBeLessThanOrEqual((bar?.x ?? 0) + (bar?.width ?? 0) + 1);
    }
  }
  await fig.locator('[data-embed-option="height"]').selectOption('fixed');
  await expect(code).toHaveValue(/^<iframe [^\n]*><\/iframe>$/);
  await fig.locator('[data-embed-option="theme"]').selectOption('dark');
  await expect(code).toHaveValue(/src="[^"]*\/embed\/loss-curves\/\?theme=dark"/);
  await fig.locator('[data-embed-option="lock"]').selectOption('lock');
  await expect(code).toHaveValue(/src="[^"]*\/embed\/loss-curves\/\?theme=dark&amp;lock=1"/);
  await fig.locator('[data-embed-option="lock"]').selectOption('free');
  // The open box passes axe's WCAG 2.2 AA rules (labels, contrast), as the rest of the book does.
  const { violations } = await new AxeBuilder({ page })
    .include('[data-figure="loss-curves"] .fig-embed')
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  expect(violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  const href = await fig.locator('[data-embed-link]').getAttribute('href');
  expect(href).toBe('/embed/loss-curves/?theme=dark');

  // The embed page in dark, though the reader's system is light; the figure still works.
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(href ?? '');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  const scheme = () =>
    page.evaluate(() => ({
      body: getComputedStyle(document.body).colorScheme,
      bg: getComputedStyle(document.body).backgroundColor,
    }));
  const dark = await scheme();
  expect(dark.body).toBe('dark');
  await expect(page.locator('[data-figure="loss-curves"]')).toHaveAttribute('data-status', 'live');
  // The same page without the parameter follows the (light) system.
  await page.goto('/embed/loss-curves/');
  const light = await scheme();
  expect(light.body).not.toBe('dark');
  expect(light.bg).not.toBe(dark.bg);
});

test('?lock=1: the figure shows the state in its address, live, and does not respond', async ({
  page,
}) => {
  await page.goto('/embed/score-name/?text=ada&lock=1');
  const fig = page.locator('[data-figure="score-name"]');
  await expect(fig).toHaveAttribute('data-status', 'live', { timeout: LIVE_TIMEOUT });
  await expect(fig).toHaveAttribute('data-text', 'ada');
  await expect(page.locator('.embed__locked')).toBeVisible();
  const input = fig.locator('input[type="text"]');
  expect(await input.evaluate((el) => el.closest('[inert]') !== null)).toBe(true);
  // Neither focus by script nor Tab reaches it; typing changes nothing.
  await input.evaluate((el) => (el as HTMLInputElement).focus());
  for (let i = 0; i < 5; i++) await page.keyboard.press('Tab');
  expect(await input.evaluate((el) => el === document.activeElement)).toBe(false);
  expect(await page.evaluate(() => document.activeElement?.closest('astro-island') ?? null)).toBe(
    null,
  );
  await page.keyboard.type('zzz');
  await page.mouse.click(10, 10);
  await page.waitForTimeout(600); // longer than the write-back's debounce
  await expect(fig).toHaveAttribute('data-text', 'ada');
  expect(new URL(page.url()).search).toBe('?text=ada&lock=1');
  // Without the parameter the same figure responds, and says nothing about being fixed.
  await page.goto('/embed/score-name/?text=ada');
  await expect(fig).toHaveAttribute('data-status', 'live', { timeout: LIVE_TIMEOUT });
  await expect(page.locator('.embed__locked')).toBeHidden();
  await fig.locator('input[type="text"]').fill('adam');
  await expect(fig).toHaveAttribute('data-text', 'adam');
});

test('oEmbed: a discovery link and a valid document when the build knows its address', async ({
  page,
  request,
}) => {
  await page.goto('/embed/score-name/');
  const link = page.locator('link[rel="alternate"][type="application/json+oembed"]');
  const site = await page.locator('link[rel="canonical"]').count();
  if (site === 0) {
    // Built without SITE: oEmbed needs absolute URLs, so there is neither (docs/HOSTING.md).
    await expect(link).toHaveCount(0);
    expect((await request.get('/oembed/score-name.json')).status()).toBe(404);
    return;
  }
  await expect(link).toHaveCount(1);
  const href = new URL((await link.getAttribute('href')) ?? '');
  expect(href.pathname).toBe('/oembed/score-name.json');
  expect(href.searchParams.get('url')).toBe(new URL('/embed/score-name/', href).href);
  const res = await request.get(href.pathname);
  expect(res.status()).toBe(200);
  const doc = (await res.json()) as Record<string, unknown>;
  expect(doc).toMatchObject({ type: 'rich', version: '1.0', provider_name: expect.any(String) });
  expect(doc['html']).toMatch(/^<iframe src="[^"]+\/embed\/score-name\/" /);
  expect(Number.isInteger(doc['width']) && Number.isInteger(doc['height'])).toBe(true);
  // Every figure has its document, at its registered height.
  for (const f of FIGURES) {
    const r = await request.get(`/oembed/${f.id}.json`);
    expect(r.status(), f.id).toBe(200);
    expect(await r.json(), f.id).toMatchObject({
      type: 'rich',
      version: '1.0',
      height: f.embedHeight,
      title: `Figure ${f.number}: ${f.title}`,
    });
  }
});
