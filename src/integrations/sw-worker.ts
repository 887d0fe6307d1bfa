/**
 * The book's service worker (docs/HOSTING.md, "Offline: the service worker"). This file is not
 * bundled by Astro: src/integrations/service-worker.ts strips its types after the build, puts
 * the build's constants in front of it and writes the result to dist/sw.js. So it may import
 * nothing, and it runs as a classic script in the worker's global scope.
 *
 * Caches, both named after the build id (a hash of the precached files' contents):
 * - `chain-rule-precache-<build>`: every page and every file a page or a figure needs, fetched at
 *   install. The worker only becomes active once all of them are in: an active worker means the
 *   whole book works offline.
 * - `chain-rule-runtime-<build>`: what is fetched later and was not precached (onnxruntime's
 *   WebGPU build, which only a reader who picks WebGPU downloads; KaTeX's .woff/.ttf fallbacks).
 * On activate, every `chain-rule-*` cache of another build is deleted.
 *
 * Fetch strategy, for same-origin GET requests (anything else goes to the network untouched):
 * - Precached files, cache first. They are the files of this worker's build, immutable for it,
 *   and a page of this build then only ever gets assets of the same build, online or not.
 *   Matched without the query string: a static host serves a file whatever the query, and pages
 *   keep their state in it (`/embed/score-name/?text=emma`), Pagefind adds `?ts=`.
 * - Navigations: the precached page (`/chapters/x` also finds `/chapters/x/`); a page that is
 *   not precached from the network; offline, the precached 404 page, with status 404.
 * - Anything else: hashed `_astro/` files cache first (their name changes with their content),
 *   other files network first; both keep a copy in the runtime cache, the offline fallback.
 * - `cache: 'reload'` or `'no-store'` (src/models/runtime/web.ts asks again that way when a model's
 *   bytes do not match its card): the network, and the fresh copy replaces the cached one; the
 *   cached copy only if the network fails.
 *
 * Update policy: no skipWaiting() and no clients.claim(). A new build's worker installs (fills
 * its own cache) beside the running one and takes over only when no tab of the old one is left,
 * so a page never mixes two builds' files; the first visit's page is never taken over (it
 * loaded everything from the network). The price: a new build reaches a reader one visit late.
 */
export {};

/** Set by service-worker.ts in dist/sw.js. */
declare const __SW_BUILD__: string;
/** The precached URLs, as absolute paths (pages as `/chapters/x/`). */
declare const __SW_PRECACHE__: readonly string[];
/** The path of the page served for a navigation that is neither cached nor reachable. */
declare const __SW_OFFLINE__: string;

// The few service worker types used here (the project's TypeScript library is the DOM's).
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Response | Promise<Response>): void;
}
interface Scope {
  readonly registration: { readonly scope: string };
  addEventListener(type: 'install' | 'activate', listener: (e: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (e: FetchEvent) => void): void;
}

const sw = self as unknown as Scope;
const PREFIX = 'chain-rule-';
const PRECACHE = `${PREFIX}precache-${__SW_BUILD__}`;
const RUNTIME = `${PREFIX}runtime-${__SW_BUILD__}`;
const scope = new URL(sw.registration.scope);
const precached = new Set(__SW_PRECACHE__.map((p) => new URL(p, scope).href));
const offlinePage = new URL(__SW_OFFLINE__, scope).href;
const hashedDir = new URL('_astro/', scope).pathname;

/** The URL without its query and fragment: the key a file is cached under. */
const bare = (url: URL) => url.origin + url.pathname;

/**
 * A response the cache can hand to any request. A redirected response may not answer a
 * navigation, so its body is copied into a plain one.
 */
function storable(res: Response): Response {
  if (!res.redirected) return res;
  return new Response(res.body, { status: res.status, headers: res.headers });
}

async function precache(): Promise<void> {
  const cache = await caches.open(PRECACHE);
  // An install cut short (the tab closed) is tried again on a later visit: keep what is in.
  const have = new Set((await cache.keys()).map((r) => r.url));
  const todo = [...precached].filter((url) => !have.has(url));
  const next = async (): Promise<void> => {
    for (let url = todo.pop(); url !== undefined; url = todo.pop()) {
      // Hashed files may come from the HTTP cache (the page may just have fetched the .wasm);
      // pages, models and data keep their names across builds, so ask the server again.
      const hashed = new URL(url).pathname.startsWith(hashedDir);
      const res = await fetch(url, { cache: hashed ? 'default' : 'no-cache' });
      if (!res.ok) throw new Error(`precache: ${url}: HTTP ${res.status}`);
      await cache.put(url, storable(res));
    }
  };
  // A few at a time: the server and the reader's connection are shared with the page.
  await Promise.all(Array.from({ length: 4 }, next));
}

async function dropOtherBuilds(): Promise<void> {
  const names = await caches.keys();
  await Promise.all(
    names
      .filter((n) => n.startsWith(PREFIX) && n !== PRECACHE && n !== RUNTIME)
      .map((n) => caches.delete(n)),
  );
}

/** The cached copy of a request, if any (a page: also under its URL with a trailing slash). */
async function cached(req: Request, url: URL): Promise<Response | undefined> {
  const key = bare(url);
  const pre = await caches.open(PRECACHE);
  if (req.mode === 'navigate') {
    for (const k of [key, key.endsWith('/') ? undefined : `${key}/`]) {
      if (k && precached.has(k)) {
        const hit = await pre.match(k);
        if (hit) return hit;
      }
    }
  } else if (precached.has(key)) {
    const hit = await pre.match(key);
    if (hit) return hit;
  }
  return (await caches.open(RUNTIME)).match(req);
}

/** The network's answer, also stored: over the precached copy if it is one, else at run time. */
async function network(req: Request, url: URL, wait: (p: Promise<unknown>) => void) {
  const res = await fetch(req);
  if (res.ok && res.type === 'basic') {
    const key = bare(url);
    const copy = storable(res.clone());
    if (precached.has(key)) {
      // Awaited: the next request must find the fresh copy (web.ts's check after a mismatch).
      await (await caches.open(PRECACHE)).put(key, copy);
    } else wait((await caches.open(RUNTIME)).put(req, copy));
  }
  return res;
}

async function offline(req: Request): Promise<Response> {
  if (req.mode === 'navigate') {
    const page = await (await caches.open(PRECACHE)).match(offlinePage);
    if (page) return new Response(page.body, { status: 404, headers: page.headers });
  }
  return Response.error();
}

async function respond(e: FetchEvent, url: URL): Promise<Response> {
  const req = e.request;
  const wait = (p: Promise<unknown>) => e.waitUntil(p.catch(() => undefined));
  const bypass = req.cache === 'reload' || req.cache === 'no-store';
  const cacheFirst =
    !bypass &&
    (precached.has(bare(url)) || req.mode === 'navigate' || url.pathname.startsWith(hashedDir));
  if (cacheFirst) {
    const hit = await cached(req, url);
    if (hit) return hit;
  }
  try {
    return await network(req, url, wait);
  } catch {
    return (await cached(req, url)) ?? offline(req);
  }
}

sw.addEventListener('install', (e) => e.waitUntil(precache()));
sw.addEventListener('activate', (e) => e.waitUntil(dropOtherBuilds()));
sw.addEventListener('fetch', (e) => {
  const req = e.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== scope.origin || req.headers.has('range')) return;
  e.respondWith(respond(e, url));
});
