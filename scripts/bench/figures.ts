/**
 * Every registered figure (the build's /figures.json), on its chapter page and its embed page:
 *   cold      fresh browser context (empty cache) per load: navigation -> first contentful
 *             paint, -> the figure's build-time render on screen, -> hydrated, -> live;
 *   bytes     what the first cold load fetched, by kind (html, css, js, wasm, model, data,
 *             font, image, other), split at the figure's activation: before it is on screen, while it
 *             goes live, after; raw, gzip (node:zlib over the file in dist/: the bench server
 *             does not compress) and as transferred;
 *   keys      figures with a text input: keystroke -> redraw (commit and frame) on the embed
 *             page, and every model call the page made meanwhile (`ort:infer:<model>:<ep>`);
 *   embeddings: time to the first projection drawn (t-SNE: build-time; PCA: in the page).
 * Timing definitions: scripts/bench/page/probe.ts. Nothing is asserted.
 */
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { BENCH_TEXT as HEADS_TEXT } from '../../src/components/ch5/heads/meta';
import { bundleForPage } from './bundle';
import { fileSizes } from './pagejs';
import type { ProbeState } from './page/probe';
import { summarize, type Summary } from './stats';

export interface ManifestFigure {
  id: string;
  title: string;
  chapter: { href: string; title: string };
  models: { id: string; sha256: string }[];
  runtime: 'onnxruntime' | 'page';
  defaultQuery: string;
  embed: string;
}

const KINDS = ['html', 'css', 'js', 'wasm', 'model', 'data', 'font', 'image', 'other'] as const;
type Kind = (typeof KINDS)[number];
const PHASES = ['beforeActivation', 'activation', 'afterLive'] as const;
type Phase = (typeof PHASES)[number];

export interface Bytes {
  files: number;
  raw: number;
  gzip: number;
  transferred: number;
}

export type BytesByKind = Partial<Record<Kind, Bytes>> & { total: Bytes };

interface ResourceRow {
  url: string;
  start: number;
  transfer: number;
  body: number;
  navigation: boolean;
}

interface LoadResult {
  probe: ProbeState;
  resources: ResourceRow[];
  error?: string;
}

export interface ColdPage {
  url: string;
  runs: number;
  failures: string[];
  firstContentfulPaintMs: Summary | null;
  figureVisibleMs: Summary | null;
  hydratedMs: Summary | null;
  liveMs: Summary | null;
  liveFrameMs: Summary | null;
  /** Of the first counted load. */
  bytes: Record<Phase, BytesByKind> & { all: BytesByKind };
}

export interface KeysResult {
  url: string;
  keystrokes: number;
  /** How "redrawn" is detected for this figure (see probe.ts). */
  redrawnWhen: string;
  missed: number;
  keystrokeToCommitMs: Summary | null;
  keystrokeToFrameMs: Summary | null;
  /** Per model call while typing, by `<model>:<ep>`. */
  inferenceMs: Record<string, Summary | null>;
  status: string;
}

export interface FigureResult {
  id: string;
  title: string;
  chapter: string;
  runtime: 'onnxruntime' | 'page';
  models: string[];
  /** Absent when the figure failed (see error). */
  cold?: { chapter: ColdPage; embed: ColdPage };
  keys?: KeysResult;
  keysError?: string;
  error?: string;
}

function kindOf(url: URL, navigation: boolean): Kind {
  const ext = path.extname(url.pathname).toLowerCase();
  if (navigation || ext === '.html' || url.pathname.endsWith('/')) return 'html';
  if (ext === '.css') return 'css';
  if (ext === '.js' || ext === '.mjs') return 'js';
  if (ext === '.wasm') return 'wasm';
  if (ext === '.onnx') return 'model';
  if (['.woff', '.woff2', '.ttf', '.otf'].includes(ext)) return 'font';
  if (['.json', '.bin', '.txt', '.csv'].includes(ext)) return 'data';
  if (['.svg', '.png', '.jpg', '.webp', '.ico', '.avif'].includes(ext)) return 'image';
  return 'other';
}

const zero = (): Bytes => ({ files: 0, raw: 0, gzip: 0, transferred: 0 });

