/**
 * The browser runtime: onnxruntime-web, loaded lazily (the first time a figure goes live), from
 * this site's own origin, running the same public/models/<id>.onnx the build used.
 *
 * - WASM build (`onnxruntime-web/wasm`, ~14 MB .wasm) by default; the WebGPU build
 *   (`onnxruntime-web/webgpu`, ~26 MB .wasm) only when WebGPU is chosen or being measured.
 * - Model bytes are checked against the card's sha256 before a session is created.
 * - Sessions are cached per (model, EP). Every call into one ORT build (session creation and
 *   runs) is serialised: the WebGPU build is compiled with Asyncify, which cannot have two
 *   async calls in flight at once ("memory access out of bounds" if it does).
 * - performance marks (`ort:*`) let scripts/bench.ts break the cold start down.
 */
import type { InferenceSession } from 'onnxruntime-web';
import ortWasmJsUrl from 'onnxruntime-web/wasm?url';
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import webgpuWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import { TENSOR, type IoSpec, type Out, type Predict } from '../contract';
import { epState, probeGpu, setAutoEp, setGpuLost, setModelEp, type Ep, type ModelEp } from './ep';
import { initialState, runSequence, runStep, runWindow, type State, type StepResult } from './run';

type OrtWeb = typeof import('onnxruntime-web/wasm');

/** What a figure knows about a model from its card at build time. */
export interface LiveModel {
  id: string;
  sha256: string;
  /** The card's io: which kind of model, its shapes (the runtime reads nothing else). */
  io: IoSpec;
}

export interface LivePredict extends ModelEp {
  predict: Predict;
  /** The runner behind it: every call of the model's io kind (step models: `step`). */
  runner: Runner;
}

/**
 * A live model of any kind, on one EP: the calls its io kind allows (the others throw). Every
 * call goes through the EP's queue and is timed (`ort:infer:<model>:<ep>` measures).
 */
export interface Runner {
  io: IoSpec;
  /** Window models: one output ([B * V] probs by default) for contexts [B][n]. */
  window(contexts: readonly (readonly number[])[], output?: string): Promise<Float32Array>;
  /** Sequence models: tokens [B][T] -> logprobs [B, T, V] and any internals asked for. */
  sequence(
    tokens: readonly (readonly number[])[],
    outputs?: readonly string[],
  ): Promise<Record<string, Out>>;
  /** Step models: one token per row + the state so far -> probs and the next state. */
  step(token: readonly number[], state: State, internals?: readonly string[]): Promise<StepResult>;
  /** The zero state of a step model for a batch of B. */
  initialState(batch: number): State;
}

export interface LiveRunner extends ModelEp {
  runner: Runner;
}

function mark(name: string): void {
  if (typeof performance !== 'undefined') performance.mark(name);
}

/** Cache a promise by key; forget it if it rejects, so "retry" really retries. */
function cached<T>(map: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  let p = map.get(key);
  if (!p) {
    p = make();
    map.set(key, p);
    p.catch(() => {
      if (map.get(key) === p) map.delete(key);
    });
  }
  return p;
}

/** How far the boot script of RuntimeStart.astro has got (bytes of the .wasm received). */
export interface BootState {
  loaded: number;
  total: number;
  done: boolean;
}

declare global {
  /**
   * Set by RuntimeStart.astro on pages with figures: starts the WASM build (fetch, compile, ORT's
   * initialisation) and returns the same promise on every call.
   */
  var __ortBoot: ((() => Promise<void>) & { state: BootState }) | undefined;
}

/** The boot's progress, if this page has the boot script and it has started. */
export function bootState(): BootState | undefined {
  return globalThis.__ortBoot?.state;
}

const ortModules = new Map<string, Promise<OrtWeb>>();

