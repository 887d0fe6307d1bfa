/**
 * Chapter 3's part of the bench: training the names MLP in the page (figure train-mlp), on WASM
 * and WebGPU, batch 32 and 256. For each, the figure trains for `seconds`; every second we read
 * its counters (globalThis.__ch3['train-mlp'].stats(), kept by ch3/train/TrainLab.tsx) and report
 * the median over those one-second windows of: steps per second, and the share of wall time spent
 * in the graph run (onnxruntime-web, forward + backward), in the optimizer (Adam in TypeScript)
 * and in drawing (Preact render of the figure). The rest is evaluation, sampling and idle time
 * between frames. The training runs in the page's training Worker (ch3/train/trainer.ts), so
 * graph run, optimizer and longest slice are the Worker's; drawing is the main thread's.
 * Headless Chromium's WebGPU is Dawn on SwiftShader (CPU): reported, not fast.
 *
 * Call `trainBench(browser, baseUrl)` from scripts/bench.ts; `scripts/bench/train-run.ts` runs
 * it alone.
 */
import type { Browser } from 'playwright-core';
import { summarize, type Summary } from './stats';

export interface TrainBenchCase {
  ep: 'wasm' | 'webgpu';
  batch: number;
  /** What actually ran (the figure's status line), e.g. "WebGPU" or a fallback note. */
  status: string;
  windows: number;
  stepsPerSecond: Summary | null;
  /** Shares of wall time, per one-second window. */
  runShare: Summary | null;
  optimizerShare: Summary | null;
  drawShare: Summary | null;
  /** Per step, milliseconds. */
  runMsPerStep: Summary | null;
  optimizerMsPerStep: Summary | null;
  /** Longest stretch of work between two yields, on the thread the loop runs on. */
  longestSliceMs: number;
  /** Where the loop ran: the training Worker, or the main thread (no Worker). */
  thread: string;
  error?: string;
}

interface Stats {
  steps: number;
  runMs: number;
  optMs: number;
  drawMs: number;
  wallMs: number;
  longestMs: number;
}

export async function trainBench(
  browser: Browser,
  baseUrl: string,
  opts: {
    seconds?: number;
    eps?: ('wasm' | 'webgpu')[];
    batches?: number[];
    log?: (m: string) => void;
  } = {},
): Promise<TrainBenchCase[]> {
  const seconds = opts.seconds ?? 10;
  const out: TrainBenchCase[] = [];
  for (const ep of opts.eps ?? ['wasm', 'webgpu']) {
    for (const batch of opts.batches ?? [32, 256]) {
      opts.log?.(`train: ${ep}, batch ${batch}, ${seconds} s`);
      const page = await browser.newPage();
      try {
        await page.goto(`${baseUrl}/embed/train-mlp/?batch=${batch}&ep=${ep}`);
        const fig = page.locator('[data-figure="train-mlp"]');
        await page
          .locator('[data-figure="train-mlp"][data-status="live"]')
          .waitFor({ timeout: 120_000 });
        await fig.locator('[data-action="step"]').click(); // creates the runs (warm-up)
        // data-steps counts the build-time run until the live one exists: wait for the live step 1.
        await page
          .locator('[data-figure="train-mlp"][data-run="live"][data-steps="1"]')
          .waitFor({ timeout: 300_000 });
        await fig.locator('[data-action="play"]').click();
        const read = () =>
          page.evaluate(
            () =>
              (globalThis as unknown as { __ch3: Record<string, { stats: () => Stats }> }).__ch3[
                'train-mlp'
              ]?.stats() as Stats,
          );
        const samples: Stats[] = [await read()];
        for (let i = 0; i < seconds; i++) {
          await page.waitForTimeout(1000);
          samples.push(await read());
        }
        await fig.locator('[data-action="play"]').click();
        const win = samples.slice(1).map((s, i) => {
          const p = samples[i] as Stats;
          const wall = 1000; // wall time of the window
          const steps = s.steps - p.steps;
          return {
            sps: steps,
            run: (s.runMs - p.runMs) / wall,
            opt: (s.optMs - p.optMs) / wall,
            draw: (s.drawMs - p.drawMs) / wall,
            runPer: steps ? (s.runMs - p.runMs) / steps : NaN,
            optPer: steps ? (s.optMs - p.optMs) / steps : NaN,
          };
        });
        out.push({
          ep,
          batch,
          status: (await fig.locator('.fig-status').first().textContent())?.trim() ?? '',
          windows: win.length,
          stepsPerSecond: summarize(win.map((w) => w.sps)),
          runShare: summarize(win.map((w) => w.run)),
          optimizerShare: summarize(win.map((w) => w.opt)),
          drawShare: summarize(win.map((w) => w.draw)),
          runMsPerStep: summarize(win.map((w) => w.runPer)),
          optimizerMsPerStep: summarize(win.map((w) => w.optPer)),
          longestSliceMs: Math.round((samples.at(-1)?.longestMs ?? NaN) * 10) / 10,
          thread: await page.evaluate(
            () =>
              (
                globalThis as unknown as {
                  __ch3: Record<string, { thread?: () => string | undefined }>;
                }
              ).__ch3['train-mlp']?.thread?.() ?? 'main',
          ),
        });
      } catch (e) {
        out.push({
          ep,
          batch,
          status: '',
          windows: 0,
          stepsPerSecond: null,
          runShare: null,
          optimizerShare: null,
          drawShare: null,
          runMsPerStep: null,
          optimizerMsPerStep: null,
          longestSliceMs: NaN,
          thread: '',
          error: e instanceof Error ? e.message : String(e),
        });
      } finally {
        await page.close();
      }
    }
  }
  return out;
}
