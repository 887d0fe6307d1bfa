/**
 * Chapter 5's part of the bench (scripts/bench/page/gpt.ts runs in the page): figure 5.3's
 * generator on WASM, batch 1, with the GPT's key/value cache (gpt-words-step) and without it
 * (gpt-words rerun on every token read so far), tokens per second of each and their ratio
 * (target: >= 500 tokens per second with the cache); and one step call at batch 1 and 16 on
 * WASM and WebGPU (headless WebGPU is SwiftShader on the CPU: it says the graph runs and gives
 * the same numbers, not how fast a GPU is).
 */
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { bundleForPage } from './bundle';
import type { GptBenchOptions, GptBenchResult } from './page/gpt';
import type { ServeExtras } from './serve';

export const GPT_PAGE = '/__bench/gpt.html';
export const GPT_TARGET_TPS = 500;

export function gptExtras(root: string): ServeExtras {
  const js = bundleForPage('gpt.ts', 'esm');
  return {
    mounts: { '/__bench/ort/': path.join(root, 'node_modules', 'onnxruntime-web', 'dist') },
    files: {
      [GPT_PAGE]: {
        type: 'text/html; charset=utf-8',
        body: '<!doctype html><meta charset="utf-8"><title>bench: gpt</title><script type="module" src="/__bench/gpt.js"></script>',
      },
      '/__bench/gpt.js': { type: 'text/javascript; charset=utf-8', body: js },
    },
  };
}

export interface GptBench extends Omit<GptBenchResult, 'cached' | 'uncached'> {
  cached: Omit<NonNullable<GptBenchResult['cached']>, 'ids'> | null;
  uncached: Omit<NonNullable<GptBenchResult['uncached']>, 'ids'> | null;
  /** Tokens per second with the cache / without it. */
  cacheSpeedup: number | null;
  targetTokensPerSecond: number;
  met: boolean | null;
}

export async function gptBench(
  browser: Browser,
  origin: string,
  opts: Partial<GptBenchOptions> & { log?: (m: string) => void } = {},
): Promise<GptBench> {
  const o: GptBenchOptions = {
    tokens: opts.tokens ?? 200,
    // "we the people of the" as ids are not needed: any ids below the vocabulary do; these
    // are <s>-free frequent words so the prompt is one open sentence.
    prompt: opts.prompt ?? [2, 3, 9, 6],
    seed: opts.seed ?? 1,
    eps: opts.eps ?? ['wasm'],
    batches: opts.batches ?? [1, 16],
    cache: opts.cache ?? 32,
    rounds: opts.rounds ?? 20,
  };
  opts.log?.(
    `gpt: generation of ${o.tokens} tokens with and without the cache; step calls on ${o.eps.join(', ')}`,
  );
  const page = await browser.newPage();
  try {
    await page.goto(`${origin}${GPT_PAGE}`);
    await page.waitForFunction(() => typeof globalThis.__benchGpt === 'function');
    const r = await page.evaluate(
      (x) => (globalThis.__benchGpt as NonNullable<typeof globalThis.__benchGpt>)(x),
      o,
    );
    const strip = (g: GptBenchResult['cached']) => {
      if (!g) return null;
      const { ids: _, ...rest } = g;
      return rest;
    };
    const speedup =
      r.cached && r.uncached
        ? Math.round((r.cached.tokensPerSecond / r.uncached.tokensPerSecond) * 100) / 100
        : null;
    return {
      ...r,
      cached: strip(r.cached),
      uncached: strip(r.uncached),
      cacheSpeedup: speedup,
      targetTokensPerSecond: GPT_TARGET_TPS,
      met: r.cached ? r.cached.tokensPerSecond >= GPT_TARGET_TPS : null,
    };
  } finally {
    await page.close();
  }
}
