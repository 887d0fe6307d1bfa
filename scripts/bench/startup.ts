/**
 * Start-up of every chapter page and every embed page (issue 14's table): navigation -> the
 * page's first figure live, with where the time goes, for four kinds of visit:
 *
 *   cold     a fresh browser context (empty HTTP cache, no service worker), N loads;
 *   warm     the same context, a second visit once the first has finished (HTTP cache, and the
 *            service worker with its precache if the build registers one);
 *   offline  the same context, network off, the page visited again (only a service worker can
 *            serve it);
 *   slow4g   a fresh context on a throttled network (THROTTLE_4G: Chrome DevTools' "Fast 4G"),
 *            chapter pages and a few embeds only (each load takes seconds).
 *
 * "A reader who scrolls to the first figure at once": chapter pages are opened at the anchor of
 * their first figure (`#fig-<id>`); "first live" is that figure's `data-status="live"` (the
 * status contract of src/components/ui/useFigure.ts). Times are ms from navigation start in the
 * page's own clock. The breakdown reads the performance marks of RuntimeStart.astro
 * (`ort:boot:*`) and runtime/web.ts (`ort:session:*`, `ort:run:*`) and the .wasm's Resource
 * Timing:
 *   fetch    the .wasm's request start -> its last byte;
 *   compile  its last byte -> compiled (streaming compilation overlaps the download; this is what
 *            is left after it);
 *   init     compiled -> ORT initialised (the warm-up session of runtime/warmup.ts: ORT's own
 *            start-up, on the main thread);
 *   session  the figure's first model session, start -> end (the last one if it has several);
 *   firstRun the figure's first inference(s);
 *   hydrated the figure asked for the runtime (its island ran).
 * Bytes: transferSize of everything that finished before the figure was live (the server
 * gzips, as a host would).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ManifestFigure } from './figures';
import { summarize, type Summary } from './stats';

/** Chrome DevTools' "Fast 4G" preset (throughput in bytes per second, latency in ms). */
export const THROTTLE_4G = {
  name: 'Fast 4G (DevTools preset): 9 Mbit/s down, 1.5 Mbit/s up, 60 ms latency',
  latency: 60,
  downloadThroughput: (9 * 1024 * 1024) / 8,
  uploadThroughput: (1.5 * 1024 * 1024) / 8,
};

interface Load {
  live: number;
  pageLoad: number;
  bytes: number;
  fetch: number;
  compile: number;
  init: number;
  session: number;
  firstRun: number;
  hydrated: number;
  error?: string;
}

export interface PageStartup {
  page: string;
  kind: 'chapter' | 'embed';
  figure: string;
  cold: {
    runs: number;
    failures: string[];
    firstLiveMs: Summary | null;
    pageLoadMs: Summary | null;
    bytesBeforeLive: Summary | null;
    breakdownMs: Record<
      'fetch' | 'compile' | 'init' | 'session' | 'firstRun' | 'hydrated',
      Summary | null
    >;
  };
  warm: { firstLiveMs: number | null; bytesBeforeLive: number | null; serviceWorker: boolean };
  offline: { firstLiveMs: number | null; error?: string };
  slow4g?: { firstLiveMs: Summary | null; bytesBeforeLive: Summary | null; failures: string[] };
}

/** Collects the moment the figure goes live, in the page clock, before any page script runs. */
const probe = (figure: string) => `
(() => {
  const sel = '[data-figure="${figure}"]';
  const look = () => {
    const el = document.querySelector(sel);
    if (!el) return false;
    const check = () => {
      if (el.getAttribute('data-status') === 'live') globalThis.__startupLive ??= performance.now();
      if (el.getAttribute('data-status') === 'error') globalThis.__startupError ??= el.textContent;
    };
    check();
    new MutationObserver(check).observe(el, { attributes: true, attributeFilter: ['data-status'] });
    return true;
  };
  if (!look()) {
    const mo = new MutationObserver(() => { if (look()) mo.disconnect(); });
    mo.observe(document, { childList: true, subtree: true });
  }
})();`;

