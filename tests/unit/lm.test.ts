/**
 * Scoring and sampling (src/models/names/lm.ts) on the real exported models, through the
 * build-time runtime (onnxruntime-node). Expected values come from definitions (the chain rule,
 * the card's count tables and smoothing), not from earlier runs.
 */
import { describe, expect, it } from 'vitest';
import {
  MAX_SCORED_CHARS,
  MIN_TEMPERATURE,
  sampleNames,
  scoreName,
  temperatureWeights,
  type NameScore,
  type Predict,
} from '../../src/models/names/lm';
import { V, VOCAB, contextsFor, encodeName } from '../../src/models/names/vocab';
import { loadCard, nodePredict } from '../../src/models/runtime/node';

const MODELS = ['unigram', 'bigram', 'mlp'] as const;

function allNumbers(s: NameScore): number[] {
  return [
    s.logProbNats,
    s.logProbBits,
    s.perplexity,
    ...s.predictions.flatMap((p) => [p.p, p.surprisalBits]),
  ];
}

describe.each(MODELS)('scoreName with %s', (id) => {
  it('totals are the sums of the per-character log-probabilities', async () => {
    const predict = await nodePredict(id);
    for (const name of ['emma', 'x', 'alexandria', 'zzzzq']) {
      const s = await scoreName(predict, name);
      expect(s.predictions).toHaveLength(name.length + 1);
      const sum = s.predictions.reduce((acc, p) => acc + Math.log(p.p), 0);
      expect(s.logProbNats).toBeCloseTo(sum, 10);
      expect(s.logProbBits).toBeCloseTo(sum / Math.LN2, 10);
      expect(s.perplexity).toBeCloseTo(Math.exp(-sum / (name.length + 1)), 10);
      for (const p of s.predictions) expect(p.surprisalBits).toBeCloseTo(-Math.log2(p.p), 10);
      expect(s.predictions.map((p) => p.target).join('')).toBe(`${name}.`);
    }
  });

  it('one batched call gives the same numbers as one call per position', async () => {
    const predict = await nodePredict(id);
    const { contexts, targets } = contextsFor(encodeName('sophia').ids);
    const batched = await predict(contexts);
    for (let b = 0; b < contexts.length; b++) {
      const single = await predict([contexts[b] as number[]]);
      for (let v = 0; v < V; v++) expect(single[v]).toBeCloseTo(batched[b * V + v] as number, 6);
    }
    const s = await scoreName(predict, 'sophia');
    s.predictions.forEach((p, b) => expect(p.p).toBe(batched[b * V + (targets[b] as number)]));
  });

  it('every output row is a distribution', async () => {
    const predict = await nodePredict(id);
    const contexts = Array.from({ length: V }, (_, i) => [i, (i * 7) % V, (i * 13) % V]);
    const out = await predict(contexts);
    for (let b = 0; b < V; b++) {
      const row = out.subarray(b * V, (b + 1) * V);
      expect(row.every((p) => p > 0 && p < 1)).toBe(true);
      expect(row.reduce((a, x) => a + x, 0)).toBeCloseTo(1, 5);
    }
  });
});

describe('scoreName on awkward input', () => {
  it('never throws and never produces NaN', async () => {
    const predict = await nodePredict('mlp');
    const inputs = [
      '',
      '   ',
      '😀',
      '漢字',
      '123',
      'Emma 7',
      'a'.repeat(10_000),
      '\u{1F468}\u200D\u{1F469}',
      '\uD800',
      '....',
      '\n\t',
    ];
    for (const raw of inputs) {
      const s = await scoreName(predict, raw);
      expect(allNumbers(s).some(Number.isNaN), JSON.stringify(raw)).toBe(false);
      expect(s.predictions.length).toBeGreaterThanOrEqual(1);
    }
  });

  it('empty and spaces-only score the empty name: one factor, P(end | start)', async () => {
    const predict = await nodePredict('bigram');
    const startRow = await predict([[0, 0, 0]]);
    for (const raw of ['', '    ']) {
      const s = await scoreName(predict, raw);
      expect(s.predictions).toHaveLength(1);
      expect(s.predictions[0]?.target).toBe('.');
      expect(s.predictions[0]?.p).toBe(startRow[0]);
      expect(s.logProbNats).toBeCloseTo(Math.log(startRow[0] as number), 10);
    }
    expect((await scoreName(predict, '  ')).encoded.dropped).toEqual([' ']);
  });

  it('reports lowercased and ignored characters, and scores the rest', async () => {
    const predict = await nodePredict('mlp');
    const s = await scoreName(predict, 'EmMa 7😀漢');
    expect(s.scored).toBe('emma');
    expect(s.encoded.lowercased.sort()).toEqual(['E', 'M']);
    expect(s.encoded.dropped).toEqual([' ', '7', '😀', '漢']);
    const clean = await scoreName(predict, 'emma');
    expect(s.logProbNats).toBe(clean.logProbNats);
  });

  it(`cuts at ${MAX_SCORED_CHARS} letters and says so`, async () => {
    const predict = await nodePredict('unigram');
    const s = await scoreName(predict, 'ab'.repeat(5_000));
    expect(s.truncated).toBe(true);
    expect(s.scored).toHaveLength(MAX_SCORED_CHARS);
    expect(s.predictions).toHaveLength(MAX_SCORED_CHARS + 1);
    expect(s.encoded.ids).toHaveLength(10_000);
    expect(Number.isFinite(s.logProbNats)).toBe(true);
  });

  it('a model that returns the wrong shape is an error, not a wrong number', async () => {
    const broken: Predict = async () => new Float32Array(5);
    await expect(scoreName(broken, 'emma')).rejects.toThrow(/expected/);
  });
});

