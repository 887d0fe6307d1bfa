/**
 * Chapter 5's GPTs, on the shipped files (onnxruntime-node):
 *
 * - The formula: every head's attention from the inspect graph equals
 *   softmax(Q K^T / sqrt(d) + mask) V recomputed here, in float64 plain TypeScript, from the
 *   file's own weights (a forward pass written from the formulas of chapter 5, not from the graph
 *   builder): weights within 1e-5, log-probabilities within 1e-4. Every row sums to 1 and every
 *   future position has weight exactly 0.
 * - Packed training rows: several sequences in one row, each seeing only itself, get exactly
 *   the predictions each gets alone.
 * - One model, two graphs: the step graph (key/value cache) streamed token by token gives the
 *   inspect graph's log-probabilities at every position, and its attention row is the inspect
 *   graph's last row.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelCard } from '../../src/models/card';
import type { SequenceIo, StepIo } from '../../src/models/contract';
import { namedWeights, type NamedWeight } from '../../src/models/graph/proto-read';
import { initialState } from '../../src/models/runtime/run';
import { loadCard, modelsDir, nodeSequence, nodeStep } from '../../src/models/runtime/node';
import { inspectGraph } from '../../src/models/gpt/graphs';
import { gpt } from '../../src/models/gpt/model';
import { packedRows, predictionCount, sequenceRows, sequencesOf } from '../../src/models/positions';
import { packedSet } from '../../src/models/train/packed';
import { NodeSession } from '../../src/models/train/session';
import { sequenceSet } from '../../src/models/train/step';

type Weight = NamedWeight;

/** The file's weights by parameter name (float16 ones widened, as the graph's Cast does). */
function weightsOf(id: string): Map<string, Weight> {
  return namedWeights(readFileSync(path.join(modelsDir(), `${id}.onnx`)));
}

type Mat = Float64Array[]; // rows

/** x (rows of n) @ W (n x m, row-major) + b */
function affine(x: Mat, w: Weight, b?: Weight): Mat {
  const [n, m] = w.dims as [number, number];
  return x.map((row) => {
    const y = new Float64Array(m);
    for (let j = 0; j < m; j++) {
      let s = b ? (b.values[j] as number) : 0;
      for (let i = 0; i < n; i++) s += (row[i] as number) * (w.values[i * m + j] as number);
      y[j] = s;
    }
    return y;
  });
}

function layerNorm(x: Mat, gain: Weight, bias: Weight): Mat {
  return x.map((row) => {
    const n = row.length;
    const mean = row.reduce((a, b) => a + b, 0) / n;
    const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
    const sd = Math.sqrt(variance + 1e-5);
    return row.map(
      (u, i) => ((u - mean) / sd) * (gain.values[i] as number) + (bias.values[i] as number),
    );
  });
}

/** GELU, tanh form (Hendrycks & Gimpel 2016). */
const gelu = (u: number) =>
  0.5 * u * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (u + 0.044715 * u ** 3)));

