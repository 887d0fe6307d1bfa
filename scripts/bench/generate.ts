/**
 * Chapter 4's part of the bench: figure 4.2 (generate) streaming text from the character LSTM,
 * batch 1, on WASM (and WebGPU when there is an adapter). Each run loads the figure's embed page
 * in a fresh page with a 2,000-character generation, waits for it to finish, and reads the
 * figure's own count (data-cps: generated characters / wall time from the first prompt
 * character read to the last character drawn, yields to the browser and drawing included).
 * Target (issue 12): >= 1,000 characters per second on WASM.
 */
import type { Browser } from 'playwright-core';
import { summarize, type Summary } from './stats';

export interface GenerateBenchCase {
  ep: 'wasm' | 'webgpu';
  runs: number;
  length: number;
  charsPerSecond: Summary | null;
  /** The figure's stats line of the last run (what ran, in words). */
  status: string;
  error?: string;
}

export const GENERATION_TARGET_CPS = 1000;

export async function generateBench(
  browser: Browser,
  baseUrl: string,
  opts: {
    runs?: number;
    eps?: ('wasm' | 'webgpu')[];
    length?: number;
    log?: (m: string) => void;
  } = {},
): Promise<GenerateBenchCase[]> {
  const out: GenerateBenchCase[] = [];
  for (const ep of opts.eps ?? ['wasm']) {
    // Headless WebGPU is SwiftShader on the CPU (a few characters per second at batch 1, one
    // graph run per character): one short run there, to say that it works and how fast.
    const runs = ep === 'webgpu' ? 1 : (opts.runs ?? 3);
    const length = ep === 'webgpu' ? 100 : (opts.length ?? 2000);
    opts.log?.(`generate: ${ep}, ${runs} x ${length} characters`);
    const cps: number[] = [];
    let status = '';
    let error: string | undefined;
    for (let r = 0; r < runs; r++) {
      const page = await browser.newPage();
      try {
        await page.goto(
          `${baseUrl}/embed/generate/?prompt=The%20Congress&t=1&k=0&seed=${r + 1}&n=${length}&ep=${ep}`,
        );
        const done = page.locator('[data-figure="generate"][data-phase="done"]');
        await done.waitFor({ timeout: 300_000 });
        cps.push(Number(await done.getAttribute('data-cps')));
        status =
          (await page.locator('[data-figure="generate"] [data-role="stats"]').textContent()) ?? '';
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      } finally {
        await page.close();
      }
    }
    out.push({
      ep,
      runs,
      length,
      charsPerSecond: summarize(cps.filter(Number.isFinite)),
      status,
      ...(error ? { error } : {}),
    });
  }
  return out;
}
