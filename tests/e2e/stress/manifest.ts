/**
 * The figure registry as the build under test wrote it (/figures.json, from
 * src/pages/figures.json.ts), read from disk when a spec file loads, so tests can be generated
 * per figure and per chapter: registering a figure adds it to every stress test.
 *
 * The build is E2E_DIST (default dist/), the folder playwright.config.ts serves.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { APIRequestContext } from '@playwright/test';
import type { FigureManifest, FigureManifestEntry } from '../../../src/pages/figures.json';

export type { FigureManifestEntry };

export const DIST = path.resolve(process.env['E2E_DIST'] ?? 'dist');
const file = path.join(DIST, 'figures.json');

function load(): FigureManifest {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as FigureManifest;
  } catch (e) {
    throw new Error(`${file} is missing or unreadable: build first (astro build)`, { cause: e });
  }
}

export const MANIFEST = load();
export const FIGURES: readonly FigureManifestEntry[] = MANIFEST.figures;

export interface ChapterPage {
  href: string;
  title: string;
  figures: FigureManifestEntry[];
}

/** Every chapter that has a figure, with its figures in registry order. */
export const CHAPTERS: readonly ChapterPage[] = (() => {
  const by = new Map<string, ChapterPage>();
  for (const f of FIGURES) {
    const c = by.get(f.chapter.href) ?? { ...f.chapter, figures: [] };
    c.figures.push(f);
    by.set(f.chapter.href, c);
  }
  return [...by.values()];
})();

/**
 * The book's other pages (home, glossary, …), found in the build: every `<dir>/index.html` of
 * dist/ outside chapters/ and embed/ (whose pages come from the registry above), as URLs.
 */
export const OTHER_PAGES: readonly string[] = [
  '/',
  ...readdirSync(DIST, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !['chapters', 'embed'].includes(d.name))
    .filter((d) => existsSync(path.join(DIST, d.name, 'index.html')))
    .map((d) => `/${d.name}/`)
    .sort(),
];

/**
 * Throws unless the server under test serves the build on disk (same unique build stamp): a
 * test must never run against someone else's (possibly half-written) dist/.
 */
export async function assertServedBuild(request: APIRequestContext): Promise<void> {
  const res = await request.get('/figures.json');
  const served = res.ok() ? ((await res.json()) as FigureManifest).build : `HTTP ${res.status()}`;
  if (served !== MANIFEST.build) {
    throw new Error(
      `the server does not serve ${DIST} (its /figures.json build is "${served}", the file's is "${MANIFEST.build}")`,
    );
  }
  if (!readFileSafe(path.join(DIST, 'pagefind', 'pagefind.js'))) {
    throw new Error(`${DIST} looks incomplete (no pagefind/pagefind.js): is a build running?`);
  }
}

function readFileSafe(f: string): boolean {
  try {
    readFileSync(f);
    return true;
  } catch {
    return false;
  }
}