/** The whole forward pass of one text: log-probs [T][V] and attention [L][H][T][T]. */
function forward(w: Map<string, Weight>, card: ModelCard, tokens: number[]) {
  const W = (name: string) => {
    const t = w.get(name);
    if (!t) throw new Error(`no weight ${name}`);
    return t;
  };
  const { layers, heads, width } = card.config as { layers: number; heads: number; width: number };
  const C = width;
  const d = C / heads;
  const T = tokens.length;
  const emb = W('emb.table');
  const pos = W('pos');
  let x: Mat = tokens.map((tok, t) =>
    Float64Array.from(
      { length: C },
      (_, c) => (emb.values[tok * C + c] as number) + (pos.values[t * C + c] as number),
    ),
  );
  const attention: number[][][][] = [];
  for (let l = 0; l < layers; l++) {
    const b = `block${l}.`;
    const qkv = affine(
      layerNorm(x, W(`${b}ln1.gain`), W(`${b}ln1.bias`)),
      W(`${b}att.qkv.weight`),
      W(`${b}att.qkv.bias`),
    );
    const y: Mat = x.map(() => new Float64Array(C));
    const maps: number[][][] = [];
    for (let h = 0; h < heads; h++) {
      const q = (t: number, k: number) => qkv[t]![h * d + k]!;
      const key = (t: number, k: number) => qkv[t]![C + h * d + k]!;
      const val = (t: number, k: number) => qkv[t]![2 * C + h * d + k]!;
      const map: number[][] = [];
      for (let i = 0; i < T; i++) {
        // scores over keys j <= i; the future (j > i) gets weight 0
        const s = Array.from({ length: T }, (_, j) => {
          if (j > i) return -Infinity;
          let dot = 0;
          for (let k = 0; k < d; k++) dot += q(i, k) * key(j, k);
          return dot / Math.sqrt(d);
        });
        const max = Math.max(...s);
        const e = s.map((u) => Math.exp(u - max));
        const z = e.reduce((a, b2) => a + b2, 0);
        const a = e.map((u) => u / z);
        map.push(a);
        for (let k = 0; k < d; k++) {
          let acc = 0;
          for (let j = 0; j <= i; j++) acc += (a[j] as number) * val(j, k);
          y[i]![h * d + k] = acc;
        }
      }
      maps.push(map);
    }
    attention.push(maps);
    const att = affine(y, W(`${b}att.proj.weight`), W(`${b}att.proj.bias`));
    x = x.map((row, t) => row.map((u, c) => u + att[t]![c]!));
    const hidden = affine(
      layerNorm(x, W(`${b}ln2.gain`), W(`${b}ln2.bias`)),
      W(`${b}mlp.fc.weight`),
      W(`${b}mlp.fc.bias`),
    ).map((row) => row.map(gelu));
    const m = affine(hidden, W(`${b}mlp.proj.weight`), W(`${b}mlp.proj.bias`));
    x = x.map((row, t) => row.map((u, c) => u + m[t]![c]!));
  }
  const V = card.io.vocab;
  const out = W('out.bias');
  const logprobs = layerNorm(x, W('lnf.gain'), W('lnf.bias')).map((row) => {
    // tied output: logits = LN(x) C^T + b
    const logits = Array.from({ length: V }, (_, v) => {
      let s = out.values[v] as number;
      for (let c = 0; c < C; c++) s += (row[c] as number) * (emb.values[v * C + c] as number);
      return s;
    });
    const max = Math.max(...logits);
    const lse = max + Math.log(logits.reduce((a, u) => a + Math.exp(u - max), 0));
    return logits.map((u) => u - lse);
  });
  return { logprobs, attention };
}

/** A text of T ids that is not trivial: every id of a small range, in a scrambled order. */
const text = (T: number, V: number) =>
  Array.from({ length: T }, (_, t) => (t === 0 ? 0 : (t * 37 + 11) % Math.min(V, 400)));

