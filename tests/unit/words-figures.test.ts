/**
 * The logic behind chapter 2's figures, without a browser: reading the reader's phrase into a
 * context, ranking next words, appending a clicked word, and projecting word vectors.
 */
import { describe, expect, it } from 'vitest';
import { appendWord } from '../../src/components/ch2/next-word/NextWordIsland';
import {
  cosine,
  isolated,
  kmeansCosine,
  neighbours,
  pca2,
  tsne2,
  type Vectors,
} from '../../src/components/ch2/projection';
import { histogram, SATURATED, saturatedShare } from '../../src/components/ch2/hidden/activations';
import { MAX_PHRASE_CHARS, readPhrase, topWords } from '../../src/models/words/lm';
import { tokenize } from '../../src/models/words/tokenizer';
import { UNK_ID, Vocabulary } from '../../src/models/words/vocab';

const vocab = new Vocabulary([
  '<s>',
  '<unk>',
  'the',
  '.',
  'we',
  'must',
  'reduce',
  ',',
  "'re",
  'thank',
  'you',
]);

describe('reading a phrase', () => {
  it('takes the last four tokens, <s>-padded', () => {
    const r = readPhrase(vocab, 'We must', 4);
    expect(r.tokens.map((t) => t.token)).toEqual(['we', 'must']);
    expect(r.contextWords).toEqual(['<s>', '<s>', 'we', 'must']);
    expect(readPhrase(vocab, 'we must reduce the the', 4).contextWords).toEqual([
      'must',
      'reduce',
      'the',
      'the',
    ]);
  });

  it('marks words outside the vocabulary and reads them as <unk>', () => {
    const r = readPhrase(vocab, 'We must abolish', 4);
    expect(r.tokens.map((t) => t.unk)).toEqual([false, false, true]);
    expect(r.context[3]).toBe(UNK_ID);
    expect(r.contextWords[3]).toBe('<unk>');
  });

  it('never reaches back past the end of a sentence (the models learned one sentence at a time)', () => {
    expect(readPhrase(vocab, 'Thank you. We must', 4).contextWords).toEqual([
      '<s>',
      '<s>',
      'we',
      'must',
    ]);
    // A finished sentence: the context ends with its full stop (the model then predicts <s>).
    expect(readPhrase(vocab, 'Thank you.', 4).contextWords).toEqual(['<s>', 'thank', 'you', '.']);
  });

  it('handles empty, odd and very long input', () => {
    expect(readPhrase(vocab, '', 4).contextWords).toEqual(['<s>', '<s>', '<s>', '<s>']);
    const odd = readPhrase(vocab, '😀 #', 4);
    expect(odd.tokens).toEqual([]);
    expect(odd.dropped.length).toBe(2);
    const long = readPhrase(vocab, 'we '.repeat(5000), 4);
    expect(long.truncated).toBe(true);
    expect(long.tokens.length).toBeLessThanOrEqual(MAX_PHRASE_CHARS / 3 + 1);
  });
});

describe('ranking next words', () => {
  it('sorts by probability, ties to the lower id, skipping zeros and non-numbers', () => {
    const row = [0.1, 0, 0.3, Number.NaN, 0.3, 0.05, 0.25];
    const top = topWords(new Vocabulary(['<s>', '<unk>', 'a', 'b', 'c', 'd', 'e']), row, 3);
    expect(top.map((t) => t.id)).toEqual([2, 4, 6]);
    expect(top.map((t) => t.word)).toEqual(['a', 'c', 'e']);
    expect(topWords(vocab, [0, 0], 5)).toEqual([]);
  });
});

describe('appending a clicked word', () => {
  it('writes it the way the tokenizer reads it back', () => {
    expect(appendWord('', 'the')).toBe('the');
    expect(appendWord('we must ', 'reduce')).toBe('we must reduce');
    expect(appendWord('we', "'re")).toBe("we're");
    expect(appendWord('we do', "n't")).toBe("we don't");
    expect(appendWord('thank you', '.')).toBe('thank you.');
    expect(appendWord('spent $', '<num>')).toBe('spent $<num>');
    for (const [text, word] of [
      ['we', "'re"],
      ['we do', "n't"],
      ['spent $', '<num>'],
      ['in', '<year>'],
    ] as const) {
      expect(tokenize(appendWord(text, word)).tokens.at(-1)).toBe(word);
    }
  });
});

