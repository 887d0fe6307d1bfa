/**
 * Chapter 2's data pipeline and counting baseline: the tokenizer's rules and round trips, the
 * vocabulary and `<unk>`, the split by address, and the Kneser-Ney model's normalisation.
 */
import { describe, expect, it } from 'vitest';
import { loadAddresses, splitAddresses } from '../../src/models/words/corpus';
import { wordsData } from '../../src/models/words/data';
import { discounts, KneserNey } from '../../src/models/words/kneser-ney';
import { topBigram, topBigramGraph, topBigramProb } from '../../src/models/words/ngram';
import { detokenize, sentences, tokenize } from '../../src/models/words/tokenizer';
import {
  BOUNDARY_ID,
  contextOf,
  sentenceExamples,
  UNK_ID,
  Vocabulary,
} from '../../src/models/words/vocab';
import { NodeSession } from '../../src/models/train/session';

const tok = (text: string): string[] => tokenize(text).tokens;

describe('tokenizer', () => {
  it('lowercases and splits punctuation into tokens', () => {
    expect(tok('Fellow-Citizens of the Senate: Peace!')).toEqual([
      'fellow',
      '-',
      'citizens',
      'of',
      'the',
      'senate',
      ':',
      'peace',
      '!',
    ]);
  });

  it('splits clitics the Penn-Treebank way, with curly or straight apostrophes', () => {
    expect(tok("Don't")).toEqual(['do', "n't"]);
    expect(tok('America’s')).toEqual(['america', "'s"]);
    expect(tok("we're, I'm, they'll, can't, won't")).toEqual([
      'we',
      "'re",
      ',',
      'i',
      "'m",
      ',',
      'they',
      "'ll",
      ',',
      'ca',
      "n't",
      ',',
      'wo',
      "n't",
    ]);
    // An apostrophe that is not a known clitic stays inside the word.
    expect(tok("o'er")).toEqual(["o'er"]);
    // A trailing possessive apostrophe is dropped.
    expect(tokenize("the states' rights")).toEqual({
      tokens: ['the', 'states', 'rights'],
      dropped: ["'"],
    });
  });

  it('turns numbers into classes: years, ordinals, other numbers', () => {
    expect(tok('In 1947, we spent $3,000,000.50 on 21st-century roads, 2.5% more.')).toEqual([
      'in',
      '<year>',
      ',',
      'we',
      'spent',
      '$',
      '<num>',
      'on',
      '<ord>',
      '-',
      'century',
      'roads',
      ',',
      '<num>',
      '%',
      'more',
      '.',
    ]);
    // Four digits outside 1600-2099 are not years; a comma never sticks to a number.
    expect(tok('1492 2100 1800,')).toEqual(['<num>', '<num>', '<year>', ',']);
  });

  it('keeps acronyms and abbreviations whole, so their dots do not end sentences', () => {
    const tokens = tok('Mr. Speaker, the U.S. and the U.N. agree. Thank you.');
    expect(tokens).toEqual([
      'mr.',
      'speaker',
      ',',
      'the',
      'u.s.',
      'and',
      'the',
      'u.n.',
      'agree',
      '.',
      'thank',
      'you',
      '.',
    ]);
    expect(sentences(tokens)).toHaveLength(2);
  });

  it('drops stage directions and brackets, strips accents, reports what it dropped', () => {
    expect(tok('Thank you. [Applause] [the States] agree (Applause.) (laughter)')).toEqual([
      'thank',
      'you',
      '.',
      'the',
      'states',
      'agree',
    ]);
    expect(tok('&quot;Hi&quot; &mdash; you &amp; me')).toEqual(['hi', '-', 'you', '&', 'me']);
    expect(tok('café naïve')).toEqual(['cafe', 'naive']);
    const odd = tokenize('“Hello” 😀 #1');
    expect(odd.tokens).toEqual(['hello', '<num>']);
    expect(odd.dropped.sort()).toEqual(['"', '#', '😀'].sort());
  });

  it('handles empty and blank input', () => {
    expect(tokenize('')).toEqual({ tokens: [], dropped: [] });
    expect(tokenize(' \n\t ')).toEqual({ tokens: [], dropped: [] });
    expect(sentences([])).toEqual([]);
  });

  it('ends sentences at . ? ! (a closing parenthesis stays with its sentence)', () => {
    expect(sentences(tok('Is it? Yes (it is.) Good'))).toEqual([
      ['is', 'it', '?'],
      ['yes', '(', 'it', 'is', '.', ')'],
      ['good'],
    ]);
  });

  it('round-trips: tokens written back as text read back as the same tokens', () => {
    const texts = [
      "Fellow-Citizens: In 1947, we spent $3,000,000 on the 21st Century. Mr. Speaker, the U.S. can't - won't - fail!",
      "America's best years (I hope.) are ahead; we're ready: 30% of <unk> words.",
    ];
    for (const text of texts) {
      const tokens = tok(text);
      expect(tok(detokenize(tokens))).toEqual(tokens);
    }
    // On real addresses too: the first 2,000 tokens of a few of them.
    for (const a of loadAddresses()
      .slice(0, 233)
      .filter((_, i) => i % 40 === 0)) {
      const tokens = a.sentences.flat().slice(0, 2000);
      expect(tok(detokenize(tokens))).toEqual(tokens);
    }
  });
});