describe.each(['gpt-names', 'gpt-words'])('%s', (id) => {
  it('attention is softmax(Q K^T / sqrt(d) + mask), recomputed from the weights; log-probs too', async () => {
    const card = await loadCard(id);
    const io = card.io as SequenceIo;
    const { layers, heads } = card.config as { layers: number; heads: number };
    const seq = await nodeSequence(id);
    for (const T of [1, 7, io.maxLength]) {
      const tokens = text(T, io.vocab);
      const out = await seq.run([tokens], ['logprobs', 'attention']);
      const att = out['attention']!;
      expect(att.dims).toEqual([1, layers, heads, T, T]);
      const ref = forward(weightsOf(id), card, tokens);
      let worstA = 0;
      let worstP = 0;
      for (let l = 0; l < layers; l++)
        for (let h = 0; h < heads; h++)
          for (let i = 0; i < T; i++) {
            let sum = 0;
            for (let j = 0; j < T; j++) {
              const a = att.data[((l * heads + h) * T + i) * T + j] as number;
              sum += a;
              if (j > i) expect(a).toBe(0); // the mask: no weight on the future, exactly
              worstA = Math.max(worstA, Math.abs(a - ref.attention[l]![h]![i]![j]!));
            }
            expect(Math.abs(sum - 1)).toBeLessThan(1e-5);
          }
      const lp = out['logprobs']!.data;
      for (let t = 0; t < T; t++)
        for (let v = 0; v < io.vocab; v++)
          worstP = Math.max(
            worstP,
            Math.abs((lp[t * io.vocab + v] as number) - ref.logprobs[t]![v]!),
          );
      expect(worstA, `T=${T}`).toBeLessThanOrEqual(1e-5);
      expect(worstP, `T=${T}`).toBeLessThanOrEqual(1e-4);
    }
  });

  it("the step graph, streamed with its key/value cache, gives the inspect graph's predictions", async () => {
    const card = await loadCard(id);
    const io = card.io as SequenceIo;
    const { layers, heads } = card.config as { layers: number; heads: number };
    const seq = await nodeSequence(id);
    const step = await nodeStep(`${id}-step`);
    const stepIo = step.io as StepIo;
    const T = io.maxLength;
    const tokens = text(T, io.vocab);
    const whole = await seq.run([tokens], ['logprobs', 'attention']);
    let state = initialState(stepIo, 1);
    let worst = 0;
    for (let t = 0; t < T; t++) {
      const r = await step.run([tokens[t]!], state, ['attention']);
      // the cache grows by one position a step
      expect(r.state['k0']!.dims).toEqual([
        1,
        heads,
        t + 1,
        (card.config['width'] as number) / heads,
      ]);
      for (let v = 0; v < io.vocab; v++)
        worst = Math.max(
          worst,
          Math.abs(Math.log(r.probs[v]!) - whole['logprobs']!.data[t * io.vocab + v]!),
        );
      const row = r.internals['attention']!; // [1, L, H, t + 1]
      for (let l = 0; l < layers; l++)
        for (let h = 0; h < heads; h++)
          for (let j = 0; j <= t; j++)
            expect(row.data[(l * heads + h) * (t + 1) + j]).toBeCloseTo(
              whole['attention']!.data[((l * heads + h) * T + t) * T + j]!,
              5,
            );
      state = r.state;
    }
    expect(worst).toBeLessThanOrEqual(1e-4);
  });
});

describe('training on packed rows', () => {
  it('a packed row predicts each of its sequences exactly as that sequence alone', async () => {
    const model = gpt({
      vocab: 27,
      context: 16,
      layers: 2,
      heads: 2,
      width: 16,
      mlp: 32,
      embedInit: 0.5,
      seed: 5,
    });
    const packedGraph = inspectGraph(model, 'float32', { packed: true });
    const plain = inspectGraph(model);
    const packed = await NodeSession.create(
      packedGraph.graph.toOnnx({
        outputs: { logprobs: packedGraph.outputs.logprobs },
        params: 'initializers',
      }),
    );
    const alone = await NodeSession.create(
      plain.graph.toOnnx({ outputs: { logprobs: plain.outputs.logprobs }, params: 'initializers' }),
    );
    // Three names and one longer than a row (cut into windows), packed into rows of 16.
    const seqs = sequencesOf([
      [1, 2, 3],
      [5, 5, 5, 5, 5, 9],
      [4],
      Array.from({ length: 20 }, (_, k) => 1 + (k % 26)),
    ]);
    const p = packedRows(seqs, 16);
    const single = sequenceRows(seqs, 16);
    expect(p.positions).toBe(predictionCount(seqs));
    expect(p.count).toBeLessThan(single.count); // the three short ones share a row
    const set = packedSet(p);
    const all = [...Array(p.count).keys()];
    const f = set.feeds(all);
    const lpPacked = (await packed.run(f, ['logprobs']))['logprobs']!;
    const lpAlone = (
      await alone.run(sequenceSet(single).feeds([...Array(single.count).keys()]), ['logprobs'])
    )['logprobs']!;
    // Counted predictions, in order, from both: the same targets and the same log-probs.
    const pick = (lp: Float64Array, tg: Int32Array, w: Float32Array) => {
      const out: [number, number][] = [];
      for (let i = 0; i < w.length; i++) if (w[i]) out.push([tg[i]!, lp[i * 27 + tg[i]!]!]);
      return out;
    };
    const a = pick(lpPacked, p.targets, p.weights);
    const b = pick(lpAlone, single.targets, single.weights);
    expect(a.map((x) => x[0])).toEqual(b.map((x) => x[0]));
    a.forEach(([, lp], i) => expect(lp).toBeCloseTo(b[i]![1], 5));
    // and they are not trivially equal: the model does depend on the context
    expect(new Set(a.map((x) => x[1].toFixed(4))).size).toBeGreaterThan(5);
  });
});
