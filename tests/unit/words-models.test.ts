/**
 * Chapter 2's exported models, checked through onnxruntime-node on the committed files:
 * the NNLM agrees with a plain-TypeScript forward pass computed from its own initializers,
 * gives proper distributions, fits the size budget and beats its baseline; the bigram lookup
 * is rebuilt byte for byte; training is deterministic.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelCard } from '../../src/models/card';
import { DataType } from '../../src/models/graph/proto';
import { decodeModel, tensorValues } from '../../src/models/graph/proto-read';
import { NodeSession } from '../../src/models/train/session';
import { train } from '../../src/models/train/trainer';
import { strided, wordsData, WORDS } from '../../src/models/words/data';
import { KneserNey } from '../../src/models/words/kneser-ney';
import { topBigram, topBigramGraph, topBigramProb } from '../../src/models/words/ngram';
import { buildNnlm, withLoss } from '../../src/models/words/nnlm';
import { tokenize } from '../../src/models/words/tokenizer';
import { contextOf, UNK_ID } from '../../src/models/words/vocab';

const dir = join(import.meta.dirname, '../../public/models');
const load = (id: string): { bytes: Uint8Array; card: ModelCard } => ({
  bytes: new Uint8Array(readFileSync(join(dir, `${id}.onnx`))),
  card: JSON.parse(readFileSync(join(dir, `${id}.json`), 'utf8')) as ModelCard,
});

/** The model's initializers by name (float16 ones under their float32 name), as float64. */
function weights(bytes: Uint8Array): {
  values: Map<string, Float64Array>;
  types: Map<string, number>;
} {
  const values = new Map<string, Float64Array>();
  const types = new Map<string, number>();
  for (const t of decodeModel(bytes).graph.initializers) {
    const name = t.name.replace(/__fp16$/, '');
    values.set(name, tensorValues(t));
    types.set(name, t.dataType);
  }
  return { values, types };
}

/** The NNLM forward pass in plain TypeScript, float64: [probs [V], hidden [H]] for one context. */
function forward(
  w: Map<string, Float64Array>,
  ctx: readonly number[],
  cfg: { V: number; d: number; H: number },
): { probs: number[]; hidden: number[] } {
  const get = (name: string): Float64Array => {
    const v = w.get(name);
    if (!v) throw new Error(`no initializer ${name}`);
    return v;
  };
  const [C, W1, b1, W2, b2, b] = ['C', 'W1', 'b1', 'W2', 'b2', 'b'].map(get) as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  const { V, d, H } = cfg;
  const x = ctx.flatMap((id) => Array.from(C.subarray(id * d, (id + 1) * d))); // [n d]
  const hidden = Array.from({ length: H }, (_, j) =>
    Math.tanh(x.reduce((s, xi, i) => s + xi * (W1[i * H + j] as number), b1[j] as number)),
  ); // [H]
  const Wd = w.get('Wd'); // [n d, d]: Bengio's direct connections, when the model has them
  const o = Array.from({ length: d }, (_, k) => {
    const direct = Wd ? x.reduce((s, xi, i) => s + xi * (Wd[i * d + k] as number), 0) : 0;
    return hidden.reduce(
      (s, hj, j) => s + hj * (W2[j * d + k] as number),
      (b2[k] as number) + direct,
    );
  }); // [d]
  const logits = Array.from({ length: V }, (_, v) =>
    o.reduce((s, ok, k) => s + ok * (C[v * d + k] as number), b[v] as number),
  ); // [V]
  const max = Math.max(...logits);
  const e = logits.map((l) => Math.exp(l - max));
  const z = e.reduce((s, x1) => s + x1, 0);
  return { probs: e.map((x1) => x1 / z), hidden };
}

async function runFile(
  bytes: Uint8Array,
  contexts: number[][],
  n: number,
): Promise<Record<string, Float64Array>> {
  const s = await NodeSession.create(bytes);
  const out = await s.run({
    ctx: { dtype: 'int64', data: contexts.flat(), dims: [contexts.length, n] },
  });
  await s.release();
  return out;
}

