/**
 * Measures every figure's embed page at 900 px wide, live in its default state, and prints the
 * fixed iframe height to give it (FigureMeta.embedHeight): the content's height, the figure, its
 * caption and the link back, plus a margin for fonts that differ from this machine's, rounded up
 * to 10 px. Run it after a change that makes a figure taller or shorter, on a build:
 *
 *   npm run build && bash scripts/env.sh --chromium tsx scripts/embed-heights.ts [dist]
 *
 * tests/e2e/embed-host.spec.ts checks the heights in the registry against the same rule.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { serveDir } from './bench/serve';

/** Room for another machine's fonts (the e2e test allows at most 160 px of empty band). */
const MARGIN = 24;
const WIDTH = 900;

const dist = path.resolve(process.argv[2] ?? 'dist');
const manifest = JSON.parse(readFileSync(path.join(dist, 'figures.json'), 'utf8')) as {
  figures: { id: string; embed: string; embedHeight: number }[];
};
const server = await serveDir(dist);
const browser = await chromium.launch({
  executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-gpu'],
});
try {
  for (const f of manifest.figures) {
    const page = await browser.newPage({ viewport: { width: WIDTH, height: 2000 } });
    await page.goto(`${server.url}${f.embed}`);
    const fig = page.locator(`[data-figure="${f.id}"]`).first();
    await fig.waitFor();
    await page.waitForFunction(
      (id) =>
        document.querySelector(`[data-figure="${id}"]`)?.getAttribute('data-status') === 'live',
      f.id,
      { timeout: 60_000 },
    );
    const content = await page.evaluate(() =>
      Math.ceil(document.body.getBoundingClientRect().height),
    );
    const want = Math.ceil((content + MARGIN) / 10) * 10;
    process.stdout.write(
      `${f.id.padEnd(16)} content ${String(content).padStart(5)} px  embedHeight ${want}` +
        `${want === f.embedHeight ? '' : `  (registry: ${f.embedHeight})`}\n`,
    );
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
