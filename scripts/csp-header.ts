/**
 * npx tsx scripts/csp-header.ts [dist]: one Content-Security-Policy header for the whole built
 * site, for servers that send CSP as a header (docs/HOSTING.md). Astro writes the policy into
 * every page as a <meta> with the hashes of that page's inline scripts and styles; a header is
 * enforced together with the meta, so it must allow the same: this is their union.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? htmlFiles(p) : e.name.endsWith('.html') ? [p] : [];
  });
}

/** The meta CSP of one page, as directive -> sources. */
function metaPolicy(html: string): Map<string, string[]> {
  const m = /<meta http-equiv="content-security-policy" content="([^"]*)"/i.exec(html);
  const out = new Map<string, string[]>();
  for (const part of (m?.[1] ?? '').split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) out.set(name, sources);
  }
  return out;
}

/** Every page's policy merged: the same directives, the union of their sources. */
export function siteCspHeader(dist: string): string {
  const merged = new Map<string, Set<string>>();
  for (const file of htmlFiles(dist)) {
    for (const [name, sources] of metaPolicy(readFileSync(file, 'utf8'))) {
      const set = merged.get(name) ?? new Set<string>();
      sources.forEach((s) => set.add(s));
      merged.set(name, set);
    }
  }
  if (merged.size === 0) throw new Error(`no <meta> CSP in ${dist}: is security.csp enabled?`);
  return [...merged].map(([name, s]) => [name, ...s].join(' ')).join('; ');
}

if (process.argv[1] && import.meta.filename === path.resolve(process.argv[1])) {
  process.stdout.write(`Content-Security-Policy: ${siteCspHeader(process.argv[2] ?? 'dist')}\n`);
}
