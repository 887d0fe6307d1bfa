import { readdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { APIRequestContext, Locator, Page } from '@playwright/test';
import { nextWordMeta } from '../../src/components/ch2/meta';
import { fmtProb } from '../../src/components/ui/format';
import { loadCard, nodePredict } from '../../src/models/runtime/node';
import { scoreName } from '../../src/models/names/lm';
import { nextWords } from '../../src/models/words/lm';
import { Vocabulary } from '../../src/models/words/vocab';
import { expect, test } from './fixtures';

/**
 * The service worker (src/integrations/sw-worker.ts, registered by src/scripts/sw-register.ts):
 * after one visit the book works offline, a new build's worker deletes the old build's caches,
 * and a cached model whose bytes do not match its card is fetched again from the network.
 *
 * The other specs run with service workers blocked (playwright.config.ts): a worker answers
 * requests that page.route would otherwise see. These tests allow them.
 */
test.use({ serviceWorkers: 'allow' });
test.describe.configure({ timeout: 240_000 });

const LIVE_TIMEOUT = 60_000;
/** Installing a worker fetches the whole book (~28 MB) from the local server. */
const INSTALL_TIMEOUT = 120_000;
const PREFIX = 'chain-rule-';

interface Worker {
  build: string;
  urls: string[];
}

/** This build's id and precache list, as written into /sw.js. */
async function workerOf(request: APIRequestContext): Promise<Worker & { source: string }> {
  const source = await (await request.get('/sw.js')).text();
  const build = /^const __SW_BUILD__ = "(\w+)";$/m.exec(source)?.[1];
  const urls = /^const __SW_PRECACHE__ = (\[.*\]);$/m.exec(source)?.[1];
  if (!build || !urls) throw new Error('/sw.js has no build id or precache list');
  return { build, urls: JSON.parse(urls) as string[], source };
}

/**
 * Waits for an activated worker (registered after load, when idle; active once everything is
 * precached: the test's timeout bounds the wait), then returns the cache names and the
 * precache's paths.
 */
async function activated(page: Page, build: string) {
  return page.evaluate(
    async ({ build, prefix }) => {
      const reg = await navigator.serviceWorker.ready;
      const active = reg.active;
      if (!active) throw new Error('no active worker');
      if (active.state !== 'activated')
        await new Promise<void>((resolve) =>
          active.addEventListener('statechange', () => {
            if (active.state === 'activated') resolve();
          }),
        );
      const names = await caches.keys();
      const cache = await caches.open(`${prefix}precache-${build}`);
      const paths = (await cache.keys()).map((r) => new URL(r.url).pathname);
      return { names, paths };
    },
    { build, prefix: PREFIX },
  );
}

async function live(page: Page, id: string): Promise<Locator> {
  const fig = page.locator(`[data-figure="${id}"]`).first();
  await fig.scrollIntoViewIfNeeded();
  await expect(fig).toHaveAttribute('data-status', 'live', { timeout: LIVE_TIMEOUT });
  return fig;
}

/** The probabilities score-name draws for one model, as data-p. */
async function scores(fig: Locator, model: string): Promise<number[]> {
  return fig
    .locator(`td.score-table__cell[data-model="${model}"]`)
    .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-p'))));
}

async function expectScores(fig: Locator, model: string, text: string): Promise<void> {
  const want = (await scoreName(await nodePredict(model), text)).predictions.map((p) => p.p);
  await expect.poll(() => scores(fig, model)).toHaveLength(want.length);
  const got = await scores(fig, model);
  got.forEach((p, i) => expect(p).toBeCloseTo(want[i] ?? NaN, 5));
}

test('after one visit, unvisited chapters and embeds work offline, figures live', async ({
  page,
  context,
  guard,
}) => {
  const { build, urls } = await workerOf(page.request);
  // The whole book is precached except what only WebGPU readers fetch.
  for (const must of [
    '/',
    '/404.html',
    '/chapters/02-nnlm/',
    '/embed/score-name/',
    '/models/nnlm.onnx',
    '/models/nnlm.json',
  ])
    expect(urls).toContain(must);
  expect(urls.some((u) => /ort-wasm-simd-threaded\.[\w-]+\.wasm$/.test(u))).toBe(true);
  expect(urls.filter((u) => /asyncify|webgpu/.test(u))).toEqual([]);

  await page.goto('/chapters/01-probability/');
  await live(page, 'score-name');
  // Registered after load, when idle; active once everything is precached.
  const { names, paths } = await activated(page, build);
  expect(names).toContain(`${PREFIX}precache-${build}`);
  expect(paths.sort()).toEqual([...urls].sort());

  await context.setOffline(true);
  // Really offline, for the worker too: a file it never cached cannot be had.
  guard.allowError(/ERR_INTERNET_DISCONNECTED \(.*\/figures\.json/);
  expect(
    await page.evaluate(() =>
      fetch('/figures.json').then(
        (r) => r.status,
        () => 'failed',
      ),
    ),
  ).toBe('failed');

  // A chapter never visited: its page, its math, its figure live, typing redraws it.
  // From the worker, not the HTTP cache (which its install filled too).
  const chapter = await page.goto('/chapters/02-nnlm/');
  expect(chapter?.fromServiceWorker()).toBe(true);
  await expect(page.locator('h1')).toContainText('Words become vectors');
  await expect(page.locator('.sl-markdown-content .katex').first()).toBeVisible();
  const words = await live(page, 'next-word');
  const input = words.locator('input[type="text"]');
  const text = 'The United';
  expect(text).not.toBe(nextWordMeta.defaults.text);
  await input.fill(text);
  await expect(words).toHaveAttribute('data-text', text);
  const card = await loadCard('nnlm');
  const want = await nextWords(
    await nodePredict('nnlm'),
    new Vocabulary(card.vocabulary),
    text,
    Number(card.config['context']),
  );
  await expect
    .poll(() =>
      words.locator('.next-word__col[data-model="nnlm"] li').evaluateAll((els) =>
        els.map((e) => ({
          word: e.getAttribute('data-word') ?? '',
          p: e.querySelector('.next-word__p')?.textContent ?? '',
        })),
      ),
    )
    .toEqual(want.top.map((t) => ({ word: t.word, p: fmtProb(t.p) })));

  // An embed page never visited, with its state in the query string.
  const embed = await page.goto('/embed/score-name/?text=emma&model=mlp');
  expect(embed?.fromServiceWorker()).toBe(true);
  const fig = await live(page, 'score-name');
  await expectScores(fig, 'mlp', 'emma');
  await fig.locator('input[type="text"]').fill('olivia');
  await expect(fig).toHaveAttribute('data-text', 'olivia');
  await expectScores(fig, 'mlp', 'olivia');

  // A page that does not exist: the cached 404 page, with its status.
  guard.allowError(/status of 404 .*\/no-such-page\//);
  const res = await page.goto('/no-such-page/');
  expect(res?.status()).toBe(404);
  await expect(page.locator('h1')).toContainText('404');
});

/**
 * The book on an origin of its own (a fresh one: its own caches and workers), through a small
 * proxy of this file's to the server under test that can serve another /sw.js: the browser
 * fetches a worker's script itself, and neither page.route nor context.route sees that request.
 */
async function proxy(
  book: string,
): Promise<{ origin: string; sw: { body?: string }; close(): Promise<void> }> {
  const sw: { body?: string } = {};
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (sw.body !== undefined && new URL(path, 'http://x').pathname === '/sw.js') {
      res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-cache' });
      res.end(sw.body);
      return;
    }
    fetch(`${book}${path}`).then(
      async (r) => {
        const headers: Record<string, string> = {};
        r.headers.forEach((v, k) => {
          if (!/^(content-encoding|content-length|transfer-encoding|connection)$/.test(k))
            headers[k] = v;
        });
        res.writeHead(r.status, headers).end(Buffer.from(await r.arrayBuffer()));
      },
      () => res.writeHead(502).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sw,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

test("a new build's worker deletes the old build's caches", async ({ page, baseURL }) => {
  const { build, source } = await workerOf(page.request);
  const site = await proxy(new URL(baseURL ?? '').origin);
  try {
    await page.goto(`${site.origin}/glossary/`);
    await activated(page, build);
    await page.evaluate(
      async ({ build, prefix }) => {
        await (await caches.open(`${prefix}runtime-${build}`)).put('/x', new Response('x'));
        // Another application's cache on the same origin is not the worker's to delete.
        await (await caches.open('someone-else')).put('/y', new Response('y'));
      },
      { build, prefix: PREFIX },
    );

    // The next build: a byte-different sw.js with another build id.
    const next = 'feedc0ffee000001';
    const old = `const __SW_BUILD__ = "${build}";`;
    expect(source).toContain(old);
    site.sw.body = source.replace(old, `const __SW_BUILD__ = "${next}";`);
    // This page was never controlled (no clients.claim), so no page holds the old worker: the
    // new one activates as soon as its precache is complete.
    await page.evaluate(async () => (await navigator.serviceWorker.ready).update());
    await expect
      .poll(
        () =>
          page.evaluate(async () =>
            (await caches.keys()).filter((n) => n.startsWith('chain-rule-')),
          ),
        { timeout: INSTALL_TIMEOUT },
      )
      .toEqual([`${PREFIX}precache-${next}`]);
    expect(await page.evaluate(() => caches.keys())).toContain('someone-else');
    // And it is the worker now: a page it serves comes from its cache, offline.
    await page.context().setOffline(true);
    await page.goto(`${site.origin}/chapters/03-backprop/`);
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(
      `${site.origin}/sw.js`,
    );
    await expect(page.locator('h1')).toBeVisible();
  } finally {
    await site.close();
  }
});

test('a cached model that does not match its card is fetched again from the network', async ({
  page,
}) => {
  const { build } = await workerOf(page.request);
  await page.goto('/teachers/');
  await activated(page, build);
  // A stale or damaged copy in the worker's cache.
  const url = '/models/mlp.onnx';
  await page.evaluate(
    async ({ url, name }) => {
      await (await caches.open(name)).put(url, new Response('not the model'));
    },
    { url, name: `${PREFIX}precache-${build}` },
  );

  // The next page is controlled by the worker: its first fetch of the model gets the bad copy.
  await page.goto('/embed/score-name/?text=emma&model=mlp');
  expect(await page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
  const fig = await live(page, 'score-name');
  await expectScores(fig, 'mlp', 'emma');
  // The fresh copy replaced the bad one in the cache.
  const size = await page.evaluate(
    async ({ url, name }) => {
      const res = await (await caches.open(name)).match(url);
      return res ? (await res.arrayBuffer()).byteLength : 0;
    },
    { url, name: `${PREFIX}precache-${build}` },
  );
  expect(size).toBeGreaterThan(1000);
});

test("onnxruntime's WebGPU build is not precached, but kept once fetched", async ({
  page,
  context,
}) => {
  const { build, urls } = await workerOf(page.request);
  const dist = process.env['E2E_DIST'] ?? 'dist';
  const wasm = (await readdir(path.join(dist, '_astro'))).find((f) =>
    /^ort-wasm-simd-threaded\.asyncify\.[\w-]+\.wasm$/.test(f),
  );
  if (!wasm) throw new Error(`no WebGPU .wasm in ${dist}/_astro`);
  const url = `/_astro/${wasm}`;
  expect(urls).not.toContain(url);
  await page.goto('/glossary/');
  await activated(page, build);
  // Loaded again, the page is the worker's (the first load only registered it).
  await page.goto('/glossary/');
  expect(await page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
  const fetched = (url: string) =>
    page.evaluate(async (url) => (await (await fetch(url)).arrayBuffer()).byteLength, url);
  const size = await fetched(url);
  expect(size).toBeGreaterThan(1_000_000);
  const kept = await page.evaluate(
    async ({ url, name }) => !!(await (await caches.open(name)).match(url)),
    { url, name: `${PREFIX}runtime-${build}` },
  );
  expect(kept).toBe(true);
  await context.setOffline(true);
  expect(await fetched(url)).toBe(size);
});
