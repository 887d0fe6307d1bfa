/**
 * The bench's GPT page (/__bench/gpt.html, served by scripts/bench/gpt.ts): chapter 5's
 * generation on onnxruntime-web, set up as the book's runtime does it (page/kernel.ts loadOrt).
 *
 *   generation  figure 5.3's generator (src/models/gpt/generate.ts generateWords), batch 1, on
 *               WASM: with the key/value cache (gpt-words-step, one token per call), and the
 *               same generation without a cache: the same generator driven by a "step" that
 *               reruns the sequence graph (gpt-words) on every token read so far and keeps only
 *               its last position. Both read exactly the same positions (sentence resets and
 *               re-encodes included), so they draw the same text; tokens per second of each.
 *   steps       one step call of gpt-words-step at batch 1 and 16 with a cache of `cache`
 *               positions, on WASM and WebGPU (per call, median over rounds), and the largest
 *               |probs WebGPU - probs WASM|.
 */
import type { InferenceSession } from 'onnxruntime-web';
import type { Out, SequenceIo, StepIo } from '../../../src/models/contract';
import { generateWords, type GptStep } from '../../../src/models/gpt/generate';
import { initialState, runSequence, runStep, type State } from '../../../src/models/runtime/run';
import { loadOrt, time } from './kernel';

export interface GptBenchOptions {
  /** Tokens to generate (more than the context exercises the re-encode). */
  tokens: number;
  prompt: number[];
  seed: number;
  eps: ('wasm' | 'webgpu')[];
  batches: number[];
  /** Positions in the cache for the step timing. */
  cache: number;
  rounds: number;
}

export interface GenerationRun {
  tokens: number;
  seconds: number;
  tokensPerSecond: number;
  calls: number;
  reencodes: number;
  ids: number[];
}

export interface GptBenchResult {
  context: number;
  cached: GenerationRun | null;
  uncached: GenerationRun | null;
  /** The two generations drew the same tokens. */
  sameText: boolean | null;
  steps: {
    ep: 'wasm' | 'webgpu';
    batch: number;
    cache: number;
    median: number;
    p95: number;
    callsPerRound: number;
    maxAbsDiff?: number;
    error?: string;
  }[];
  error?: string;
}

interface Card {
  io: StepIo | SequenceIo;
  config: { context: number };
}

async function load(id: string): Promise<{ bytes: Uint8Array; card: Card }> {
  const [b, c] = await Promise.all([fetch(`/models/${id}.onnx`), fetch(`/models/${id}.json`)]);
  if (!b.ok || !c.ok) throw new Error(`/models/${id}: HTTP ${b.status} / ${c.status}`);
  return { bytes: new Uint8Array(await b.arrayBuffer()), card: (await c.json()) as Card };
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export async function runGpt(opts: GptBenchOptions): Promise<GptBenchResult> {
  const step = await load('gpt-words-step');
  const seq = await load('gpt-words');
  const stepIo = step.card.io as StepIo;
  const seqIo = seq.card.io as SequenceIo;
  const context = step.card.config.context;
  const result: GptBenchResult = {
    context,
    cached: null,
    uncached: null,
    sameText: null,
    steps: [],
  };
  const sessions = new Map<string, InferenceSession>();
  const gen = { temperature: 1, topK: 0, topP: 0.95, seed: opts.seed, length: opts.tokens };
  try {
    const ort = await loadOrt('wasm');
    const session = (bytes: Uint8Array) =>
      ort.InferenceSession.create(bytes, {
        executionProviders: ['wasm'],
        graphOptimizationLevel: 'all',
        logSeverityLevel: 3,
      });
    const stepS = await session(step.bytes);
    const seqS = await session(seq.bytes);
    sessions.set('wasm', stepS);
    const run = async (fn: GptStep, zero: () => State): Promise<GenerationRun> => {
      let calls = 0;
      const counted: GptStep = (t, s) => {
        calls++;
        return fn(t, s);
      };
      const t0 = performance.now();
      const r = await generateWords(counted, zero, context, opts.prompt, gen);
      const seconds = (performance.now() - t0) / 1000;
      return {
        tokens: r.ids.length,
        seconds,
        tokensPerSecond: r.ids.length / seconds,
        calls,
        reencodes: r.reencodes,
        ids: r.ids,
      };
    };
    const cachedStep: GptStep = (t, s) => runStep(ort.Tensor, stepS, stepIo, t, s);
    // Warm-up (first runs allocate), then the measured generation.
    await run(cachedStep, () => initialState(stepIo, 1));
    result.cached = await run(cachedStep, () => initialState(stepIo, 1));
    // Without a cache: the "state" is the tokens read so far; each call reruns them all.
    const V = seqIo.vocab;
    const uncachedStep: GptStep = async (t, s) => {
      const history = [...(s['history']?.data ?? []), t[0] as number];
      const out = (await runSequence(ort.Tensor, seqS, seqIo, [history]))['logprobs'] as Out;
      const last = out.data.subarray((history.length - 1) * V, history.length * V);
      return {
        probs: Float32Array.from(last, Math.exp),
        state: { history: { data: Float32Array.from(history), dims: [history.length] } },
        internals: {},
      };
    };
    const empty = (): State => ({ history: { data: new Float32Array(0), dims: [0] } });
    result.uncached = await run(uncachedStep, empty);
    result.sameText = result.cached.ids.join() === result.uncached.ids.join();
    await seqS.release();
  } catch (e) {
    result.error = message(e);
  }

  // One step call, batch B, with a cache of opts.cache positions, per EP.
  const reference = new Map<number, Float32Array>();
  for (const ep of opts.eps) {
    let s: InferenceSession;
    try {
      const ort = await loadOrt(ep);
      s =
        sessions.get(ep) ??
        (await ort.InferenceSession.create(step.bytes, {
          executionProviders: [ep],
          graphOptimizationLevel: 'all',
          logSeverityLevel: 3,
        }));
      for (const batch of opts.batches) {
        try {
          let state = initialState(stepIo, batch);
          for (let p = 0; p < opts.cache; p++)
            state = (
              await runStep(
                ort.Tensor,
                s,
                stepIo,
                Array.from({ length: batch }, (_, b) => (p === 0 ? 0 : 2 + ((p * 31 + b) % 900))),
                state,
              )
            ).state;
          const token = Array.from({ length: batch }, (_, b) => 2 + b);
          const probs = (await runStep(ort.Tensor, s, stepIo, token, state)).probs;
          const ref = reference.get(batch);
          if (!ref) reference.set(batch, probs);
          const t = await time(() => runStep(ort.Tensor, s, stepIo, token, state), opts.rounds);
          result.steps.push({
            ep,
            batch,
            cache: opts.cache,
            median: t.median,
            p95: t.p95,
            callsPerRound: t.callsPerRound,
            ...(ref
              ? { maxAbsDiff: probs.reduce((m, x, i) => Math.max(m, Math.abs(x - ref[i]!)), 0) }
              : {}),
          });
        } catch (e) {
          result.steps.push({
            ep,
            batch,
            cache: opts.cache,
            median: NaN,
            p95: NaN,
            callsPerRound: 0,
            error: message(e),
          });
        }
      }
    } catch (e) {
      result.steps.push({
        ep,
        batch: 0,
        cache: opts.cache,
        median: NaN,
        p95: NaN,
        callsPerRound: 0,
        error: message(e),
      });
    }
  }
  return result;
}

declare global {
  var __benchGpt: typeof runGpt | undefined;
}
globalThis.__benchGpt = runGpt;
