/**
 * A minimal static file server for a built site (dist/): enough for benchmarks and local checks
 * without `astro preview` (which allows one instance per project). Loopback only.
 *
 * It serves the way a real host should, so cold, warm and throttled loads mean something:
 * gzip when the browser accepts it (the .wasm is 14 MB raw, 3.7 MB gzip), ETag revalidation
 * (304) for everything, and `immutable` caching for Vite's content-hashed files under /_astro/.
 * `isolate` adds the COOP/COEP headers that make a page cross-origin isolated (threads, see
 * docs/HOSTING.md).
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { gzip } from 'node:zlib';
import { promisify } from 'node:util';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
};

/** Already compressed: sent as they are. */
const COMPRESSED = new Set(['.png', '.woff2', '.woff']);

async function resolveFile(root: string, urlPath: string): Promise<string | undefined> {
  const clean = path.normalize(decodeURIComponent(urlPath)).replace(/^(\.\.[/\\])+/, '');
  let file = path.join(root, clean);
  if (!file.startsWith(root)) return undefined;
  try {
    if ((await stat(file)).isDirectory()) file = path.join(file, 'index.html');
    await stat(file);
    return file;
  } catch {
    return undefined;
  }
}

export interface Served {
  url: string;
  close(): Promise<void>;
}

export interface ServeExtras {
  /** Other directories under a URL prefix, e.g. { '/__bench/ort/': 'node_modules/onnxruntime-web/dist' }. */
  mounts?: Record<string, string>;
  /** In-memory files by exact path (the bench's own pages). */
  files?: Record<string, { type: string; body: string }>;
  /** Send COOP/COEP so pages are cross-origin isolated (SharedArrayBuffer, WASM threads). */
  isolate?: boolean;
}

const gzipAsync = promisify(gzip);
/** gzip of each file, by path and mtime (level 6, as hosts commonly use). */
const gzipped = new Map<string, Promise<Buffer>>();

export async function serveDir(dir: string, port = 0, extras: ServeExtras = {}): Promise<Served> {
  const root = path.resolve(dir);
  const isolation: Record<string, string> = extras.isolate
    ? {
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-embedder-policy': 'require-corp',
      }
    : {};
  const server: Server = createServer((req, res) => {
    const urlPath = new URL(req.url ?? '/', 'http://x').pathname;
    const mem = extras.files?.[urlPath];
    if (mem) {
      res
        .writeHead(200, { 'content-type': mem.type, 'cache-control': 'no-cache', ...isolation })
        .end(mem.body);
      return;
    }
    const mount = Object.entries(extras.mounts ?? {}).find(([prefix]) =>
      urlPath.startsWith(prefix),
    );
    const found = mount
      ? resolveFile(path.resolve(mount[1]), `/${urlPath.slice(mount[0].length)}`)
      : resolveFile(root, urlPath);
    void found.then(async (file) => {
      if (!file) {
        res.writeHead(404, { 'content-type': 'text/plain', ...isolation }).end('not found');
        return;
      }
      const info = await stat(file);
      const etag = `"${info.size.toString(16)}-${info.mtimeMs.toString(16)}"`;
      const ext = path.extname(file);
      const headers: Record<string, string> = {
        'content-type': TYPES[ext] ?? 'application/octet-stream',
        'cache-control': urlPath.startsWith('/_astro/')
          ? 'public, max-age=31536000, immutable'
          : 'no-cache',
        etag,
        vary: 'accept-encoding',
        ...isolation,
      };
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, headers).end();
        return;
      }
      const wantsGzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
      if (wantsGzip && !COMPRESSED.has(ext)) {
        const key = `${file}:${info.mtimeMs}`;
        let body = gzipped.get(key);
        if (!body) {
          body = readFile(file).then((b) => gzipAsync(b, { level: 6 }));
          gzipped.set(key, body);
        }
        const bytes = await body;
        res
          .writeHead(200, {
            ...headers,
            'content-encoding': 'gzip',
            'content-length': String(bytes.length),
          })
          .end(bytes);
        return;
      }
      res.writeHead(200, { ...headers, 'content-length': String(info.size) });
      createReadStream(file).pipe(res);
    });
  });
  await new Promise<void>((ok) => server.listen(port, '127.0.0.1', ok));
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actual}`,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
