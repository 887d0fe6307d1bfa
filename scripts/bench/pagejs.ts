/**
 * What JavaScript a built page loads before the reader interacts with it, read from the files
 * in dist/ (no browser): used by the size budget (scripts/size-budget.ts) and the bench report.
 *
 * "Before interaction" is everything the page fetches by itself, with no click, key or scroll
 * past a figure that is already on screen:
 *   - entry: `<script type="module" src>`, inline module scripts' imports and
 *     `<link rel="modulepreload">`, plus every module they import statically (transitively);
 *   - islands: each `<astro-island>`'s component-url, renderer-url and before-hydration-url
 *     (Astro imports them when the island hydrates: at load, idle, or when it becomes visible),
 *     plus their static imports.
 * Dynamic `import()` targets are not followed: they load on activation (onnxruntime-web, in
 * src/models/runtime/web.ts) and are reported by the bench as bytes after activation.
 * Each file counts once per page. Sizes: raw bytes and gzip (node:zlib, level 9).
 */
import { existsSync, readdirSync, readFileSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface JsFile {
  /** Site path, e.g. /_astro/page.cNngjUgL.js. */
  url: string;
  raw: number;
  gzip: number;
}

export interface PageJs {
  /** Site path of the page, e.g. /embed/next-word/. */
  page: string;
  entry: JsFile[];
  /** Island files not already in `entry`. */
  islands: JsFile[];
  raw: number;
  gzip: number;
}

const sizes = new Map<string, { raw: number; gzip: number }>();

/** Raw and gzip size of a file in dist/ (cached per absolute path). */
export function fileSizes(file: string): { raw: number; gzip: number } {
  let s = sizes.get(file);
  if (!s) {
    const bytes = readFileSync(file);
    s = { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
    sizes.set(file, s);
  }
  return s;
}

/** Static `import … from "x"`, `import "x"`, `export … from "x"` in (minified) ES modules. */
const STATIC_IMPORT =
  /(?:^|[\s;})])(?:import|export)\s*(?:[\w$*{}\s,]*?\s*from\s*)?["']([^"']+)["']/g;

export function staticImports(code: string): string[] {
  return [...code.matchAll(STATIC_IMPORT)].map((m) => m[1] as string);
}

function attrs(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) {
    const name = (m[1] as string).toLowerCase();
    out[name] = (m[2] ?? m[3] ?? m[4] ?? '').replaceAll('&amp;', '&');
  }
  return out;
}

/** The page's module-graph roots: [entry, islands], as site paths resolved against `page`. */
export function pageRoots(html: string, page: string): { entry: string[]; islands: string[] } {
  const base = `http://site${page}`;
  const abs = (u: string) => new URL(u, base).pathname;
  const entry: string[] = [];
  const islands: string[] = [];
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    const a = attrs(m[1] as string);
    if (a['type'] !== 'module') continue;
    if (a['src']) entry.push(abs(a['src']));
    else for (const spec of staticImports(m[2] as string)) entry.push(abs(spec));
  }
  for (const m of html.matchAll(/<link\b([^>]*)>/gi)) {
    const a = attrs(m[1] as string);
    if (a['rel'] === 'modulepreload' && a['href']) entry.push(abs(a['href']));
  }
  for (const m of html.matchAll(/<astro-island\b([^>]*)>/gi)) {
    const a = attrs(m[1] as string);
    for (const k of ['component-url', 'renderer-url', 'before-hydration-url']) {
      const u = a[k];
      if (u) islands.push(abs(u));
    }
  }
  return { entry, islands };
}

/** Every same-site module reachable by static imports from `roots` (the roots included). */
function closure(dist: string, roots: string[], seen: Set<string>): JsFile[] {
  const out: JsFile[] = [];
  const queue = [...roots];
  while (queue.length > 0) {
    const url = queue.shift() as string;
    if (seen.has(url)) continue;
    seen.add(url);
    const file = path.join(dist, url);
    if (!existsSync(file)) throw new Error(`${url} is referenced but not in ${dist}`);
    out.push({ url, ...fileSizes(file) });
    const code = readFileSync(file, 'utf8');
    for (const spec of staticImports(code)) {
      if (/^[a-z]+:/i.test(spec) && !spec.startsWith('/')) continue; // another origin, data:
      queue.push(new URL(spec, `http://site${url}`).pathname);
    }
  }
  return out;
}

/** The JS a page at site path `page` (e.g. /embed/next-word/) loads before interaction. */
export function pageJs(dist: string, page: string): PageJs {
  const html = readFileSync(path.join(dist, page, page.endsWith('/') ? 'index.html' : ''), 'utf8');
  const roots = pageRoots(html, page);
  const seen = new Set<string>();
  const entry = closure(dist, roots.entry, seen);
  const islands = closure(dist, roots.islands, seen);
  const all = [...entry, ...islands];
  return {
    page,
    entry,
    islands,
    raw: all.reduce((s, f) => s + f.raw, 0),
    gzip: all.reduce((s, f) => s + f.gzip, 0),
  };
}

/** Site paths of every HTML page in dist/ (directories with an index.html), sorted. */
export function builtPages(dist: string, dir = ''): string[] {
  const out: string[] = [];
  const here = path.join(dist, dir);
  if (existsSync(path.join(here, 'index.html'))) out.push(`/${dir}${dir ? '/' : ''}`);
  for (const e of readdirSafe(here)) {
    if (e.isDirectory() && !e.name.startsWith('_') && !e.name.startsWith('.'))
      out.push(...builtPages(dist, dir ? `${dir}/${e.name}` : e.name));
  }
  return out.sort();
}

function readdirSafe(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}
