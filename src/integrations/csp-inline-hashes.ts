/**
 * Astro's security.csp hashes the scripts and styles Astro itself emits, but not the inline
 * scripts Starlight renders with `is:inline` (theme, sidebar state, ...): under the policy they
 * were blocked. After the build, this adds the sha256 of every inline script and <style> of a
 * page to that page's <meta> policy, so no 'unsafe-inline' is ever needed.
 * tests/e2e/stress/csp.spec.ts fails on any CSP violation.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';

const META = /(<meta http-equiv="content-security-policy" content=")([^"]*)(")/i;
/** Executable inline scripts: no src, and no data type such as application/json. */
const SCRIPT =
  /<script(?![^>]*\bsrc=)(?![^>]*type="application\/(?:ld\+)?json")[^>]*>([\s\S]*?)<\/script>/gi;
const STYLE = /<style[^>]*>([\s\S]*?)<\/style>/gi;

const sha256 = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;

function addSources(policy: string, directive: string, sources: string[]): string {
  const parts = policy.split(';').map((p) => p.trim());
  const i = parts.findIndex((p) => p.split(/\s+/)[0] === directive);
  if (i < 0) return policy; // the directive is not restricted: nothing to allow
  const have = new Set((parts[i] ?? '').split(/\s+/));
  parts[i] = [...new Set([...have, ...sources])].join(' ');
  return parts.filter((p) => p).join('; ') + ';';
}

export function hashPage(html: string): string {
  const meta = META.exec(html);
  if (!meta) return html;
  const scripts = [...html.matchAll(SCRIPT)].map((m) => sha256(m[1] ?? ''));
  const styles = [...html.matchAll(STYLE)].map((m) => sha256(m[1] ?? ''));
  let policy = (meta[2] ?? '').replaceAll('&#39;', "'");
  policy = addSources(policy, 'script-src', scripts);
  policy = addSources(policy, 'style-src', styles);
  return html.replace(META, (_, a: string, _b: string, c: string) => a + policy + c);
}

async function htmlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => {
      const p = path.join(dir, e.name);
      return e.isDirectory() ? htmlFiles(p) : Promise.resolve(e.name.endsWith('.html') ? [p] : []);
    }),
  );
  return nested.flat();
}

export function cspInlineHashes(): AstroIntegration {
  return {
    name: 'csp-inline-hashes',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const files = await htmlFiles(fileURLToPath(dir));
        let changed = 0;
        for (const file of files) {
          const html = await readFile(file, 'utf8');
          const out = hashPage(html);
          if (out !== html) {
            await writeFile(file, out);
            changed++;
          }
        }
        logger.info(`inline script/style hashes added to the CSP of ${changed} pages`);
      },
    },
  };
}
