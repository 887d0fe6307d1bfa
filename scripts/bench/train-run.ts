/**
 * Chapter 3's training bench alone: `tsx scripts/bench/train-run.ts [--seconds N]`, on the
 * built site in dist/ (or BENCH_DIST). Prints one JSON document.
 */
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { serveDir } from './serve';
import { trainBench } from './train';

const root = path.resolve(import.meta.dirname, '..', '..');
const dist = path.resolve(process.env['BENCH_DIST'] ?? path.join(root, 'dist'));
const i = process.argv.indexOf('--seconds');
const seconds = i >= 0 ? Number(process.argv[i + 1]) || 10 : 10;

const server = await serveDir(dist);
const browser = await chromium.launch({
  executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--no-first-run',
    '--disable-background-networking',
    '--enable-unsafe-webgpu',
  ],
});
try {
  const cases = await trainBench(browser, server.url, {
    seconds,
    log: (m) => process.stderr.write(`bench: ${m}\n`),
  });
  const report = {
    benchmark: 'chapter 3: training in the page',
    date: new Date().toISOString(),
    loadAverage1m: os.loadavg()[0],
    chromium: browser.version(),
    cases,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} finally {
  await browser.close();
  await server.close();
}