describe('projecting word vectors', () => {
  it('cosine and neighbours', () => {
    const v: Vectors = { n: 3, d: 2, data: Float64Array.from([1, 0, 2, 0.1, 0, 1]) };
    expect(cosine(v, 0, 0)).toBeCloseTo(1, 12);
    expect(cosine(v, 0, 2)).toBeCloseTo(0, 12);
    expect(neighbours(v, 0, 2).map((x) => x.index)).toEqual([1, 2]);
  });

  it('PCA: points on a line project onto the first axis, in order', () => {
    const n = 20;
    const d = 5;
    const dir = [1, 2, -1, 0.5, 3];
    const data = new Float64Array(n * d);
    for (let i = 0; i < n; i++)
      for (let k = 0; k < d; k++) data[i * d + k] = (i - 7) * (dir[k] as number) + 4;
    const p = pca2({ n, d, data });
    for (let i = 0; i < n; i++) expect(Math.abs(p[i * 2 + 1] as number)).toBeLessThan(1e-6);
    const first = Array.from({ length: n }, (_, i) => p[i * 2] as number);
    const increasing = first.every((x, i) => i === 0 || x > (first[i - 1] as number));
    const decreasing = first.every((x, i) => i === 0 || x < (first[i - 1] as number));
    expect(increasing || decreasing).toBe(true);
  });

  it('t-SNE: deterministic for a seed, and keeps near neighbours near', () => {
    // Two groups of 15 vectors around opposite directions.
    const n = 30;
    const d = 4;
    const data = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      const sign = i < 15 ? 1 : -1;
      for (let k = 0; k < d; k++)
        data[i * d + k] = sign * (k === 0 ? 1 : 0) + 0.05 * Math.sin(i * 7 + k * 3);
    }
    const v = { n, d, data };
    const a = tsne2(v, { perplexity: 5, iterations: 200, seed: 3 });
    const b = tsne2(v, { perplexity: 5, iterations: 200, seed: 3 });
    expect(Array.from(a)).toEqual(Array.from(b));
    const dist = (i: number, j: number): number =>
      Math.hypot(
        (a[i * 2] as number) - (a[j * 2] as number),
        (a[i * 2 + 1] as number) - (a[j * 2 + 1] as number),
      );
    // What t-SNE preserves: every point's nearest neighbour on the page is from its own group.
    for (let i = 0; i < n; i++) {
      let best = -1;
      for (let j = 0; j < n; j++) if (j !== i && (best < 0 || dist(i, j) < dist(i, best))) best = j;
      expect(best < 15).toBe(i < 15);
    }
    for (const x of a) expect(Number.isFinite(x)).toBe(true);
  });
});

describe('summarising hidden activations', () => {
  it('bins [-1, 1] with both ends included and skips non-numbers', () => {
    const counts = histogram([-1, -0.999, 0, 0.5, 1, Number.NaN], 4);
    expect(counts).toEqual([2, 0, 1, 2]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(5);
  });

  it('counts a unit as saturated only beyond the threshold', () => {
    expect(saturatedShare([SATURATED, -SATURATED, 0.995, -1, 0])).toBeCloseTo(2 / 5, 12);
    expect(saturatedShare([])).toBe(0);
  });
});

describe('clusters and outliers of word vectors', () => {
  // Two tight bundles of directions (around +x and around +y) and one row pointing along -z.
  const rows = [
    [1, 0.05, 0],
    [1, -0.05, 0.02],
    [2, 0.1, -0.05],
    [0.05, 1, 0],
    [-0.04, 1, 0.03],
    [0.1, 3, 0],
    [0, 0.1, -1],
  ];
  const v: Vectors = { n: rows.length, d: 3, data: Float64Array.from(rows.flat()) };

  it('k-means by cosine finds the bundles whatever the seed, numbered by first row', () => {
    for (const seed of [1, 2, 3]) {
      const c = kmeansCosine(v, 3, seed);
      expect(c).toEqual([0, 0, 0, 1, 1, 1, 2]);
    }
  });

  it('the most isolated row is the one with no close neighbour', () => {
    const out = isolated(v, 2);
    expect(out[0]?.index).toBe(6);
    expect(out[0]!.cos).toBeLessThan(out[1]!.cos);
  });
});
