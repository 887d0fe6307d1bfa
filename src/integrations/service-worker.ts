/**
 * Writes dist/sw.js after the build: the worker of src/integrations/sw-worker.ts (its types
 * stripped by Vite's own transformer, no bundling: it imports nothing), preceded by this build's
 * id and precache list. The id is a hash over the precached files' paths and contents, so a
 * build that changes any of them writes a byte-different sw.js, which is what makes a browser
 * install the new worker. A rebuild with byte-identical output would keep its id, but today no
 * two builds are identical: figure 5's head gallery (src/components/ch5/gallery/build.ts) puts
 * the milliseconds its build-time render took into the page.
 *
 * Must run after every integration that writes or rewrites files in dist/ (Starlight's
 * Pagefind index, csp-inline-hashes): it is the last one in astro.config.mjs.
 * src/scripts/sw-register.ts registers the worker; docs/HOSTING.md describes both.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { transformWithOxc } from 'vite';

/**
 * Files of dist/ (relative, with forward slashes) that are not precached:
 * - the worker itself; figures.json, oembed/ and sitemaps (for tools and other sites, not for
 *   readers; figures.json also carries a random build field);
 * - onnxruntime's WebGPU build (`ort-wasm-simd-threaded.asyncify.*.wasm`, 26 MB, and its
 *   `ort.webgpu.bundle` script), fetched only when a reader chooses WebGPU: cached then, at run
 *   time;
 * - KaTeX's .woff and .ttf fonts: every browser that runs the book takes the .woff2, the others
 *   are fallbacks (cached at run time if a browser asks for one);
 * - source maps.
 */
export function precached(file: string): boolean {
  if (/^(sw\.js|figures\.json|sitemap[^/]*\.xml)$|^oembed\//.test(file)) return false;
  if (/(^|\/)ort[^/]*(asyncify|webgpu)[^/]*$/.test(file)) return false;
  if (/\.(woff|ttf|map)$/.test(file)) return false;
  return true;
}

/** The URL a file is requested at: pages by their directory (`chapters/x/index.html` → `/chapters/x/`). */
export function fileUrl(file: string, base: string): string {
  return base + file.replace(/(^|\/)index\.html$/, '$1');
}

async function walk(root: string, dir = ''): Promise<string[]> {
  const entries = await readdir(path.join(root, dir), { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => {
      const rel = dir ? `${dir}/${e.name}` : e.name;
      return e.isDirectory() ? walk(root, rel) : Promise.resolve([rel]);
    }),
  );
  return nested.flat();
}

export function serviceWorker(): AstroIntegration {
  let base = '/';
  let root: URL | undefined;
  return {
    name: 'service-worker',
    hooks: {
      'astro:config:done': ({ config }) => {
        base = config.base.endsWith('/') ? config.base : `${config.base}/`;
        root = config.root;
      },
      'astro:build:done': async ({ dir, logger }) => {
        const out = fileURLToPath(dir);
        const files = (await walk(out)).filter(precached).sort();
        const hash = createHash('sha256');
        let bytes = 0;
        for (const file of files) {
          const content = await readFile(path.join(out, file));
          bytes += content.length;
          hash.update(`${file}\0${createHash('sha256').update(content).digest('hex')}\n`);
        }
        const build = hash.digest('hex').slice(0, 16);
        const offline = `${base}404.html`;
        const urls = files.map((f) => fileUrl(f, base));
        if (!urls.includes(offline)) throw new Error(`service-worker: no ${offline} in the build`);

        const source = fileURLToPath(new URL('src/integrations/sw-worker.ts', root));
        const ts = await readFile(source, 'utf8');
        const { code } = await transformWithOxc(ts, source, { lang: 'ts' });
        const body = code.replace(/^export\s*\{\s*\};?\s*$/m, '');
        if (/^\s*(import|export)\b/m.test(body))
          throw new Error('service-worker: sw-worker.ts must not import or export anything');
        const worker =
          `// The book's service worker, written by src/integrations/service-worker.ts.\n` +
          `const __SW_BUILD__ = ${JSON.stringify(build)};\n` +
          `const __SW_OFFLINE__ = ${JSON.stringify(offline)};\n` +
          `const __SW_PRECACHE__ = ${JSON.stringify(urls)};\n` +
          body;
        await writeFile(path.join(out, 'sw.js'), worker);
        logger.info(
          `sw.js: build ${build}, ${urls.length} files precached (${(bytes / 1e6).toFixed(1)} MB)`,
        );
      },
    },
  };
}
