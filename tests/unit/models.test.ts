/**
 * The exported chapter-1 models, checked through onnxruntime-node on the committed files:
 * each agrees with an independent computation, gives proper distributions, and the build is
 * deterministic.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelCard } from '../../src/models/card';
import { buildModels } from '../../src/models/zoo/export';
import { decodeModel, tensorValues } from '../../src/models/graph/proto-read';
import { smoothedLogProbs } from '../../src/models/names/counts';
import { examples, loadNames } from '../../src/models/names/data';
import { buildMlp, MLP_CONFIG, withLoss } from '../../src/models/names/mlp';
import { CONTEXT, V } from '../../src/models/names/vocab';
import { NodeSession } from '../../src/models/train/session';
import { evaluate, train } from '../../src/models/train/trainer';

const dir = join(import.meta.dirname, '../../public/models');
const load = (id: string): { bytes: Uint8Array; card: ModelCard } => ({
  bytes: new Uint8Array(readFileSync(join(dir, `${id}.onnx`))),
  card: JSON.parse(readFileSync(join(dir, `${id}.json`), 'utf8')) as ModelCard,
});

/** Every context of three ids drawn from a few characters, plus all-boundary: a broad probe set. */
function probeContexts(): number[] {
  const ids = [0, 1, 5, 13, 26];
  const out: number[] = [];
  for (const a of ids) for (const b of ids) for (const c of ids) out.push(a, b, c);
  return out;
}

async function run(bytes: Uint8Array, ctx: number[]): Promise<Float64Array> {
  const s = await NodeSession.create(bytes);
  const out = await s.run({
    ctx: { dtype: 'int64', data: ctx, dims: [ctx.length / CONTEXT, CONTEXT] },
  });
  await s.release();
  return out.probs as Float64Array;
}

function expectDistributions(probs: Float64Array): void {
  for (let r = 0; r < probs.length / V; r++) {
    let sum = 0;
    for (let j = 0; j < V; j++) {
      const p = probs[r * V + j] as number;
      expect(Number.isFinite(p)).toBe(true);
      expect(p).toBeGreaterThanOrEqual(0);
      sum += p;
    }
    expect(Math.abs(1 - sum)).toBeLessThanOrEqual(1e-5);
  }
}

describe('counting models', () => {
  for (const id of ['unigram', 'bigram'] as const) {
    it(`${id}: the file equals smoothed counts from its card`, async () => {
      const { bytes, card } = load(id);
      const ctx = probeContexts();
      const probs = await run(bytes, ctx);
      expectDistributions(probs);
      const counts = card.tables?.counts;
      expect(counts).toBeDefined();
      const logp = smoothedLogProbs(counts!, Number(card.config.alpha));
      for (let r = 0; r < ctx.length / CONTEXT; r++) {
        const row = logp[
          id === 'unigram' ? 0 : (ctx[r * CONTEXT + CONTEXT - 1] as number)
        ] as number[];
        for (let j = 0; j < V; j++)
          expect(probs[r * V + j]).toBeCloseTo(Math.exp(row[j] as number), 6);
      }
    });
  }
});

