/**
 * The page-side pieces that need no browser: URL-state codecs of every figure, number
 * formatting (never "NaN"), the input report, and keystroke coalescing.
 */
import { describe, expect, it } from 'vitest';
import { bigramTableMeta } from '../../src/components/ch1/bigram-table/meta';
import { flatCounts, shadeOf } from '../../src/components/ch1/bigram-table/table';
import type { FigureMeta } from '../../src/components/ui/meta';
import { sampleNamesMeta } from '../../src/components/ch1/sample-names/meta';
import { scoreNameMeta } from '../../src/components/ch1/score-name/meta';
import { inputReport } from '../../src/components/ch1/score-name/ScoreNameIsland';
import { fmtFixed, fmtInt, fmtProb, listChars } from '../../src/components/ui/format';
import { latestOnly } from '../../src/components/ui/latest';
import { scoreName } from '../../src/models/names/lm';
import { V } from '../../src/models/names/vocab';
import { nodePredict } from '../../src/models/runtime/node';

function roundTrip<S>(meta: FigureMeta<S>, state: S): void {
  expect(meta.parse(new URLSearchParams(meta.serialize(state).toString()))).toEqual(state);
}

describe('figure URL state', () => {
  it('parse(serialize(s)) = s', () => {
    roundTrip(scoreNameMeta, scoreNameMeta.defaults);
    roundTrip(scoreNameMeta, { text: 'Émma & 😀 ?x=1', model: 'bigram' });
    roundTrip(sampleNamesMeta, sampleNamesMeta.defaults);
    roundTrip(sampleNamesMeta, { model: 'unigram', t: 0.35, seed: 4_000_000_000, n: 5 });
    roundTrip(bigramTableMeta, bigramTableMeta.defaults);
    roundTrip(bigramTableMeta, { view: 'probs', cell: [0, 26] });
  });

  it('the documented examples parse as written', () => {
    expect(scoreNameMeta.parse(new URLSearchParams('text=emma&model=mlp'))).toEqual({
      text: 'emma',
      model: 'mlp',
    });
    expect(sampleNamesMeta.parse(new URLSearchParams('model=mlp&t=0.8&seed=3'))).toEqual({
      model: 'mlp',
      t: 0.8,
      seed: 3,
      n: sampleNamesMeta.defaults.n,
    });
  });

  it('garbage falls back to defaults, out-of-range values are clamped', () => {
    const junk = new URLSearchParams('model=gpt&t=hot&seed=-5&n=1e9&view=3d&cell=abc');
    expect(scoreNameMeta.parse(junk).model).toBe('all');
    expect(sampleNamesMeta.parse(junk)).toEqual({ ...sampleNamesMeta.defaults, seed: 0, n: 100 });
    expect(bigramTableMeta.parse(junk)).toEqual(bigramTableMeta.defaults);
    expect(sampleNamesMeta.parse(new URLSearchParams('t=9')).t).toBe(2);
    expect(
      scoreNameMeta.parse(new URLSearchParams(`text=${'x'.repeat(20_000)}`)).text,
    ).toHaveLength(10_000);
  });
});

describe('formatting', () => {
  it('never prints NaN or Infinity', () => {
    for (const x of [NaN, Infinity, -Infinity, 0, 1e-12, 0.5, 123456.789]) {
      for (const s of [fmtProb(x), fmtFixed(x), fmtInt(x)]) expect(s).not.toMatch(/NaN|Infinity/);
    }
    expect(fmtFixed(Infinity)).toBe('∞');
    expect(fmtProb(0.0000321)).toBe('3.21e\u22125');
    expect(fmtProb(0.10794)).toBe('0.1079');
    expect(fmtFixed(-17.857)).toBe('\u221217.86');
  });

  it('names awkward characters', () => {
    expect(listChars([' ', '7', '😀', '漢', '\u200d'])).toBe('space, 7, 😀, 漢, U+200D');
    expect(
      listChars(
        Array.from({ length: 20 }, (_, i) => String(i % 10) + i),
        3,
      ),
    ).toMatch(/and 17 more$/);
  });
});

describe('the score-name report', () => {
  it('names what was lowercased, ignored and cut', async () => {
    const predict = await nodePredict('bigram');
    const r = inputReport(await scoreName(predict, 'Emma 7😀漢'));
    expect(r).toContain('Scoring “emma”');
    expect(r).toContain('Lowercased: E.');
    expect(r).toContain('Ignored (not a–z): space, 7, 😀, 漢.');
    expect(inputReport(await scoreName(predict, 'a'.repeat(10_000)))).toContain('first 64 letters');
    expect(inputReport(await scoreName(predict, '   '))).toContain('Nothing to score');
  });
});

describe('bigram table helpers', () => {
  it('flattens only a well-formed 27 x 27 count table', () => {
    const ok = Array.from({ length: V }, () => new Array<number>(V).fill(1));
    expect(flatCounts(ok)).toHaveLength(V * V);
    expect(flatCounts(undefined)).toBeNull();
    expect(flatCounts([[1, 2, 3]])).toBeNull();
    expect(flatCounts(ok.map((row, i) => (i === 3 ? [...row.slice(1), NaN] : row)))).toBeNull();
  });

  it('shades into [0, 1] with the maximum at 1', () => {
    const s = shadeOf([0, 1, 10, 100, NaN], 'counts');
    expect(Math.max(...s)).toBe(1);
    expect(s.every((x) => x >= 0 && x <= 1)).toBe(true);
    expect(s[0]).toBe(0);
  });
});

describe('latestOnly', () => {
  it('runs the first input, then only the newest of a burst', async () => {
    const seen: number[] = [];
    let release: () => void = () => undefined;
    const submit = latestOnly(async (x: number) => {
      seen.push(x);
      if (x === 1) await new Promise<void>((ok) => (release = ok));
    });
    submit(1);
    for (let i = 2; i <= 50; i++) submit(i);
    release();
    await new Promise((ok) => setTimeout(ok, 10));
    expect(seen).toEqual([1, 50]);
  });
});
