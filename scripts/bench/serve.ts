/**
 * A minimal static file server for a built site (dist/): enough for benchmarks and local checks
 * without `astro preview` (which allows one instance per project). Loopback only.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

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
}

export async function serveDir(dir: string, port = 0, extras: ServeExtras = {}): Promise<Served> {
  const root = path.resolve(dir);
  const server: Server = createServer((req, res) => {
    const urlPath = new URL(req.url ?? '/', 'http://x').pathname;
    const mem = extras.files?.[urlPath];
    if (mem) {
      res.writeHead(200, { 'content-type': mem.type, 'cache-control': 'no-cache' }).end(mem.body);
      return;
    }
    const mount = Object.entries(extras.mounts ?? {}).find(([prefix]) =>
      urlPath.startsWith(prefix),
    );
    const found = mount
      ? resolveFile(path.resolve(mount[1]), `/${urlPath.slice(mount[0].length)}`)
      : resolveFile(root, urlPath);
    void found.then((file) => {
      if (!file) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      res.writeHead(200, {
        'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-cache',
      });
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