async function measure(page: Page, url: string, timeout: number): Promise<Load> {
  await page.goto(url, { waitUntil: 'commit', timeout });
  let error: string | undefined;
  try {
    await page.waitForFunction(
      () =>
        (globalThis as { __startupLive?: number }).__startupLive !== undefined ||
        (globalThis as { __startupError?: string }).__startupError !== undefined,
      undefined,
      { timeout, polling: 50 },
    );
  } catch (e) {
    error = e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e);
  }
  const r = await page.evaluate(() => {
    const g = globalThis as { __startupLive?: number; __startupError?: string };
    const marks: Record<string, number> = {};
    for (const m of performance.getEntriesByType('mark')) marks[m.name] ??= m.startTime;
    const res = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    const nav = performance.getEntriesByType('navigation')[0] as
      PerformanceNavigationTiming | undefined;
    const live = g.__startupLive ?? NaN;
    const wasm = res.find((x) => /ort-wasm-simd-threaded\.[\w-]+\.wasm$/.test(x.name));
    const before = res.filter((x) => x.responseEnd <= live);
    return {
      live,
      error: g.__startupError,
      pageLoad: nav?.loadEventEnd || NaN,
      bytes: (nav?.transferSize ?? 0) + before.reduce((s, x) => s + x.transferSize, 0),
      marks,
      wasm: wasm ? { start: wasm.startTime, end: wasm.responseEnd } : null,
    };
  });
  const m = (k: string) => r.marks[k] ?? NaN;
  const pick = (re: RegExp, edge: 'start' | 'end', f: (...xs: number[]) => number) => {
    const xs = Object.entries(r.marks)
      .filter(([k]) => re.test(k) && k.endsWith(`:${edge}`))
      .map(([, v]) => v);
    return xs.length ? f(...xs) : NaN;
  };
  const compiled = m('ort:boot:compiled');
  return {
    live: r.live,
    pageLoad: r.pageLoad,
    bytes: r.bytes,
    fetch: r.wasm ? r.wasm.end - r.wasm.start : NaN,
    compile: r.wasm ? compiled - r.wasm.end : NaN,
    init: m('ort:boot:end') - compiled,
    session:
      pick(/^ort:session:.*:wasm:/, 'end', Math.max) -
      pick(/^ort:session:.*:wasm:/, 'start', Math.min),
    firstRun:
      pick(/^ort:run:.*:wasm:/, 'end', Math.max) - pick(/^ort:run:.*:wasm:/, 'start', Math.min),
    hydrated: m('ort:import:wasm:start'),
    ...(error || r.error ? { error: error ?? `figure error: ${r.error ?? ''}` } : {}),
  };
}

async function fresh(browser: Browser, figure: string): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  await context.addInitScript({ content: probe(figure) });
  return context;
}

/**
 * After a first visit: wait until the page's service worker (if the build has one) is active and
 * has the .wasm in a cache, so the next visit can be served by it. False when there is none.
 */