function byKind(dist: string, origin: string, rows: ResourceRow[]): BytesByKind {
  const out: BytesByKind = { total: zero() };
  for (const r of rows) {
    const url = new URL(r.url);
    const kind = kindOf(url, r.navigation);
    let sizes = { raw: r.body, gzip: NaN };
    if (url.origin === origin) {
      const rel = decodeURIComponent(url.pathname);
      const file = path.join(dist, rel.endsWith('/') ? `${rel}index.html` : rel);
      try {
        sizes = fileSizes(file);
      } catch {
        // Not a file of the build (a 404): count what came over the wire.
      }
    }
    for (const b of [(out[kind] ??= zero()), out.total]) {
      b.files += 1;
      b.raw += sizes.raw;
      b.gzip += sizes.gzip;
      b.transferred += r.transfer;
    }
  }
  return out;
}

let probeScript: string | undefined;

async function probedContext(browser: Browser, figure: string): Promise<BrowserContext> {
  probeScript ??= bundleForPage('probe.ts');
  // No service worker: its 28 MB precache, installed once a figure is live, would load the
  // machine during the keystroke timings. scripts/bench/startup.ts measures visits with it.
  const context = await browser.newContext({
    viewport: { width: 1200, height: 900 },
    serviceWorkers: 'block',
  });
  await context.addInitScript({
    content: `globalThis.__benchFigureId = ${JSON.stringify(figure)};\n${probeScript}`,
  });
  return context;
}

const readProbe = (page: Page) => page.evaluate(() => globalThis.__bench as ProbeState);

/** One cold load: navigate, wait until the figure is live (or failed), read the probe. */
async function coldLoad(browser: Browser, figure: string, url: string): Promise<LoadResult> {
  const context = await probedContext(browser, figure);
  const page = await context.newPage();
  try {
    await page.goto(url, { waitUntil: 'commit' });
    let error: string | undefined;
    try {
      await page.waitForFunction(
        () => {
          const b = globalThis.__bench;
          return b?.liveFrame !== undefined || b?.statuses.at(-1)?.status === 'error';
        },
        undefined,
        { timeout: 120_000, polling: 100 },
      );
    } catch (e) {
      error = e instanceof Error ? e.message.split('\n')[0] : String(e);
    }
    // Let late requests (idle-time work after going live) land in "afterLive".
    await page.waitForTimeout(1000);
    const probe = await readProbe(page);
    if (!error && probe.live === undefined) error = `status ${probe.statuses.at(-1)?.status}`;
    const resources = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as
        PerformanceNavigationTiming | undefined;
      const rows = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map(
        (r) => ({
          url: r.name,
          start: r.startTime,
          transfer: r.transferSize,
          body: r.encodedBodySize,
          navigation: false,
        }),
      );
      if (nav)
        rows.unshift({
          url: nav.name,
          start: 0,
          transfer: nav.transferSize,
          body: nav.encodedBodySize,
          navigation: true,
        });
      return rows;
    });
    return error ? { probe, resources, error } : { probe, resources };
  } finally {
    await context.close();
  }
}

async function coldPage(
  browser: Browser,
  dist: string,
  origin: string,
  figure: string,
  url: string,
  runs: number,
): Promise<ColdPage> {
  const loads: LoadResult[] = [];
  for (let i = 0; i < runs; i++) loads.push(await coldLoad(browser, figure, `${origin}${url}`));
  const ok = loads.filter((l) => !l.error);
  const pick = (k: keyof ProbeState) =>
    summarize(ok.map((l) => l.probe[k]).filter((v): v is number => typeof v === 'number'));
  const first = loads[0];
  const phases = {} as Record<Phase, BytesByKind>;
  for (const p of PHASES) phases[p] = { total: zero() };
  let all: BytesByKind = { total: zero() };
  if (first) {
    const visible = first.probe.figureVisible ?? Infinity;
    const live = first.probe.liveFrame ?? Infinity;
    const phaseOf = (r: ResourceRow): Phase =>
      r.start < visible ? 'beforeActivation' : r.start <= live ? 'activation' : 'afterLive';
    for (const p of PHASES)
      phases[p] = byKind(
        dist,
        origin,
        first.resources.filter((r) => phaseOf(r) === p),
      );
    all = byKind(dist, origin, first.resources);
  }
  return {
    url,
    runs,
    failures: loads.flatMap((l) => (l.error ? [l.error] : [])),
    firstContentfulPaintMs: pick('firstContentfulPaint'),
    figureVisibleMs: pick('figureVisible'),
    hydratedMs: pick('hydrated'),
    liveMs: pick('live'),
    liveFrameMs: pick('liveFrame'),
    bytes: { ...phases, all },
  };
}

