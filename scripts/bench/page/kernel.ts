/**
 * The bench's inference page (/__bench/kernel.html, served by scripts/bench/kernel.ts): per-call
 * latency of every model on onnxruntime-web (WASM and WebGPU), and of a plain-TypeScript
 * interpreter of the same .onnx graph (forward.ts), in this one page, on the same contexts.
 *
 * onnxruntime-web is the package's own ESM build (node_modules/onnxruntime-web/dist, served at
 * /__bench/ort/), set up as the book's runtime does it (src/models/runtime/web.ts): one thread
 * unless cross-origin isolated, graphOptimizationLevel 'all', the same .wasm per EP; a call is
 * the runtime's own runWindow (src/models/runtime/run.ts: int64 tensor in, probs copied
 * out, tensors disposed).
 *
 * Timer resolution in a page that is not cross-origin isolated is 0.1 ms, longer than a call:
 * each sample is a round of calls lasting >= ROUND_MS, divided by its number of calls.
 */
import type { InferenceSession } from 'onnxruntime-web';
import type { IoSpec, WindowIo } from '../../../src/models/contract';
import { runWindow } from '../../../src/models/runtime/run';
import { hasPlainModel, plainModel } from './forward';

type Ort = typeof import('onnxruntime-web');

export interface KernelCase {
  model: string;
  ep: 'wasm' | 'webgpu' | 'plain';
  batch: number;
  /** Per call, ms: median and p95 over rounds. */
  median: number;
  p95: number;
  rounds: number;
  callsPerRound: number;
  /** Largest |probs - ORT-WASM probs| (plain and WebGPU only). */
  maxAbsDiff?: number;
  error?: string;
}

export interface KernelOptions {
  models: string[];
  eps: ('wasm' | 'webgpu')[];
  batches: number[];
  rounds: number;
}

export const ROUND_MS = 25;

export function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? NaN;
}

/** Time `call` in rounds of >= ROUND_MS; per-call median and p95 over `rounds` rounds. */
export async function time(
  call: () => unknown,
  rounds: number,
): Promise<{ median: number; p95: number; rounds: number; callsPerRound: number }> {
  // Await only what is a promise: the plain pass is synchronous and pays no microtask.
  const once = async () => {
    const r = call();
    if (r instanceof Promise) await r;
  };
  const many = async (n: number) => {
    for (let i = 0; i < n; i++) {
      const r = call();
      if (r instanceof Promise) await r;
    }
  };
  for (let i = 0; i < 5; i++) await once(); // warm-up
  // Calls per round from the fastest of three runs of 10 calls (one slow call on a busy
  // machine must not make a round a single call, below the timer's resolution).
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    await many(10);
    best = Math.min(best, (performance.now() - t0) / 10);
  }
  const per = Math.min(1 << 16, Math.max(1, Math.ceil(ROUND_MS / Math.max(best, 0.001))));
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    await many(per);
    samples.push((performance.now() - t0) / per);
  }
  return {
    median: quantile(samples, 0.5),
    p95: quantile(samples, 0.95),
    rounds,
    callsPerRound: per,
  };
}

/** Deterministic contexts: `batch` rows of `context` ids below `vocab`, starting at <s>. */
function contexts(batch: number, context: number, vocab: number): number[][] {
  return Array.from({ length: batch }, (_, b) =>
    Array.from({ length: context }, (_, j) =>
      j < context - b ? 0 : (1 + ((b * 7919 + j * 104_729) % (vocab - 1))) % vocab,
    ),
  );
}

const maxAbs = (a: Float32Array, b: Float32Array) =>
  a.reduce((m, x, i) => Math.max(m, Math.abs(x - (b[i] as number))), 0);