describe('MLP', () => {
  it('the exported file equals a plain TypeScript forward pass on its own weights', async () => {
    const { bytes, card } = load('mlp');
    const weights = new Map(
      decodeModel(bytes).graph.initializers.map((t) => [t.name, tensorValues(t)]),
    );
    const [C, W1, b1, W2, b2] = ['C', 'W1', 'b1', 'W2', 'b2'].map((n) => weights.get(n)!);
    const { embed, hidden } = card.config as { embed: number; hidden: number };
    const ctx = probeContexts();
    const probs = await run(bytes, ctx);
    expectDistributions(probs);
    for (let r = 0; r < ctx.length / CONTEXT; r++) {
      const x = ctx
        .slice(r * CONTEXT, (r + 1) * CONTEXT)
        .flatMap((id) => Array.from(C!.subarray(id * embed, (id + 1) * embed)));
      const h = Array.from({ length: hidden }, (_, j) =>
        Math.tanh(x.reduce((s, xi, i) => s + xi * W1![i * hidden + j]!, b1![j]!)),
      );
      const logits = Array.from({ length: V }, (_, k) =>
        h.reduce((s, hj, j) => s + hj * W2![j * V + k]!, b2![k]!),
      );
      const max = Math.max(...logits);
      const z = logits.reduce((s, l) => s + Math.exp(l - max), 0);
      for (let k = 0; k < V; k++)
        expect(Math.abs(probs[r * V + k]! - Math.exp(logits[k]! - max) / z)).toBeLessThan(1e-5);
    }
  });

  it('the exported file equals the training graph forward on the same weights', async () => {
    const { bytes } = load('mlp');
    const weights = new Map(
      decodeModel(bytes).graph.initializers.map((t) => [t.name, tensorValues(t)]),
    );
    const m = buildMlp(MLP_CONFIG);
    for (const p of m.params) m.graph.setParamValues(p, weights.get(p.name)!);
    const trainer = await NodeSession.create(
      m.graph.toOnnx({ outputs: { probs: m.probs }, params: 'inputs' }),
    );
    const ctx = probeContexts();
    const feeds = Object.fromEntries(
      m.params.map((p) => [
        p.name,
        { dtype: 'float32' as const, data: m.graph.paramValues(p), dims: p.shape as number[] },
      ]),
    );
    const a = (
      await trainer.run({
        ...feeds,
        ctx: { dtype: 'int64', data: ctx, dims: [ctx.length / CONTEXT, CONTEXT] },
      })
    ).probs!;
    const b = await run(bytes, ctx);
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(1e-6);
  });

  it('a short training run takes held-out loss well below the uniform baseline ln V', async () => {
    const corpus = loadNames();
    const data = { train: examples(corpus.train), heldOut: examples(corpus.heldOut) };
    const m = buildMlp({ ...MLP_CONFIG, seed: 3 });
    const { targets, loss } = withLoss(m);
    const trainable = { graph: m.graph, ctx: m.ctx, targets, loss, params: m.params };
    const result = await train(trainable, data, {
      steps: 400,
      batch: 64,
      lr: 0.01,
      lrMin: 0.001,
      seed: 5,
      evalEvery: 200,
    });
    const first = result.curve[0]!.heldOut!;
    const last = result.curve.at(-1)!.heldOut!;
    // At initialisation the output layer is tiny, so the model starts near uniform.
    expect(Math.abs(first - Math.log(V))).toBeLessThan(0.1);
    // A unigram model alone gets ~2.85 nats; 400 steps of the MLP must at least beat 2.75.
    expect(last).toBeLessThan(Math.log(V) - 0.5);
    const evalSession = await NodeSession.create(
      m.graph.toOnnx({ outputs: { loss }, params: 'inputs' }),
    );
    expect(await evaluate(evalSession, trainable, data.heldOut)).toBeCloseTo(last, 10);
  });
});

describe('the build', () => {
  it('is deterministic: two builds give byte-identical files', async () => {
    const a = mkdtempSync(join(tmpdir(), 'models-a-'));
    const b = mkdtempSync(join(tmpdir(), 'models-b-'));
    const quiet = (): void => {};
    const ca = await buildModels({ out: a, quick: true, log: quiet });
    const cb = await buildModels({ out: b, quick: true, log: quiet });
    expect(ca.map((c) => c.file.sha256)).toEqual(cb.map((c) => c.file.sha256));
    for (const c of ca)
      expect(
        readFileSync(join(a, `${c.id}.onnx`)).equals(readFileSync(join(b, `${c.id}.onnx`))),
      ).toBe(true);
    // Two quick builds of every model (chapter 4's character LSTM reads the SOTU text too):
    // 122 s at load average ~8 on 2 cores, so 240 s.
  }, 240_000);

  it('cards agree with the committed files', async () => {
    const { checkModels } = await import('../../src/models/zoo/export');
    expect(await checkModels(dir)).toEqual([]);
  });
});
