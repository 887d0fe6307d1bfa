/**
 * Code that the bench runs inside the page (scripts/bench/page/*.ts) is bundled with esbuild
 * (already installed: Vite and tsx use it) into one script, so it can import the project's own
 * modules (the ONNX reader, the runtime's tensor helpers) and is never serialised from a
 * tsx-compiled function.
 */
import path from 'node:path';
import { buildSync } from 'esbuild';

/** Bundle `entry` (a path relative to scripts/bench/page/) for the browser. */
export function bundleForPage(entry: string, format: 'iife' | 'esm' = 'iife'): string {
  const out = buildSync({
    entryPoints: [path.join(import.meta.dirname, 'page', entry)],
    bundle: true,
    format,
    platform: 'browser',
    target: 'es2022',
    write: false,
    minify: false,
    // ORT is loaded by the page itself from /__bench/ort/ (the package's own dist files).
    external: ['/__bench/*'],
    define: { 'import.meta.env.BASE_URL': '"/"' },
    logLevel: 'error',
  });
  const file = out.outputFiles[0];
  if (!file) throw new Error(`esbuild produced nothing for ${entry}`);
  return file.text;
}