export async function loadOrt(ep: 'wasm' | 'webgpu'): Promise<Ort> {
  // The book's runtime imports 'onnxruntime-web/wasm' and 'onnxruntime-web/webgpu': these files.
  const url =
    ep === 'webgpu'
      ? '/__bench/ort/ort.webgpu.bundle.min.mjs'
      : '/__bench/ort/ort.wasm.bundle.min.mjs';
  const ort = (await import(url)) as Ort;
  ort.env.wasm.numThreads = globalThis.crossOriginIsolated
    ? Math.min(4, navigator.hardwareConcurrency || 1)
    : 1;
  ort.env.wasm.wasmPaths = {
    wasm: new URL(
      ep === 'webgpu'
        ? '/__bench/ort/ort-wasm-simd-threaded.asyncify.wasm'
        : '/__bench/ort/ort-wasm-simd-threaded.wasm',
      location.href,
    ).href,
  };
  ort.env.logLevel = 'error';
  return ort;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export async function runKernels(opts: KernelOptions): Promise<KernelCase[]> {
  const out: KernelCase[] = [];
  const bytes = new Map<string, Uint8Array>();
  const ios = new Map<string, WindowIo>();
  for (const id of opts.models) {
    const res = await fetch(`/models/${id}.onnx`);
    if (!res.ok) throw new Error(`/models/${id}.onnx: HTTP ${res.status}`);
    bytes.set(id, new Uint8Array(await res.arrayBuffer()));
    // The shapes come from the card (the model contract), as in the book's runtime.
    const card = (await (await fetch(`/models/${id}.json`)).json()) as { io: IoSpec };
    // Only window models are timed here; a step model is timed by its figure (chapter 4's
    // generation, scripts/bench/generate.ts).
    if (card.io.kind === 'window') ios.set(id, card.io);
  }
  const models = opts.models.filter((id) => ios.has(id));
  /** Reference outputs (ORT WASM) by model and batch. */
  const reference = new Map<string, Float32Array>();
  for (const ep of opts.eps) {
    let ort: Ort;
    try {
      ort = await loadOrt(ep);
    } catch (e) {
      for (const model of models)
        out.push({
          model,
          ep,
          batch: 0,
          median: NaN,
          p95: NaN,
          rounds: 0,
          callsPerRound: 0,
          error: message(e),
        });
      continue;
    }
    for (const model of models) {
      let session: InferenceSession;
      try {
        session = await ort.InferenceSession.create(bytes.get(model) as Uint8Array, {
          executionProviders: [ep],
          graphOptimizationLevel: 'all',
          logSeverityLevel: 3,
        });
      } catch (e) {
        out.push({
          model,
          ep,
          batch: 0,
          median: NaN,
          p95: NaN,
          rounds: 0,
          callsPerRound: 0,
          error: message(e),
        });
        continue;
      }
      const io = ios.get(model) as WindowIo;
      for (const batch of opts.batches) {
        const ctx = contexts(batch, io.context, io.vocab);
        try {
          const probs = await runWindow(ort.Tensor, session, io, ctx);
          const key = `${model}:${batch}`;
          const ref = reference.get(key);
          if (!ref) reference.set(key, probs);
          const t = await time(() => runWindow(ort.Tensor, session, io, ctx), opts.rounds);
          out.push({ model, ep, batch, ...t, ...(ref ? { maxAbsDiff: maxAbs(probs, ref) } : {}) });
        } catch (e) {
          out.push({
            model,
            ep,
            batch,
            median: NaN,
            p95: NaN,
            rounds: 0,
            callsPerRound: 0,
            error: message(e),
          });
        }
      }
      await session.release();
    }
  }
  // The plain interpreter, on the same contexts, for every model whose ops it implements.
  for (const model of models) {
    const b = bytes.get(model) as Uint8Array;
    if (!hasPlainModel(b)) continue;
    const plain = plainModel(b);
    for (const batch of opts.batches) {
      const ctx = contexts(batch, plain.context, plain.vocab);
      const flat = Int32Array.from(ctx.flat());
      const probs = new Float32Array(batch * plain.vocab);
      plain.forward(flat, batch, probs);
      const ref = reference.get(`${model}:${batch}`);
      // The same work per call as runWindow: a fresh output array the caller may keep.
      const t = await time(() => {
        const o = new Float32Array(batch * plain.vocab);
        plain.forward(flat, batch, o);
        return o;
      }, opts.rounds);
      out.push({
        model,
        ep: 'plain',
        batch,
        ...t,
        ...(ref ? { maxAbsDiff: maxAbs(probs, ref) } : {}),
      });
    }
  }
  return out;
}

declare global {
  var __benchKernels: typeof runKernels | undefined;
}
globalThis.__benchKernels = runKernels;