/** Keys that retype the input's default text and erase it again, `n` in all. */
function keySequence(text: string, n: number): string[] {
  const word = [...(text.trim() || 'the')];
  const out: string[] = [];
  while (out.length < n) {
    out.push(...word);
    for (let i = 0; i < word.length; i++) out.push('Backspace');
  }
  return out.slice(0, n);
}

const WARMUP_KEYS = 10;

/**
 * Figures timed on a longer text than their default: the input is filled with `prefix` (not
 * timed), then `word` is typed after it and erased, key by key. The heads figure's target is
 * stated for a full context (64 tokens: the text is longer, so every keystroke's text is cut
 * to its last window, and every key but a space changes the last token and runs the model).
 */
export const KEY_TEXTS: Record<string, { prefix: string; word: string }> = {
  heads: { prefix: `${HEADS_TEXT} `, word: 'people' },
};

async function keystrokes(
  browser: Browser,
  origin: string,
  fig: ManifestFigure,
  n: number,
): Promise<KeysResult | undefined> {
  const query = fig.runtime === 'onnxruntime' ? '?ep=wasm' : '';
  const url = `${fig.embed}${query}`;
  const context = await probedContext(browser, fig.id);
  const page = await context.newPage();
  try {
    await page.goto(`${origin}${url}`);
    const el = page.locator(`[data-figure="${fig.id}"]`);
    await page
      .locator(`[data-figure="${fig.id}"][data-status="live"]`)
      .waitFor({ timeout: 120_000 });
    const input = el.locator('input[type="text"]:not([readonly])').first();
    if ((await input.count()) === 0) return undefined;
    const status = (
      (await el
        .locator('.fig-status')
        .first()
        .textContent({ timeout: 1000 })
        .catch(() => '')) ?? ''
    ).trim();
    const dataText = (await el.getAttribute('data-text')) !== null;
    const initial = await input.inputValue();
    await input.focus();
    await page.keyboard.press('End');
    const long = KEY_TEXTS[fig.id];
    const keys = keySequence(long ? long.word : initial, n + WARMUP_KEYS);
    if (long) {
      // Start from the long text (not timed), the caret at its end.
      await input.fill(long.prefix);
      await page.keyboard.press('End');
    } else {
      // Start from an empty input: erase the default text first (not timed).
      for (let i = 0; i < [...initial].length; i++) await page.keyboard.press('Backspace');
    }
    await page.waitForTimeout(300);
    const base = (await readProbe(page)).keys.length;
    await page.evaluate(() => performance.clearMeasures());
    let missed = 0;
    for (const [i, key] of keys.entries()) {
      if (i === WARMUP_KEYS) await page.evaluate(() => performance.clearMeasures());
      if (key === 'Backspace') await page.keyboard.press(key);
      else await page.keyboard.type(key);
      try {
        await page.waitForFunction(
          (want) => globalThis.__bench?.keys[want]?.frame !== undefined,
          base + i,
          { timeout: 5000, polling: 'raf' },
        );
      } catch {
        missed += 1;
      }
    }
    const probe = await readProbe(page);
    const timed = probe.keys.slice(base + WARMUP_KEYS);
    const measures = await page.evaluate(() =>
      performance
        .getEntriesByType('measure')
        .filter((m) => m.name.startsWith('ort:infer:'))
        .map((m) => ({ name: m.name.slice('ort:infer:'.length), ms: m.duration })),
    );
    const inference: Record<string, number[]> = {};
    for (const m of measures) (inference[m.name] ??= []).push(m.ms);
    return {
      url,
      keystrokes: timed.length,
      redrawnWhen: dataText
        ? "data-text on the figure equals the input's new value"
        : "the figure's subtree first changes after the input event",
      missed,
      keystrokeToCommitMs: summarize(timed.map((k) => (k.commit ?? NaN) - k.start)),
      keystrokeToFrameMs: summarize(timed.map((k) => (k.frame ?? NaN) - k.start)),
      inferenceMs: Object.fromEntries(Object.entries(inference).map(([k, v]) => [k, summarize(v)])),
      status,
    };
  } finally {
    await context.close();
  }
}

export interface ProjectionResult {
  /** t-SNE is computed at build time (src/components/ch2/embed-explorer/Embeddings.astro). */
  tsne: { computedAt: 'build'; firstDrawnMs: Summary | null };
  /** PCA is computed in the page (src/components/ch2/projection.ts, pca2). */
  pca: {
    computedAt: 'page';
    coldToDrawnMs: Summary | null;
    switchToCommitMs: Summary | null;
    switchToFrameMs: Summary | null;
  };
}