describe('the count models are their count tables', () => {
  it.each(['unigram', 'bigram'] as const)(
    '%s: P(next | prev) = (count + alpha) / (row total + 27 alpha)',
    async (id) => {
      const card = await loadCard(id);
      const alpha = Number(card.config['alpha']);
      const counts = card.tables?.['counts'];
      expect(counts, 'card.tables.counts').toBeDefined();
      const predict = await nodePredict(id);
      const out = await predict(Array.from({ length: V }, (_, r) => [0, 0, r]));
      for (let r = 0; r < V; r++) {
        const row = (id === 'bigram' ? counts?.[r] : counts?.[0]) ?? [];
        const total = row.reduce((a, b) => a + b, 0);
        for (let c = 0; c < V; c++) {
          const expected = ((row[c] ?? NaN) + alpha) / (total + V * alpha);
          expect(out[r * V + c]).toBeCloseTo(expected, 6);
        }
      }
    },
  );
});

describe('sampleNames', () => {
  it('same seed, same names; another seed, other names', async () => {
    const predict = await nodePredict('mlp');
    const opts = { count: 20, temperature: 1, seed: 3 };
    const a = await sampleNames(predict, opts);
    const b = await sampleNames(predict, opts);
    expect(a).toEqual(b);
    expect(a).toHaveLength(20);
    const c = await sampleNames(predict, { ...opts, seed: 4 });
    expect(c.map((n) => n.name)).not.toEqual(a.map((n) => n.name));
    for (const n of a) expect(n.name).toMatch(/^[a-z]*$/);
  });

  it('temperature ~0 is greedy: the same name for every seed, each step the argmax', async () => {
    const predict = await nodePredict('bigram');
    const x = await sampleNames(predict, { count: 3, temperature: 0, seed: 1, maxLen: 12 });
    const y = await sampleNames(predict, {
      count: 3,
      temperature: MIN_TEMPERATURE / 2,
      seed: 99,
      maxLen: 12,
    });
    expect(new Set([...x, ...y].map((n) => n.name)).size).toBe(1);
    // Walk the argmax by hand.
    let ctx = [0, 0, 0];
    let name = '';
    for (let i = 0; i < 12; i++) {
      const row = Array.from(await predict([ctx]));
      const next = row.indexOf(Math.max(...row));
      if (next === 0) break;
      name += VOCAB[next];
      ctx = [...ctx.slice(1), next];
    }
    expect(x[0]?.name).toBe(name);
  });

  it('respects maxLen and count, and marks cut names', async () => {
    const predict = await nodePredict('unigram');
    const names = await sampleNames(predict, { count: 7, temperature: 2, seed: 5, maxLen: 3 });
    expect(names).toHaveLength(7);
    for (const n of names) {
      expect(n.name.length).toBeLessThanOrEqual(3);
      if (n.name.length < 3) expect(n.cut).toBe(false);
    }
    expect(await sampleNames(predict, { count: 0, temperature: 1, seed: 1 })).toEqual([]);
  });
});

describe('temperatureWeights', () => {
  it('is p^(1/T) up to a constant', () => {
    const p = [0.5, 0.3, 0.2, 0];
    for (const t of [0.5, 1, 2]) {
      const w = temperatureWeights(p, t);
      const ratio = (w[1] as number) / (w[0] as number);
      expect(ratio).toBeCloseTo((0.3 / 0.5) ** (1 / t), 12);
      expect(w[3]).toBe(0);
    }
  });

  it('guards T -> 0 and rows with nothing usable', () => {
    expect(Array.from(temperatureWeights([0.2, 0.7, 0.1], 0))).toEqual([0, 1, 0]);
    expect(Array.from(temperatureWeights([0.2, 0.7, 0.1], 1e-9))).toEqual([0, 1, 0]);
    expect(Array.from(temperatureWeights([NaN, 0, -1], 1))).toEqual([1, 0, 0]);
    const tiny = temperatureWeights([1e-30, 2e-30], 0.02);
    expect(tiny.every(Number.isFinite)).toBe(true);
    expect(tiny[1]).toBe(1);
  });
});