describe('nnlm (committed file)', () => {
  const { bytes, card } = load('nnlm');
  const V = card.vocabulary.length;
  const n = Number(card.config['context']);
  const d = Number(card.config['embed']);
  const H = Number(card.config['hidden']);
  const vocab = wordsData().vocab;
  const ids = (text: string): number[] => contextOf(vocab.encode(tokenize(text).tokens), n);
  const probes = [
    [0, 0, 0, 0], // the start of a sentence
    ids('the united'),
    ids('fellow citizens of the senate and'),
    ids('we must'),
    ids('zzzq qqxz'), // unknown words: <unk> <unk>
    [UNK_ID, UNK_ID, UNK_ID, UNK_ID],
    [V - 1, V - 2, V - 3, 2],
  ];

  it('is the card: vocabulary, config, size, float16 weights under 1 MB', () => {
    expect(card.vocabulary).toEqual(vocab.words);
    expect(n).toBe(WORDS.context);
    expect(bytes.length).toBe(card.file.bytes);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(card.file.sha256);
    expect(bytes.length).toBeLessThanOrEqual(1024 * 1024);
    const { values, types } = weights(bytes);
    expect(values.get('C')?.length).toBe(V * d);
    for (const name of ['C', 'W1', 'b1', 'W2', 'b2', 'b'])
      expect(types.get(name)).toBe(DataType.FLOAT16);
    expect(values.has('Wd')).toBe(card.config['direct'] === true);
    expect(ids('zzzq qqxz')).toEqual([0, 0, UNK_ID, UNK_ID]);
  });

  it('agrees with a plain-TypeScript forward pass from its own initializers', async () => {
    const out = await runFile(bytes, probes, n);
    const probs = out['probs'] as Float64Array;
    const hidden = out['hidden'] as Float64Array;
    const { values } = weights(bytes);
    probes.forEach((ctx, r) => {
      const ref = forward(values, ctx, { V, d, H });
      let sum = 0;
      for (let j = 0; j < V; j++) {
        const p = probs[r * V + j] as number;
        expect(Number.isNaN(p)).toBe(false);
        expect(p).toBeGreaterThanOrEqual(0);
        expect(Math.abs(p - (ref.probs[j] as number))).toBeLessThanOrEqual(1e-4);
        sum += p;
      }
      expect(Math.abs(1 - sum)).toBeLessThanOrEqual(1e-5);
      for (let j = 0; j < H; j++)
        expect(
          Math.abs((hidden[r * H + j] as number) - (ref.hidden[j] as number)),
        ).toBeLessThanOrEqual(1e-4);
    });
  });

  it('beats the Kneser-Ney bigram on held-out and test, and its scores are perplexities of its losses', () => {
    const kn2 = card.baselines?.find((b) => b.id === 'kn2');
    expect(kn2).toBeDefined();
    expect(card.metrics.heldOutPerplexity).toBeLessThan((kn2?.heldOutPerplexity ?? 0) * 0.95);
    expect(card.metrics.testPerplexity).toBeLessThan(kn2?.testPerplexity ?? 0);
    expect(card.metrics.heldOutPerplexity).toBeCloseTo(Math.exp(card.metrics.heldOutLoss), 9);
    // Better than knowing nothing (uniform over V words), worse than knowing everything.
    expect(card.metrics.heldOutLoss).toBeLessThan(Math.log(V));
    expect(card.metrics.heldOutLoss).toBeGreaterThan(0);
    expect(card.lossCurve.length).toBeGreaterThan(2);
  });
});

describe('ngram lookup (committed file)', () => {
  const { bytes, card } = load('ngram');

  it('is rebuilt byte for byte from the same data (deterministic), and is under 1 MB', () => {
    const d = wordsData();
    const kn = new KneserNey(2, d.vocab.size, d.train.contexts, d.train.targets);
    const k = Number(card.config['topK']);
    const { graph, probs } = topBigramGraph(topBigram(kn, k), WORDS.context);
    const rebuilt = graph.toOnnx({
      outputs: { probs },
      params: 'initializers',
      weights: 'float32',
    });
    expect(createHash('sha256').update(rebuilt).digest('hex')).toBe(card.file.sha256);
    expect(bytes.length).toBeLessThanOrEqual(1024 * 1024);
  });

  it("gives the Kneser-Ney bigram's own probabilities for each row's top words, and rows sum to 1", async () => {
    const d = wordsData();
    const V = d.vocab.size;
    const kn = new KneserNey(2, V, d.train.contexts, d.train.targets);
    const k = Number(card.config['topK']);
    const top = topBigram(kn, k);
    const prev = [0, UNK_ID, d.vocab.id('the'), d.vocab.id('united'), V - 1];
    const out = (
      await runFile(
        bytes,
        prev.map((v) => [0, 0, 0, v]),
        WORDS.context,
      )
    )['probs'] as Float64Array;
    prev.forEach((v, r) => {
      let sum = 0;
      for (let w = 0; w < V; w++) sum += out[r * V + w] as number;
      expect(Math.abs(1 - sum)).toBeLessThanOrEqual(1e-5);
      for (let j = 0; j < k; j++) {
        const w = top.ids[v * k + j] as number;
        expect(Math.abs((out[r * V + w] as number) - kn.prob([v], w))).toBeLessThanOrEqual(1e-6);
        expect(topBigramProb(top, v, w)).toBe(kn.prob([v], w));
      }
    });
  });
});

describe('nnlm training', () => {
  it('is deterministic: same seed, same data, same bytes', async () => {
    const d = wordsData();
    const small = { train: strided(d.train, 4096), heldOut: strided(d.heldOut, 512) };
    const once = async (): Promise<Uint8Array> => {
      const m = buildNnlm({
        vocab: d.vocab.size,
        context: WORDS.context,
        embed: 8,
        hidden: 16,
        tied: true,
        direct: true,
        embedInit: 0.2,
        seed: 3,
      });
      const { loss } = withLoss(m);
      await train({ graph: m.graph, loss, params: m.params }, small, {
        steps: 20,
        batch: 32,
        lr: 0.01,
        lrMin: 0.001,
        seed: 5,
        evalEvery: 10,
      });
      return m.graph.toOnnx({
        outputs: { probs: m.probs },
        params: 'initializers',
        weights: 'float16',
      });
    };
    const [a, b] = [await once(), await once()];
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });
});
