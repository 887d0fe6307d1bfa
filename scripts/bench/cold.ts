/**
 * Cold start: a fresh browser context (empty HTTP cache) navigates to chapter 1 at the
 * score-name figure; time from navigation start to the first live prediction drawn
 * (`fig:score-name:live`), broken down with the runtime's performance marks.
 */
import type { Browser } from 'playwright-core';
import { summarize, type Summary } from './stats';

/** What one page load reports, in ms from navigation start. */
interface ColdSample {
  live: number;
  /** onnxruntime-web's JS (dynamic import of the WASM build). */
  ortImport: number;
  /** The .wasm download (Resource Timing). */
  wasmFetch: number;
  /** First InferenceSession.create: includes compiling/instantiating the .wasm. */
  firstSession: number;
  /** All sessions of the figure (3 models), start of the first to end of the last. */
  sessions: number;
  /** First inference of the figure's models. */
  firstRun: number;
  /** Navigation start -> the runtime starts loading (hydration of the island). */
  hydrate: number;
}

type Marks = Record<string, number>;

async function oneLoad(browser: Browser, url: string): Promise<ColdSample> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForSelector('[data-figure="score-name"][data-status="live"]', { timeout: 60_000 });
  const { marks, wasm } = await page.evaluate(() => {
    const marks: Record<string, number> = {};
    for (const e of performance.getEntriesByType('mark')) marks[e.name] ??= e.startTime;
    const res = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    const w = res.find((r) => r.name.endsWith('.wasm'));
    return { marks, wasm: w ? w.responseEnd - w.startTime : NaN };
  });
  await context.close();
  const m = (k: string): number => (marks as Marks)[k] ?? NaN;
  const ids = ['unigram', 'bigram', 'mlp'];
  const sessionStarts = ids.map((id) => m(`ort:session:${id}:wasm:start`));
  const sessionEnds = ids.map((id) => m(`ort:session:${id}:wasm:end`));
  const firstStart = Math.min(...sessionStarts);
  const firstEnd = sessionEnds[sessionStarts.indexOf(firstStart)] ?? NaN;
  const runStarts = ids.map((id) => m(`ort:run:${id}:wasm:start`));
  const runEnds = ids.map((id) => m(`ort:run:${id}:wasm:end`));
  return {
    live: m('fig:score-name:live'),
    ortImport: m('ort:import:wasm:end') - m('ort:import:wasm:start'),
    wasmFetch: wasm,
    firstSession: firstEnd - firstStart,
    sessions: Math.max(...sessionEnds) - firstStart,
    firstRun: Math.max(...runEnds) - Math.min(...runStarts),
    hydrate: m('ort:import:wasm:start'),
  };
}

export interface ColdResult {
  runs: number;
  navigationToLiveMs: Summary | null;
  breakdownMs: Record<Exclude<keyof ColdSample, 'live'>, Summary | null>;
}

export async function cold(browser: Browser, origin: string, runs: number): Promise<ColdResult> {
  const url = `${origin}/chapters/01-probability/?ep=wasm#fig-score-name`;
  await oneLoad(browser, url); // let the OS page cache warm up; not counted
  const samples: ColdSample[] = [];
  for (let i = 0; i < runs; i++) samples.push(await oneLoad(browser, url));
  const pick = (k: keyof ColdSample) => summarize(samples.map((s) => s[k]));
  return {
    runs,
    navigationToLiveMs: pick('live'),
    breakdownMs: {
      hydrate: pick('hydrate'),
      ortImport: pick('ortImport'),
      wasmFetch: pick('wasmFetch'),
      firstSession: pick('firstSession'),
      sessions: pick('sessions'),
      firstRun: pick('firstRun'),
    },
  };
}