async function serviceWorkerReady(page: Page): Promise<boolean> {
  return page.evaluate(async () => {
    if (!('serviceWorker' in navigator)) return false;
    const reg = await navigator.serviceWorker.getRegistration();
    const deadline = performance.now() + 60_000;
    let active = reg?.active ?? null;
    while (!active && performance.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      active = (await navigator.serviceWorker.getRegistration())?.active ?? null;
    }
    if (!active) return false;
    while (performance.now() < deadline) {
      for (const name of await caches.keys()) {
        const keys = await (await caches.open(name)).keys();
        if (keys.some((k) => /ort-wasm-simd-threaded\.[\w-]+\.wasm$/.test(k.url))) return true;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    return false;
  });
}

export interface StartupOptions {
  origin: string;
  figures: ManifestFigure[];
  runs: number;
  /** Embed pages also loaded on the throttled network (chapters always are). */
  slowEmbeds: string[];
  /** Chapter pages only (no embed pages). */
  chaptersOnly?: boolean;
  log: (msg: string) => void;
}

export async function startupBench(browser: Browser, o: StartupOptions): Promise<PageStartup[]> {
  const chapters = new Map<string, ManifestFigure>();
  for (const f of o.figures) if (!chapters.has(f.chapter.href)) chapters.set(f.chapter.href, f);
  const targets = [
    ...[...chapters].map(([href, f]) => ({
      page: href,
      kind: 'chapter' as const,
      figure: f.id,
      url: `${href}#fig-${f.id}`,
    })),
    ...(o.chaptersOnly ? [] : o.figures).map((f) => ({
      page: f.embed,
      kind: 'embed' as const,
      figure: f.id,
      url: f.embed,
    })),
  ];
  const out: PageStartup[] = [];
  for (const t of targets) {
    o.log(`startup ${t.page}: cold x ${o.runs}, warm, offline`);
    const loads: Load[] = [];
    let warm: PageStartup['warm'] = {
      firstLiveMs: null,
      bytesBeforeLive: null,
      serviceWorker: false,
    };
    let offline: PageStartup['offline'] = { firstLiveMs: null };
    for (let i = 0; i < o.runs; i++) {
      const context = await fresh(browser, t.figure);
      try {
        const page = await context.newPage();
        loads.push(await measure(page, `${o.origin}${t.url}`, 60_000));
        if (i === 0) {
          // The second visit and the offline one, in the context of the first.
          const sw = await serviceWorkerReady(page);
          await page.close();
          const again = await measure(await context.newPage(), `${o.origin}${t.url}`, 60_000);
          warm = {
            firstLiveMs: again.error ? null : Math.round(again.live),
            bytesBeforeLive: again.bytes,
            serviceWorker: sw,
          };
          await context.setOffline(true);
          const off = await measure(await context.newPage(), `${o.origin}${t.url}`, 20_000).catch(
            (e: unknown) => ({ error: e instanceof Error ? e.message.split('\n')[0] : String(e) }),
          );
          offline =
            'live' in off && !off.error
              ? { firstLiveMs: Math.round(off.live) }
              : { firstLiveMs: null, error: off.error ?? 'not live' };
        }
      } finally {
        await context.close();
      }
    }
    const ok = loads.filter((l) => !l.error);
    const s = (k: keyof Omit<Load, 'error'>) => summarize(ok.map((l) => l[k]));
    const result: PageStartup = {
      page: t.page,
      kind: t.kind,
      figure: t.figure,
      cold: {
        runs: o.runs,
        failures: loads.flatMap((l) => (l.error ? [l.error] : [])),
        firstLiveMs: s('live'),
        pageLoadMs: s('pageLoad'),
        bytesBeforeLive: s('bytes'),
        breakdownMs: {
          fetch: s('fetch'),
          compile: s('compile'),
          init: s('init'),
          session: s('session'),
          firstRun: s('firstRun'),
          hydrated: s('hydrated'),
        },
      },
      warm,
      offline,
    };
    if (t.kind === 'chapter' || o.slowEmbeds.includes(t.figure)) {
      o.log(`startup ${t.page}: ${THROTTLE_4G.name}`);
      const slow: Load[] = [];
      for (let i = 0; i < Math.min(o.runs, 2); i++) {
        const context = await fresh(browser, t.figure);
        try {
          const page = await context.newPage();
          const cdp = await context.newCDPSession(page);
          await cdp.send('Network.enable');
          await cdp.send('Network.emulateNetworkConditions', {
            offline: false,
            latency: THROTTLE_4G.latency,
            downloadThroughput: THROTTLE_4G.downloadThroughput,
            uploadThroughput: THROTTLE_4G.uploadThroughput,
          });
          slow.push(await measure(page, `${o.origin}${t.url}`, 120_000));
        } finally {
          await context.close();
        }
      }
      const okSlow = slow.filter((l) => !l.error);
      result.slow4g = {
        firstLiveMs: summarize(okSlow.map((l) => l.live)),
        bytesBeforeLive: summarize(okSlow.map((l) => l.bytes)),
        failures: slow.flatMap((l) => (l.error ? [l.error] : [])),
      };
    }
    out.push(result);
  }
  return out;
}

/** The table of the issue, one row per page, for the bench's human summary. */
export function startupTable(rows: PageStartup[], targetColdMs: number, targetWarmMs: number) {
  const ms = (x: number | null | undefined) => (x == null ? '-' : `${Math.round(x)}`);
  const mb = (b: number | null | undefined) => (b == null ? '-' : `${(b / 1e6).toFixed(2)}`);
  const lines = [
    `start-up (ms from navigation to the first figure live, medians; targets: cold <= ${targetColdMs}, warm <= ${targetWarmMs})`,
    'page                          cold  load  MB-before | fetch compile init session run hydrated |  warm  offline | 4G',
  ];
  for (const r of rows) {
    const b = r.cold.breakdownMs;
    lines.push(
      [
        r.page.padEnd(28),
        ms(r.cold.firstLiveMs?.median).padStart(5),
        ms(r.cold.pageLoadMs?.median).padStart(5),
        mb(r.cold.bytesBeforeLive?.median).padStart(10),
        '|',
        ms(b.fetch?.median).padStart(5),
        ms(b.compile?.median).padStart(7),
        ms(b.init?.median).padStart(4),
        ms(b.session?.median).padStart(7),
        ms(b.firstRun?.median).padStart(3),
        ms(b.hydrated?.median).padStart(8),
        '|',
        ms(r.warm.firstLiveMs).padStart(5),
        (r.offline.firstLiveMs == null ? 'fails' : ms(r.offline.firstLiveMs)).padStart(8),
        '|',
        r.slow4g ? ms(r.slow4g.firstLiveMs?.median) : '',
      ].join(' '),
    );
  }
  return lines;
}