function importOrt(ep: Ep): Promise<OrtWeb> {
  return cached(ortModules, ep, async () => {
    mark(`ort:import:${ep}:start`);
    const ort: OrtWeb =
      ep === 'webgpu'
        ? await import('onnxruntime-web/webgpu')
        : // By URL, the URL RuntimeStart.astro imports: one module instance, started early.
          ((await import(/* @vite-ignore */ ortWasmJsUrl)) as OrtWeb);
    // These three settings are repeated by RuntimeStart.astro's inline boot script, which
    // configures the same module before any of this runs: change them together.
    // Threads need SharedArrayBuffer, i.e. a cross-origin-isolated page; otherwise one thread.
    ort.env.wasm.numThreads = globalThis.crossOriginIsolated
      ? Math.min(4, navigator.hardwareConcurrency || 1)
      : 1;
    // Our own copy of the .wasm, emitted into the site by the build (never a CDN).
    ort.env.wasm.wasmPaths = {
      wasm: new URL(ep === 'webgpu' ? webgpuWasmUrl : wasmUrl, location.href).href,
    };
    ort.env.logLevel = 'error';
    // ORT allows one initialisation at a time: start the boot if Save-Data held it back, let it
    // finish (or fail: then the first session fails the same way and says why).
    if (ep === 'wasm') await globalThis.__ortBoot?.().catch(() => undefined);
    mark(`ort:import:${ep}:end`);
    return ort;
  });
}

const modelBytes = new Map<string, Promise<Uint8Array>>();

