/**
 * npm run test:size (part of npm test, after the build): fails when any built page's JavaScript
 * loaded before interaction grows past its budget, stated with its reason in one place:
 * scripts/bench/budget.ts. What counts (scripts/bench/pagejs.ts): the page's module scripts and
 * Astro islands with their static imports, gzip-compressed (what a reader downloads).
 * onnxruntime-web and its .wasm are imported dynamically when a figure activates and are not
 * part of it; `npm run bench` reports those bytes.
 *
 *   tsx scripts/size-budget.ts [--dist DIR]     (default dist/)
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { budgetFor } from './bench/budget';
import { builtPages, pageJs } from './bench/pagejs';

const { values } = parseArgs({ options: { dist: { type: 'string', default: 'dist' } } });
const dist = path.resolve(values.dist);
if (!existsSync(path.join(dist, 'index.html'))) {
  console.error(`size-budget: no build in ${dist}: run npm run build first`);
  process.exit(1);
}

const kb = (b: number) => `${(b / 1000).toFixed(1)} kB`;
const pages = builtPages(dist);
const over: string[] = [];
const largest = new Map<string, { page: string; gzip: number; budget: number }>();
for (const page of pages) {
  const js = pageJs(dist, page);
  const budget = budgetFor(page);
  const prev = largest.get(budget.kind);
  if (!prev || js.gzip > prev.gzip)
    largest.set(budget.kind, { page, gzip: js.gzip, budget: budget.gzip });
  if (js.gzip > budget.gzip) {
    const top = [...js.entry, ...js.islands]
      .sort((a, b) => b.gzip - a.gzip)
      .slice(0, 5)
      .map((f) => `${f.url} ${kb(f.gzip)}`)
      .join(', ');
    over.push(
      `${page}: ${kb(js.gzip)} gzip of JS before interaction > ${budget.kind} budget ${kb(budget.gzip)} (largest files: ${top})`,
    );
  }
}
if (over.length > 0) {
  for (const o of over) console.error(`size-budget: ${o}`);
  console.error(
    `size-budget: ${over.length} of ${pages.length} pages over budget; the budgets and their reasons are in scripts/bench/budget.ts`,
  );
  process.exit(1);
}
for (const [kind, l] of largest)
  console.log(
    `size-budget: ${kind} pages within ${kb(l.budget)}; largest ${l.page} ${kb(l.gzip)} gzip`,
  );
console.log(`size-budget: ${pages.length} pages checked`);
