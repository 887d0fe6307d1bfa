/**
 * Faults injected with page.route / init scripts, for tests/e2e/stress/faults.spec.ts. Each one
 * breaks something a figure needs on its way to live: its own files (`kind: 'file'`: a figure
 * can retry them in the same page) or onnxruntime's .wasm (`kind: 'runtime'`: onnxruntime
 * remembers the failure, only a reload retries). `Faults` swaps which one is active, so a test
 * can meet them one after another in one page.
 */
import type { Page, Route } from '@playwright/test';

export interface Fault {
  name: string;
  /** What the reader's browser or server did wrong. */
  what: string;
  /** Console errors the fault itself provokes (a 404 is logged by the browser). */
  errors: RegExp[];
  /** What it breaks: a figure's own files, or the runtime every figure shares. */
  kind: 'file' | 'runtime';
  /** Which URLs it applies to. */
  matches(url: URL): boolean;
  /** Only for figures that load model files (the sha256 check is theirs). */
  modelsOnly?: boolean;
  /**
   * Also on whole chapter pages (many figures failing at once, the page around them working).
   * Every file fault meets every figure on its embed page, and chapters, the slowest pages to
   * load, get one (file-404). The runtime is one per page, whatever the figure: its faults are
   * met on the chapter pages, where every figure of the book meets them.
   */
  onChapters?: boolean;
  /** Answer a matching request. */
  answer(route: Route): Promise<void>;
}

/** Files the figures fetch when they go live: model files and build-time data. */
const figureFile = (u: URL) => /\/models\/[^/]+\.onnx$|\/data\/[^/]+$/.test(u.pathname);
const wasm = (u: URL) => u.pathname.endsWith('.wasm');
const model = (u: URL) => /\/models\/[^/]+\.onnx$/.test(u.pathname);

/** The real bytes, cut to half: a download that stopped early. */
async function truncated(route: Route): Promise<void> {
  const res = await route.fetch();
  const body = await res.body();
  await route.fulfill({ response: res, body: body.subarray(0, Math.floor(body.length / 2)) });
}

const FAILED_LOAD = /Failed to load resource|status of 404/;
/** What onnxruntime-web (Emscripten) logs when its .wasm cannot be loaded or compiled. */
const WASM_FAILED =
  /wasm|WebAssembly|backend|ArrayBuffer instantiation|Aborted|both async and sync/i;

export const FAULTS: Fault[] = [
  {
    name: 'file-404',
    kind: 'file',
    what: 'every model and data file answers 404',
    errors: [FAILED_LOAD],
    matches: figureFile,
    onChapters: true,
    answer: (route) => route.fulfill({ status: 404, body: 'not found' }),
  },
  {
    name: 'file-truncated',
    kind: 'file',
    what: 'every model and data file arrives cut in half',
    errors: [],
    matches: figureFile,
    answer: truncated,
  },
  {
    name: 'model-sha256',
    kind: 'file',
    what: "each model file is another model's (valid ONNX, wrong sha256 for its card)",
    errors: [],
    matches: model,
    modelsOnly: true,
    answer: async (route) => {
      // unigram <- bigram <- mlp <- unigram: real models, each in the wrong place.
      const u = new URL(route.request().url());
      const swap: Record<string, string> = { unigram: 'bigram', bigram: 'mlp', mlp: 'unigram' };
      const id = u.pathname.replace(/^.*\/models\/|\.onnx$/g, '');
      u.pathname = u.pathname.replace(/[^/]+\.onnx$/, `${swap[id] ?? 'unigram'}.onnx`);
      const res = await route.fetch({ url: u.href });
      await route.fulfill({ response: res });
    },
  },
  {
    name: 'wasm-404',
    kind: 'runtime',
    what: "onnxruntime's .wasm answers 404",
    errors: [FAILED_LOAD, WASM_FAILED],
    matches: wasm,
    onChapters: true,
    answer: (route) => route.fulfill({ status: 404, body: 'not found' }),
  },
  {
    name: 'wasm-truncated',
    kind: 'runtime',
    what: "onnxruntime's .wasm arrives cut in half",
    errors: [WASM_FAILED],
    onChapters: true,
    matches: wasm,
    answer: truncated,
  },
];

/**
 * One route on the page that answers as the active fault, or lets the request through: tests
 * switch faults between the steps of one page's life instead of loading a page per fault.
 * `hits` lists the URLs the active fault broke since it was set.
 */
export class Faults {
  private current: Fault | undefined;
  hits: string[] = [];

  /** The fault now in force, if any. */
  get active(): Fault | undefined {
    return this.current;
  }

  private constructor() {}

  static async on(page: Page): Promise<Faults> {
    const faults = new Faults();
    await page.route(
      (u) => FAULTS.some((f) => f.matches(u)),
      async (route) => {
        const fault = faults.current;
        if (!fault || !fault.matches(new URL(route.request().url()))) return route.fallback();
        faults.hits.push(route.request().url());
        await fault.answer(route);
      },
    );
    return faults;
  }

  /** Break what `fault` breaks from now on; `undefined` lets everything through. */
  set(fault: Fault | undefined): void {
    this.current = fault;
    this.hits = [];
  }
}

/**
 * A Content-Security-Policy header without 'wasm-unsafe-eval', as a host that sends one sends
 * it: on every HTML document and every script. Scripts matter for workers: a dedicated worker
 * (chapter 3 trains in one) is governed by its own script's policy, not by the page's. The
 * page's scripts run; WebAssembly may not be compiled, in the page or in its workers. (The
 * site's own meta CSP, if any, still applies too: a browser enforces both.) Returns what lifts
 * it.
 */
export async function blockWasmByCsp(page: Page): Promise<() => Promise<void>> {
  const targets = (u: URL) =>
    !/\.[a-z0-9]+$/i.test(u.pathname) || /\.(html|m?js)$/.test(u.pathname);
  const handler = async (route: Route) => {
    const res = await route.fetch();
    await route.fulfill({
      response: res,
      headers: {
        ...res.headers(),
        'content-security-policy': "script-src 'self' 'unsafe-inline'",
      },
    });
  };
  await page.route(targets, handler);
  // Lifts the policy for the next documents.
  return () => page.unroute(targets, handler);
}

export const CSP_WASM_ERRORS = [/wasm-unsafe-eval|Content Security Policy/i, WASM_FAILED];

/** No WebGPU at all: `navigator.gpu` does not exist (an older or locked-down browser). */
export const NO_WEBGPU_SCRIPT = 'delete Navigator.prototype.gpu;';