/** Chapter 2's embedding explorer: time to the first projection drawn, both layouts. */
export async function projections(
  browser: Browser,
  origin: string,
  fig: ManifestFigure,
  runs: number,
): Promise<ProjectionResult> {
  const tsne: number[] = [];
  const pcaCold: number[] = [];
  const switchCommit: number[] = [];
  const switchFrame: number[] = [];
  for (let i = 0; i < runs; i++) {
    // Cold, projection=pca in the URL: the build-time HTML shows t-SNE (its first projection
    // drawn), the island reads the URL and computes PCA.
    const q = new URLSearchParams(fig.defaultQuery);
    q.set('projection', 'pca');
    const context = await probedContext(browser, fig.id);
    const page = await context.newPage();
    try {
      await page.goto(`${origin}${fig.embed}?${q}`, { waitUntil: 'commit' });
      await page.waitForFunction(
        () => globalThis.__bench?.attrs.some((a) => a.value === 'pca' && a.frame !== undefined),
        undefined,
        { timeout: 60_000, polling: 100 },
      );
      const p = await readProbe(page);
      tsne.push(p.figureVisible ?? NaN);
      pcaCold.push(p.attrs.find((a) => a.value === 'pca')?.frame ?? NaN);
    } finally {
      await context.close();
    }
    // Warm: a live figure on t-SNE switched to PCA with its select.
    const c2 = await probedContext(browser, fig.id);
    const p2 = await c2.newPage();
    try {
      await p2.goto(`${origin}${fig.embed}`);
      await p2.locator(`[data-figure="${fig.id}"][data-status="live"]`).waitFor();
      const t0 = await p2.evaluate((id) => {
        const select = document.querySelector(`[data-figure="${id}"] select`);
        if (!(select instanceof HTMLSelectElement)) return NaN;
        const t = performance.now();
        select.value = 'pca';
        select.dispatchEvent(new Event('change', { bubbles: true }));
        return t;
      }, fig.id);
      await p2.waitForFunction(
        () => globalThis.__bench?.attrs.some((a) => a.value === 'pca' && a.frame !== undefined),
        undefined,
        { timeout: 60_000, polling: 'raf' },
      );
      const a = (await readProbe(p2)).attrs.find((x) => x.value === 'pca');
      switchCommit.push((a?.t ?? NaN) - t0);
      switchFrame.push((a?.frame ?? NaN) - t0);
    } finally {
      await c2.close();
    }
  }
  return {
    tsne: { computedAt: 'build', firstDrawnMs: summarize(tsne) },
    pca: {
      computedAt: 'page',
      coldToDrawnMs: summarize(pcaCold),
      switchToCommitMs: summarize(switchCommit),
      switchToFrameMs: summarize(switchFrame),
    },
  };
}

export async function figureBench(
  browser: Browser,
  opts: {
    dist: string;
    origin: string;
    figures: ManifestFigure[];
    coldRuns: number;
    keystrokes: number;
    log: (m: string) => void;
  },
): Promise<FigureResult[]> {
  const { dist, origin, log } = opts;
  const out: FigureResult[] = [];
  // One untimed load first, so the OS file cache holds the .wasm and scripts.
  const first = opts.figures[0];
  if (first) await coldLoad(browser, first.id, `${origin}${first.embed}`);
  for (const fig of opts.figures) {
    const base = {
      id: fig.id,
      title: fig.title,
      chapter: fig.chapter.href,
      runtime: fig.runtime,
      models: fig.models.map((m) => m.id),
    };
    try {
      log(`${fig.id}: cold x ${opts.coldRuns}, chapter page and embed page`);
      const chapter = await coldPage(
        browser,
        dist,
        origin,
        fig.id,
        `${fig.chapter.href}#fig-${fig.id}`,
        opts.coldRuns,
      );
      const embed = await coldPage(browser, dist, origin, fig.id, fig.embed, opts.coldRuns);
      const result: FigureResult = { ...base, cold: { chapter, embed } };
      try {
        const keys = await keystrokes(browser, origin, fig, opts.keystrokes);
        if (keys) {
          log(`${fig.id}: ${keys.keystrokes} keystrokes`);
          result.keys = keys;
        }
      } catch (e) {
        // Keep the cold numbers; say why the keystrokes are missing.
        result.keysError = e instanceof Error ? e.message : String(e);
        log(`${fig.id}: keystrokes failed: ${result.keysError}`);
      }
      out.push(result);
    } catch (e) {
      log(`${fig.id}: failed: ${e instanceof Error ? e.message : String(e)}`);
      out.push({ ...base, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return out;
}