async function sha256Hex(bytes: Uint8Array): Promise<string | undefined> {
  // crypto.subtle exists only in secure contexts (https, localhost).
  if (!globalThis.crypto?.subtle) return undefined;
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Fetch public/models/<id>.onnx and check it is the file the card describes (also for figures
 * that build graphs from a model's weights: chapter 4's gradient graphs). On a mismatch, one
 * more try past every cache (`cache: 'reload'`: the HTTP cache, and the service worker, which
 * then replaces its copy: src/integrations/sw-worker.ts), since a stale cached file is the
 * likely cause; a second mismatch throws.
 */
export function fetchModel(model: LiveModel): Promise<Uint8Array> {
  return cached(modelBytes, model.id, async () => {
    mark(`ort:model:${model.id}:fetch:start`);
    const url = `${import.meta.env.BASE_URL}models/${model.id}.onnx`;
    const get = async (init?: RequestInit) => {
      const res = await fetch(url, init);
      if (!res.ok) throw new Error(`could not fetch ${url} (HTTP ${res.status})`);
      const bytes = new Uint8Array(await res.arrayBuffer());
      return { bytes, sha: await sha256Hex(bytes) };
    };
    let { bytes, sha } = await get();
    if (sha !== undefined && sha !== model.sha256)
      ({ bytes, sha } = await get({ cache: 'reload' }));
    if (sha !== undefined && sha !== model.sha256) {
      throw new Error(
        `${url} does not match its model card (sha256 ${sha.slice(0, 12)}… ≠ ${model.sha256.slice(0, 12)}…)`,
      );
    }
    mark(`ort:model:${model.id}:fetch:end`);
    return bytes;
  });
}

interface LiveSession {
  ort: OrtWeb;
  session: InferenceSession;
}

/** Tail of the call queue of each ORT build. */
const queues: Record<Ep, Promise<unknown>> = { wasm: Promise.resolve(), webgpu: Promise.resolve() };

/** Run `fn` after every call already queued on this EP's ORT build has settled. */
function serial<T>(ep: Ep, fn: () => Promise<T>): Promise<T> {
  const run = queues[ep].then(fn);
  queues[ep] = run.catch(() => undefined);
  return run;
}

/**
 * The ORT builds whose WebAssembly runtime failed to start (.wasm missing, damaged, or blocked by
 * the page's Content-Security-Policy). onnxruntime-web remembers that for the life of the page
 * ("previous call to 'initializeWebAssembly()' failed"), so a retry in the page cannot help:
 * FigureBar then offers "Reload page" instead. Found by tests/e2e/stress/faults.spec.ts.
 */
const brokenRuntimes = new Set<Ep>();

/** True when the WASM runtime cannot start in this page any more: only a reload can retry. */
export function runtimeNeedsReload(): boolean {
  return brokenRuntimes.has('wasm');
}

/**
 * WebGPU device loss (driver reset, GPU process crash; tests destroy the device). Found by
 * tests/e2e/stress: afterwards runs fail or never settle, and the figure froze on stale numbers.
 * Now every WebGPU run races the loss, no new WebGPU session is made, and the page moves every
 * figure to WASM with the reason (mode "auto", each model's automatic choice set to WASM).
 */
let gpuLost: Promise<never> | undefined;
let gpuLostReason = '';

function watchGpuDevice(ort: OrtWeb): Promise<never> {
  // The device ORT uses: a GPUDevice, or a promise of one (it differs between ORT versions).
  const device: unknown = ort.env.webgpu.device;
  gpuLost ??= Promise.resolve(device)
    .then((d) =>
      typeof GPUDevice !== 'undefined' && d instanceof GPUDevice
        ? d.lost
        : new Promise<GPUDeviceLostInfo>(() => undefined),
    )
    .then((info) => {
      gpuLostReason = `the WebGPU device was lost${info.message ? ` (${info.message})` : ''}`;
      brokenRuntimes.add('webgpu');
      for (const cache of [sessions, bytesSessions])
        for (const key of [...cache.keys()]) if (key.startsWith('webgpu:')) cache.delete(key);
      const s = epState();
      const note = `auto: ${gpuLostReason}; switched to WASM`;
      for (const id of Object.keys(s.models)) setAutoEp(id, { ep: 'wasm', note });
      setGpuLost(gpuLostReason);
      throw new Error(gpuLostReason);
    });
  gpuLost.catch(() => undefined);
  return gpuLost;
}

async function createSession(
  ort: OrtWeb,
  ep: Ep,
  bytes: Uint8Array,
  options: InferenceSession.SessionOptions,
): Promise<InferenceSession> {
  if (ep === 'webgpu' && brokenRuntimes.has('webgpu'))
    throw new Error(gpuLostReason || 'WebGPU could not start in this page');
  const session = await ort.InferenceSession.create(bytes, options).catch((e: unknown) => {
    // ORT's wording when no backend could initialise (onnxruntime-common backend-impl.ts).
    if (/no available backend found/.test(message(e))) brokenRuntimes.add(ep);
    throw e;
  });
  if (ep === 'webgpu') {
    const lost = watchGpuDevice(ort);
    const run = session.run.bind(session) as (...args: unknown[]) => Promise<unknown>;
    // Never call into ORT's WebGPU build again once the device is gone: it can spin forever.
    Object.assign(session, {
      run: (...args: unknown[]) =>
        brokenRuntimes.has('webgpu') ? lost : Promise.race([run(...args), lost]),
    });
  }
  return session;
}

const sessions = new Map<string, Promise<LiveSession>>();

function loadSession(model: LiveModel, ep: Ep): Promise<LiveSession> {
  return cached(sessions, `${ep}:${model.id}`, async () => {
    const [ort, bytes] = await Promise.all([importOrt(ep), fetchModel(model)]);
    const session = await serial(ep, async () => {
      mark(`ort:session:${model.id}:${ep}:start`);
      const s = await createSession(ort, ep, bytes, {
        executionProviders: [ep],
        graphOptimizationLevel: 'all',
        logSeverityLevel: 3, // errors only: ORT's warnings go to console.error otherwise
      });
      mark(`ort:session:${model.id}:${ep}:end`);
      return s;
    });
    return { ort, session };
  });
}

function runnerFor(live: LiveSession, model: LiveModel, ep: Ep): Runner {
  let first = true;
  const { io } = model;
  const timed = <T>(batch: number, call: () => Promise<T>): Promise<T> =>
    serial(ep, async () => {
      if (first) mark(`ort:run:${model.id}:${ep}:start`);
      const t0 = performance.now();
      const out = await call();
      // One entry per call (scripts/bench.ts reads them): `ort:infer:<model>:<ep>`.
      performance.measure(`ort:infer:${model.id}:${ep}`, { start: t0, detail: batch });
      if (first) mark(`ort:run:${model.id}:${ep}:end`);
      first = false;
      return out;
    });
  const wrongKind = (kind: string) =>
    Promise.reject(new Error(`model ${model.id} is a ${io.kind} model, not a ${kind} model`));
  const T = live.ort.Tensor;
  return {
    io,
    window: (contexts, output = TENSOR.probs) =>
      io.kind === 'window'
        ? timed(contexts.length, () => runWindow(T, live.session, io, contexts, output))
        : wrongKind('window'),
    sequence: (tokens, outputs) =>
      io.kind === 'sequence'
        ? timed(tokens.length, () => runSequence(T, live.session, io, tokens, outputs))
        : wrongKind('sequence'),
    step: (token, state, internals) =>
      io.kind === 'step'
        ? timed(token.length, () => runStep(T, live.session, io, token, state, internals))
        : wrongKind('step'),
    initialState: (batch) => {
      if (io.kind !== 'step') throw new Error(`model ${model.id} has no state`);
      return initialState(io, batch);
    },
  };
}

/**
 * A typical call of a model's kind, for the smoke test and for timing EPs against each other:
 * window, 8 contexts (a 7-letter name); sequence, one row of up to 16 tokens; step, one token.
 * Ids below 27 are valid in every vocabulary of the book.
 */
async function typicalCall(runner: Runner, batch = 8): Promise<Float32Array> {
  const { io } = runner;
  const id = (i: number, j: number) => (j === 0 ? 0 : (i * (6 * j - 1)) % Math.min(27, io.vocab));
  if (io.kind === 'window')
    return runner.window(
      Array.from({ length: batch }, (_, i) =>
        Array.from({ length: io.context }, (_, j) => id(i, j)),
      ),
    );
  if (io.kind === 'sequence') {
    const T = Math.min(16, io.maxLength);
    const out = await runner.sequence([Array.from({ length: T }, (_, j) => id(1, j))]);
    return (out[TENSOR.logprobs] as Out).data.map(Math.exp);
  }
  return (await runner.step([0], runner.initialState(1))).probs;
}

/** A session on `ep` that has answered one real query (WebGPU can fail only at run time). */
async function readyRunner(model: LiveModel, ep: Ep): Promise<Runner> {
  const live = await loadSession(model, ep);
  const runner = runnerFor(live, model, ep);
  const probs = await typicalCall(runner, 1);
  if (!probs.every(Number.isFinite)) throw new Error(`${ep} returned non-finite probabilities`);
  return runner;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * A live runner for `model` on the EP the page currently wants:
 * - mode 'wasm': WASM.
 * - mode 'webgpu' (select or ?ep=webgpu): WebGPU, else WASM with the reason.
 * - mode 'auto': WASM at once; in the background, WebGPU is measured (see autoDecide) and used
 *   from then on only if there is a hardware adapter and it is at least as fast for this model.
 */
export async function liveModel(model: LiveModel): Promise<LiveRunner> {
  const { mode, auto } = epState();
  const want: Ep = mode === 'auto' ? (auto[model.id]?.ep ?? 'wasm') : mode;
  let result: LiveRunner;
  if (want === 'webgpu') {
    try {
      result = {
        runner: await readyRunner(model, 'webgpu'),
        ep: 'webgpu',
        note: mode === 'auto' ? (auto[model.id]?.note ?? '') : 'chosen',
      };
    } catch (e) {
      const runner = await readyRunner(model, 'wasm');
      result = { runner, ep: 'wasm', note: `WebGPU failed (${message(e)}); fell back to WASM` };
    }
  } else {
    const note =
      mode === 'auto'
        ? (auto[model.id]?.note ?? 'auto: checking whether WebGPU is faster')
        : 'chosen';
    result = { runner: await readyRunner(model, 'wasm'), ep: 'wasm', note };
  }
  setModelEp(model.id, { ep: result.ep, note: result.note });
  if (mode === 'auto' && !auto[model.id]) scheduleAutoDecide(model);
  return result;
}

/** A live Predict for a window model (liveModel's runner, probabilities only), and the runner. */
export async function livePredict(model: LiveModel): Promise<LivePredict> {
  const { runner, ep, note } = await liveModel(model);
  return { predict: (contexts) => runner.window(contexts), runner, ep, note };
}

/**
 * Another output of a live window model (e.g. the NNLM's hidden layer `hidden` [B * H]), on the
 * session and EP its Predict already uses (`ep` from the figure's live status).
 */
export async function liveOutput(model: LiveModel, ep: Ep, output: string): Promise<Predict> {
  const runner = runnerFor(await loadSession(model, ep), model, ep);
  return (contexts) => runner.window(contexts, output);
}

// ---------------------------------------------------------------------------------------------
// Automatic choice: measure, on this device, the same batch on both EPs.

const AUTO_KEY = 'chain-rule:auto-ep:v1';
const autoPending = new Set<string>();

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

/** Median wall time (ms) of one typical call of the model's kind (see typicalCall). */
async function timeCalls(runner: Runner, runs = 15): Promise<number> {
  for (let i = 0; i < 3; i++) await typicalCall(runner);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await typicalCall(runner);
    times.push(performance.now() - t0);
  }
  return median(times);
}

function readAutoCache(): Record<string, ModelEp> {
  try {
    return JSON.parse(localStorage.getItem(AUTO_KEY) ?? '{}') as Record<string, ModelEp>;
  } catch {
    return {};
  }
}

async function autoDecide(model: LiveModel): Promise<ModelEp> {
  const gpu = await probeGpu();
  if (!gpu.usable) return { ep: 'wasm', note: `auto: ${gpu.description}` };
  const key = `${model.sha256}:${gpu.description}`;
  const hit = readAutoCache()[key];
  if (hit) return hit;
  let decision: ModelEp;
  try {
    const wasmMs = await timeCalls(await readyRunner(model, 'wasm'));
    const gpuMs = await timeCalls(await readyRunner(model, 'webgpu'));
    const ep: Ep = gpuMs <= wasmMs ? 'webgpu' : 'wasm';
    // In words a reader follows: which processor, how long, which one runs the figure now.
    decision = {
      ep,
      note: `auto: measured on this device, the GPU takes ${gpuMs.toFixed(2)} ms per call and the CPU ${wasmMs.toFixed(2)} ms, so the ${ep === 'webgpu' ? 'GPU (WebGPU)' : 'CPU (WASM)'} runs it`,
    };
  } catch (e) {
    decision = { ep: 'wasm', note: `auto: WebGPU failed (${message(e)})` };
  }
  try {
    localStorage.setItem(AUTO_KEY, JSON.stringify({ ...readAutoCache(), [key]: decision }));
  } catch {
    // Storage may be disabled; the decision then holds for this page only.
  }
  return decision;
}

function scheduleAutoDecide(model: LiveModel): void {
  if (autoPending.has(model.id)) return;
  autoPending.add(model.id);
  const start = () => {
    void autoDecide(model).then((d) => setAutoEp(model.id, d));
  };
  // After the figures are live and the page is idle: the measurement must not delay them.
  if ('requestIdleCallback' in globalThis) requestIdleCallback(start, { timeout: 3000 });
  else setTimeout(start, 1000);
}

// ---------------------------------------------------------------------------------------------
// Sessions over ONNX bytes built in the page (chapter 3 builds its training graphs with the graph
// builder + autodiff right here): same ORT module, .wasm files and per-EP cache as model files.

export interface BytesSession {
  ort: OrtWeb;
  session: InferenceSession;
  /** Queue a run behind every other call on this EP's ORT build (see `serial`). */
  serial: <T>(fn: () => Promise<T>) => Promise<T>;
}

const bytesSessions = new Map<string, Promise<BytesSession>>();

/** A cached session for `key` on `ep`; `make` builds the ONNX bytes the first time only. */
export function bytesSession(key: string, ep: Ep, make: () => Uint8Array): Promise<BytesSession> {
  return cached(bytesSessions, `${ep}:${key}`, async () => {
    const ort = await importOrt(ep);
    // Created one at a time, like model sessions (WebGPU refuses two creations at once).
    const session = await serial(ep, async () => {
      mark(`ort:session:${key}:${ep}:start`);
      const s = await createSession(ort, ep, make(), {
        executionProviders: [ep],
        graphOptimizationLevel: 'all',
        logSeverityLevel: 3, // errors only: ORT's warnings go to console.error otherwise
      });
      mark(`ort:session:${key}:${ep}:end`);
      return s;
    });
    return { ort, session, serial: (fn) => serial(ep, fn) };
  });
}