describe('vocabulary', () => {
  const counts = new Map([
    ['the', 10],
    ['of', 7],
    ['and', 7],
    ['rare', 1],
  ]);

  it('starts with <s> and <unk>, then ranks by frequency (ties alphabetical)', () => {
    const v = Vocabulary.fromCounts(counts, 5);
    expect(v.words).toEqual(['<s>', '<unk>', 'the', 'and', 'of']);
    expect(Vocabulary.fromCounts(counts, 100, 2).words).toEqual([
      '<s>',
      '<unk>',
      'the',
      'and',
      'of',
    ]);
  });

  it('maps every word outside it to <unk>', () => {
    const v = Vocabulary.fromCounts(counts, 5);
    expect(v.encode(['the', 'rare', 'zebra', '<unk>'])).toEqual([2, UNK_ID, UNK_ID, UNK_ID]);
    expect(v.decode([2, 1, 999])).toEqual(['the', '<unk>', '<unk>']);
  });

  it('makes n + 1 predictions per sentence, padded with <s>, ending with <s>', () => {
    const { contexts, targets } = sentenceExamples([5, 6, 7], 4);
    expect(contexts).toEqual([
      [0, 0, 0, 0],
      [0, 0, 0, 5],
      [0, 0, 5, 6],
      [0, 5, 6, 7],
    ]);
    expect(targets).toEqual([5, 6, 7, BOUNDARY_ID]);
    expect(contextOf([9], 4)).toEqual([0, 0, 0, 9]);
    expect(contextOf([1, 2, 3, 4, 5, 6], 4)).toEqual([3, 4, 5, 6]);
  });

  it('on the corpus: a few thousand words, <unk> rare but present', () => {
    const d = wordsData();
    expect(d.vocab.size).toBe(5000);
    expect(d.heldOutOov).toBeGreaterThan(0.01);
    expect(d.heldOutOov).toBeLessThan(0.1);
    expect(d.train.targets.includes(UNK_ID)).toBe(true);
  });
});

describe('split by address', () => {
  const all = loadAddresses();
  const split = splitAddresses(all, 2003);

  it('puts every address in exactly one split', () => {
    const ids = [split.train, split.heldOut, split.test].map((xs) => new Set(xs.map((a) => a.id)));
    const [train, held, test] = ids as [Set<string>, Set<string>, Set<string>];
    expect(train.size + held.size + test.size).toBe(all.length);
    for (const id of held) expect(train.has(id) || test.has(id)).toBe(false);
    for (const id of test) expect(train.has(id)).toBe(false);
    expect(held.size).toBe(Math.round(all.length * 0.1));
  });

  it('is seeded: same seed, same split; another seed, another split', () => {
    const again = splitAddresses(all, 2003);
    expect(again.heldOut.map((a) => a.id)).toEqual(split.heldOut.map((a) => a.id));
    expect(splitAddresses(all, 7).heldOut.map((a) => a.id)).not.toEqual(
      split.heldOut.map((a) => a.id),
    );
  });

  it('has one document per address with its metadata', () => {
    expect(all).toHaveLength(233);
    const first = all[0];
    expect(first?.year).toBe(1790);
    expect(first?.president).toBe('George Washington');
    expect(new Set(all.map((a) => a.id)).size).toBe(all.length);
  });
});

