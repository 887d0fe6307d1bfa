/**
 * npm run bench: how fast do chapter 1's figures come alive and respond? Prints ONE JSON
 * document to stdout (progress goes to stderr).
 *
 *   cold  navigation -> first live prediction on chapter 1 (fresh context each run), with a
 *         breakdown from the runtime's performance marks;
 *   warm  keystroke -> all three models redrawn, over 200 keystrokes, and per-model inference
 *         latency, on WASM and (when the browser offers an adapter) WebGPU.
 *
 * Uses the built site in dist/ (runs `astro build` first if there is none), serves it on a
 * loopback port, drives Debian's Chromium with playwright-core. Targets are reported, not
 * asserted. Options: --cold-runs N (default 9), --keystrokes N (default 200); BENCH_DIST=dir
 * benchmarks another build directory.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { cold } from './bench/cold';
import { serveDir } from './bench/serve';
import { warm, type WarmResult } from './bench/warm';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.resolve(process.env['BENCH_DIST'] ?? path.join(root, 'dist'));
const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isInteger(v) && v > 0 ? v : fallback;
}

const log = (msg: string) => process.stderr.write(`bench: ${msg}\n`);

async function main(): Promise<void> {
  if (!existsSync(path.join(dist, 'chapters', '01-probability', 'index.html'))) {
    log('no dist/ build: running astro build');
    execFileSync('npx', ['astro', 'build'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  }
  if (!existsSync(chromiumPath))
    throw new Error(`no Chromium at ${chromiumPath} (npm run setup installs it)`);

  const server = await serveDir(dist);
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--no-first-run',
      '--disable-background-networking',
      '--enable-unsafe-webgpu',
    ],
  });
  try {
    const coldRuns = arg('cold-runs', 9);
    const keystrokes = arg('keystrokes', 200);
    log(`cold start x ${coldRuns}`);
    const coldResult = await cold(browser, server.url, coldRuns);

    log(`warm: ${keystrokes} keystrokes on WASM`);
    const warmResults: WarmResult[] = [await warm(browser, server.url, 'wasm', keystrokes)];

    const probe = await browser.newPage();
    await probe.goto(`${server.url}/embed/score-name/`);
    const adapter = await probe.evaluate(async () => {
      const a = 'gpu' in navigator ? await navigator.gpu.requestAdapter() : null;
      return a
        ? {
            fallback: a.info.isFallbackAdapter,
            vendor: a.info.vendor,
            architecture: a.info.architecture,
          }
        : null;
    });
    await probe.close();
    if (adapter) {
      log(`warm: ${keystrokes} keystrokes on WebGPU (${adapter.architecture || adapter.vendor})`);
      warmResults.push(await warm(browser, server.url, 'webgpu', keystrokes));
    }

    const coldMedian = coldResult.navigationToLiveMs?.median ?? NaN;
    const warmP95 = warmResults[0]?.keystrokeToDrawnMs?.p95 ?? NaN;
    const report = {
      benchmark: 'chapter 1 figures',
      date: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? '',
        memoryGiB: Math.round(os.totalmem() / 2 ** 30),
        // Other work on the machine inflates every number: report how busy it was.
        loadAverage1m: Math.round((os.loadavg()[0] ?? NaN) * 100) / 100,
        chromium: browser.version(),
        webgpuAdapter: adapter,
      },
      cold: coldResult,
      warm: warmResults,
      targets: {
        coldMs: 800,
        coldMedianMs: coldMedian,
        coldMet: coldMedian <= 800,
        warmP95Ms: 16,
        warmP95MeasuredMs: warmP95,
        warmMet: warmP95 <= 16,
      },
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
