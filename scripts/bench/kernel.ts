/**
 * Per-model inference latency, and how close onnxruntime-web is to the limit: every model a
 * registered figure loads, timed per call on ORT-web WASM and WebGPU and, for the neural models,
 * as a plain typed-array forward pass of the same .onnx weights, all in one page
 * (scripts/bench/page/kernel.ts). `ratio` = ORT-web WASM per call / plain per call, same model,
 * same batch, same run: 1 would mean ORT-web adds nothing to the arithmetic; above 1 is its
 * per-call overhead (tensor creation, the JS <-> wasm boundary, output copy) plus kernel speed.
 */
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { bundleForPage } from './bundle';
import type { KernelCase, KernelOptions } from './page/kernel';
import type { ServeExtras } from './serve';

export const KERNEL_PAGE = '/__bench/kernel.html';

/** What the bench server must serve for the kernel page. */
export function kernelExtras(root: string): ServeExtras {
  const js = bundleForPage('kernel.ts', 'esm');
  return {
    mounts: { '/__bench/ort/': path.join(root, 'node_modules', 'onnxruntime-web', 'dist') },
    files: {
      [KERNEL_PAGE]: {
        type: 'text/html; charset=utf-8',
        body: '<!doctype html><meta charset="utf-8"><title>bench: kernels</title><script type="module" src="/__bench/kernel.js"></script>',
      },
      '/__bench/kernel.js': { type: 'text/javascript; charset=utf-8', body: js },
    },
  };
}

export interface KernelRatio {
  model: string;
  batch: number;
  ortWasmMs: number;
  plainMs: number;
  /** ortWasmMs / plainMs. */
  ratio: number;
  ortWebgpuMs?: number;
  /** Largest |plain - ORT WASM| over the output probabilities. */
  maxAbsDiff: number;
}

export interface KernelResult {
  cases: KernelCase[];
  ratios: KernelRatio[];
}

export async function kernelBench(
  browser: Browser,
  origin: string,
  opts: KernelOptions,
): Promise<KernelResult> {
  const page = await browser.newPage();
  try {
    await page.goto(`${origin}${KERNEL_PAGE}`);
    await page.waitForFunction(() => typeof globalThis.__benchKernels === 'function');
    const cases = await page.evaluate(
      (o) => (globalThis.__benchKernels as NonNullable<typeof globalThis.__benchKernels>)(o),
      opts,
    );
    const find = (model: string, ep: string, batch: number) =>
      cases.find((c) => c.model === model && c.ep === ep && c.batch === batch && !c.error);
    const ratios: KernelRatio[] = [];
    for (const c of cases) {
      if (c.ep !== 'plain') continue;
      const ort = find(c.model, 'wasm', c.batch);
      if (!ort) continue;
      const gpu = find(c.model, 'webgpu', c.batch);
      ratios.push({
        model: c.model,
        batch: c.batch,
        ortWasmMs: ort.median,
        plainMs: c.median,
        ratio: Math.round((ort.median / c.median) * 100) / 100,
        ...(gpu ? { ortWebgpuMs: gpu.median } : {}),
        maxAbsDiff: c.maxAbsDiff ?? NaN,
      });
    }
    return { cases, ratios };
  } finally {
    await page.close();
  }
}