describe('Kneser-Ney', () => {
  /** A toy corpus: contexts of width 2, ids 0..5. */
  function toy(): { contexts: Int32Array; targets: Int32Array } {
    const seq = [0, 0, 2, 3, 4, 2, 3, 5, 2, 4, 3, 0, 0, 2, 3, 4, 1, 2, 0];
    const contexts: number[] = [];
    const targets: number[] = [];
    for (let i = 2; i < seq.length; i++) {
      contexts.push(seq[i - 2] as number, seq[i - 1] as number);
      targets.push(seq[i] as number);
    }
    return { contexts: Int32Array.from(contexts), targets: Int32Array.from(targets) };
  }

  it("computes Chen & Goodman's discounts from count-of-counts", () => {
    // Y = 10 / (10 + 2*5) = 0.5; D1 = 1 - 2Y(5/10); D2 = 2 - 3Y(3/5); D3 = 3 - 4Y(2/3)
    const [d1, d2, d3] = discounts(10, 5, 3, 2);
    expect(d1).toBeCloseTo(0.5, 12);
    expect(d2).toBeCloseTo(1.1, 12);
    expect(d3).toBeCloseTo(3 - 4 / 3, 12);
    // Clamped into [0, c] whatever the counts.
    for (const d of discounts(1, 100, 0, 0)) expect(d).toBeGreaterThanOrEqual(0);
  });

  it('gives distributions that sum to 1 (toy corpus, every context, orders 1-3)', () => {
    const { contexts, targets } = toy();
    for (const order of [1, 2, 3]) {
      const kn = new KneserNey(order, 6, contexts, targets);
      for (let a = 0; a < 6; a++) {
        for (let b = 0; b < 6; b++) {
          const p = kn.distribution([a, b]);
          expect(p.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
          for (const x of p) expect(x).toBeGreaterThan(0);
        }
      }
    }
  });

  it('backs off entirely from an unseen context, and a longer history adds nothing beyond n-1 words', () => {
    const { contexts, targets } = toy();
    const kn = new KneserNey(3, 6, contexts, targets);
    // (5, 5) never occurs as a context: the trigram is the bigram after 5.
    for (let w = 0; w < 6; w++) expect(kn.prob([5, 5], w)).toBe(kn.prob([5], w));
    expect(kn.prob([1, 2, 3], 4)).toBe(kn.prob([2, 3], 4));
  });

  it('gives distributions that sum to 1 on the corpus (bigram and trigram)', () => {
    const d = wordsData();
    const V = d.vocab.size;
    const the = d.vocab.id('the');
    const of = d.vocab.id('of');
    for (const order of [2, 3]) {
      const kn = new KneserNey(order, V, d.train.contexts, d.train.targets);
      for (const h of [
        [0, 0],
        [of, the],
        [UNK_ID, UNK_ID],
        [V - 1, V - 2],
        [the, 0],
      ]) {
        const sum = kn.distribution(h).reduce((s, x) => s + x, 0);
        expect(Math.abs(sum - 1)).toBeLessThan(1e-9);
      }
    }
  });

  it('the top-k lookup: exact top k, rows sum to 1, and the ONNX file agrees', async () => {
    const d = wordsData();
    const V = d.vocab.size;
    const kn = new KneserNey(2, V, d.train.contexts, d.train.targets);
    const k = 10;
    const top = topBigram(kn, k);
    const rows = [0, 1, 2, d.vocab.id('united'), d.vocab.id('mr.'), V - 1];
    for (const v of rows) {
      // Brute force over the whole vocabulary.
      const full = kn.distribution([v]);
      const best = [...full.keys()]
        .sort((a, b) => (full[b] as number) - (full[a] as number) || a - b)
        .slice(0, k);
      expect(Array.from(top.ids.subarray(v * k, (v + 1) * k))).toEqual(best);
      let sum = 0;
      for (let w = 0; w < V; w++) sum += topBigramProb(top, v, w);
      expect(Math.abs(sum - 1)).toBeLessThan(1e-9);
    }
    const { graph, probs } = topBigramGraph(top, 4);
    const session = await NodeSession.create(
      graph.toOnnx({ outputs: { probs }, params: 'initializers' }),
    );
    const ctx = rows.flatMap((v) => [0, 0, 3, v]);
    const out = (await session.run({ ctx: { dtype: 'int64', data: ctx, dims: [rows.length, 4] } }))[
      'probs'
    ] as Float64Array;
    await session.release();
    rows.forEach((v, b) => {
      let sum = 0;
      for (let w = 0; w < V; w++) {
        const p = out[b * V + w] as number;
        sum += p;
        expect(Math.abs(p - topBigramProb(top, v, w))).toBeLessThan(1e-6 * Math.max(1, p * 10));
      }
      expect(Math.abs(sum - 1)).toBeLessThan(1e-5);
    });
  });
});
