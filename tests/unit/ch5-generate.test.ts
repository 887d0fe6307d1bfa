/**
 * Chapter 5's generation (figure 5.3) and the complete ladder (figure 5.6) against
 * onnxruntime-node on the real exported files: the step graph with its key/value cache agrees
 * with the sequence graph; the cache-full re-encode reads what it says it reads; sampling's
 * top-k and top-p keep what they say; the ladder's sequence models score like the sequence
 * graph itself, in windows beyond their positions.
 */
import { describe, expect, it } from 'vitest';
import { heldOutRows, nodeScorer, wordVocabulary } from '../../src/components/ch4/ladder/build';
import { LADDER, LADDER_ALL, ladderModels } from '../../src/components/ch4/ladder/ladder';
import { readName, readWords, scoreCorpus } from '../../src/components/ch4/ladder/score';
import { cardContext, generateText } from '../../src/components/ch5/generate/text';
import { generateGptMeta } from '../../src/components/ch5/generate/meta';
import { appendWords, generateWords, promptSentence } from '../../src/models/gpt/generate';
import { encodeName } from '../../src/models/names/vocab';
import { sequenceRows, sequencesOf } from '../../src/models/positions';
import { Rng } from '../../src/models/rng';
import { loadCard, nodeSequence, nodeStep } from '../../src/models/runtime/node';
import { initialState, type State } from '../../src/models/runtime/run';
import { pickToken } from '../../src/models/sample';
import { Vocabulary } from '../../src/models/words/vocab';

async function words() {
  const card = await loadCard('gpt-words-step');
  return { vocab: new Vocabulary(card.vocabulary), context: cardContext(card) };
}

/** log P(next) after each token of `row`, from the sequence graph in one run: [T][V]. */
async function sequenceLogprobs(id: string, row: number[]): Promise<Float32Array[]> {
  const seq = await nodeSequence(id);
  const out = (await seq.run([row]))['logprobs']!;
  const V = seq.io.vocab;
  return row.map((_, t) => out.data.subarray(t * V, (t + 1) * V));
}

describe('gpt-words-step streamed token by token', () => {
  it('gives the log-probabilities of gpt-words on the whole sentence (within 1e-4)', async () => {
    const { vocab } = await words();
    const ids = vocab.encode(
      'we must never forget that the strength of our nation is its people , and we will'.split(' '),
    );
    const row = [0, ...ids];
    const want = await sequenceLogprobs('gpt-words', row);
    const step = await nodeStep('gpt-words-step');
    let state: State = initialState(step.io, 1);
    for (const [t, id] of row.entries()) {
      const out = await step.run([id], state);
      state = out.state;
      // The cache grows by one position per token.
      expect(state['k0']!.dims[2]).toBe(t + 1);
      const w = want[t]!;
      let worst = 0;
      for (let v = 0; v < w.length; v++)
        worst = Math.max(worst, Math.abs(Math.log(out.probs[v]!) - w[v]!));
      expect(worst, `position ${t}`).toBeLessThan(1e-4);
    }
  });
});

describe('generating words', () => {
  it('the same settings give the same text; the length is what was asked', async () => {
    const { vocab, context } = await words();
    const step = await nodeStep('gpt-words-step');
    const run = (seed: number) =>
      generateText(
        (t, s) => step.run(t, s),
        () => initialState(step.io, 1),
        context,
        vocab,
        { ...generateGptMeta.defaults, seed, n: 30 },
      );
    const a = await run(4);
    const b = await run(4);
    const c = await run(5);
    expect(a.data.tokens).toBe(30);
    expect(b.data.text).toBe(a.data.text);
    expect(c.data.text).not.toBe(a.data.text);
  });

  it('re-encodes a full cache: the next prediction is the sequence graph’s on the last half window', async () => {
    const { context } = await words();
    const step = await nodeStep('gpt-words-step');
    // A prompt sentence longer than the context: the cache fills while reading it.
    const prompt = Array.from({ length: context + 10 }, (_, i) => 2 + ((i * 37) % 400));
    let probs: Float32Array | undefined;
    let reencodes = 0;
    const traced = async (t: readonly number[], s: State) => {
      const out = await step.run(t, s);
      probs = out.probs;
      return out;
    };
    const result = await generateWords(
      traced,
      () => initialState(step.io, 1),
      context,
      prompt,
      { temperature: 1, topK: 0, seed: 1, length: 1 },
      { onReencode: (n) => (reencodes = n) },
    );
    // <s> + context + 10 tokens: full after `context`, then every half window.
    expect(result.reencodes).toBe(1);
    expect(reencodes).toBe(1);
    expect(result.steps).toBe(context + 11 + context / 2);
    // After the re-encode the cache holds the last half window, then the remaining tokens.
    const all = [0, ...prompt];
    const kept = all.slice(context - context / 2, context);
    const rest = all.slice(context);
    const want = await sequenceLogprobs('gpt-words', [...kept, ...rest]);
    const last = want[want.length - 1]!;
    let worst = 0;
    for (let v = 0; v < last.length; v++)
      worst = Math.max(worst, Math.abs(Math.log(probs![v]!) - last[v]!));
    expect(worst).toBeLessThan(1e-4);
  });

  it('reads the prompt’s last open sentence, names words outside the vocabulary', async () => {
    const { vocab } = await words();
    const a = promptSentence(vocab, 'We are here. The zzqxv of the');
    expect(a.unknown).toEqual(['zzqxv']);
    expect(vocab.decode(a.ids)).toEqual(['the', '<unk>', 'of', 'the']);
    expect(a.skipped).toBe(4);
    const closed = promptSentence(vocab, 'We are here.');
    expect(closed.ids).toEqual([]);
    expect(promptSentence(vocab, '').ids).toEqual([]);
  });

  it('writes tokens readably', () => {
    const r = appendWords(
      '',
      ['we', 'do', "n't", 'know', ',', 'i', 'think', '.', '<s>', 'the', '<num>'],
      true,
    );
    expect(r.text).toBe("We don't know, I think. The <num>");
    expect(appendWords('Hello ', ['world'], false).text).toBe('Hello world');
  });
});

describe('sampling', () => {
  const probs = Float32Array.from([0.05, 0.4, 0.3, 0.2, 0.05]);
  const all = () => true;
  const draws = (opts: Parameters<typeof pickToken>[1]) => {
    const rng = new Rng(7);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) seen.add(pickToken(probs, opts, rng, all));
    return [...seen].sort();
  };
  it('top-k keeps the k likeliest, top-p the smallest set holding p, temperature 0 the likeliest', () => {
    expect(draws({ temperature: 1, topK: 0 })).toEqual([0, 1, 2, 3, 4]);
    expect(draws({ temperature: 1, topK: 2 })).toEqual([1, 2]);
    // 0.4 + 0.3 = 0.7 >= 0.6: two tokens; 0.9 needs three.
    expect(draws({ temperature: 1, topK: 0, topP: 0.6 })).toEqual([1, 2]);
    expect(draws({ temperature: 1, topK: 0, topP: 0.9 })).toEqual([1, 2, 3]);
    expect(draws({ temperature: 0, topK: 0, topP: 0.9 })).toEqual([1]);
    expect(draws({ temperature: 1, topK: 0, topP: 0.05 })).toEqual([1]);
  });
});

describe('sampling, fast path', () => {
  it('draws exactly what the plain comparator sort draws (ties included)', () => {
    const r = new Rng(3);
    // Many ties (probabilities from a few levels), zeros, and a 5,000-word vocabulary.
    const probs = Float32Array.from({ length: 5000 }, () => Math.floor(r.next() * 50) / 50);
    const plain = Array.from(probs);
    const allowed = (t: number) => t !== 1;
    for (const opts of [
      { temperature: 1, topK: 0 },
      { temperature: 0.7, topK: 40, topP: 0.9 },
      { temperature: 1.5, topK: 0, topP: 0.5 },
      { temperature: 0, topK: 0 },
      { temperature: 1, topK: 3 },
      { temperature: 1, topK: 4999 },
    ]) {
      const a = new Rng(9);
      const b = new Rng(9);
      for (let i = 0; i < 200; i++)
        expect(pickToken(probs, opts, a, allowed)).toBe(pickToken(plain, opts, b, allowed));
    }
  });
});

describe('the complete ladder (figure 5.6)', () => {
  it('adds a GPT to each corpus; figure 4.6’s ladder has none', async () => {
    expect(ladderModels('names', LADDER_ALL)).toContain('gpt-names');
    expect(ladderModels('words', LADDER_ALL)).toContain('gpt-words');
    expect(ladderModels(undefined, LADDER).some((m) => m.startsWith('gpt'))).toBe(false);
    const rows = await heldOutRows('words', LADDER_ALL);
    const card = await loadCard('gpt-words');
    expect(rows.find((r) => r.id === 'gpt-words')?.loss).toBe(card.metrics.heldOutLoss);
  });

  it('scores a name with gpt-names as its sequence graph does, in windows beyond 16 positions', async () => {
    const scorer = await nodeScorer('gpt-names');
    const io = (await loadCard('gpt-names')).io;
    if (io.kind !== 'sequence') throw new Error('gpt-names is a sequence model');
    for (const name of ['emma', 'Maximilianbartholomew']) {
      const bits = (await scoreCorpus(name, { 'gpt-names': scorer }, undefined)).bits['gpt-names']!;
      const ids = encodeName(name).ids;
      expect(bits).toHaveLength(readName(name).tokens.length);
      // The reference: positions.ts's rows, each run alone.
      const rows = sequenceRows(sequencesOf([ids]), Math.min(io.maxLength, ids.length + 1));
      const want: number[] = [];
      for (let b = 0; b < rows.count; b++) {
        const row = Array.from(rows.tokens.subarray(b * rows.length, (b + 1) * rows.length));
        const lp = await sequenceLogprobs('gpt-names', row);
        for (let t = 0; t < rows.length; t++)
          if (rows.weights[b * rows.length + t] === 1)
            want.push(-lp[t]![rows.targets[b * rows.length + t]!]! / Math.LN2);
      }
      expect(want).toHaveLength(bits.length);
      bits.forEach((x, i) => expect(Math.abs(x - want[i]!)).toBeLessThan(1e-4));
    }
  });

  it('scores each sentence with gpt-words from <s>, an open sentence without its end', async () => {
    const vocab = new Vocabulary(await wordVocabulary(LADDER_ALL));
    const raw = 'We the people. Of the zzqxv states';
    const text = readWords(vocab, raw);
    const bits = (await scoreCorpus(raw, { 'gpt-words': await nodeScorer('gpt-words') }, vocab))
      .bits['gpt-words']!;
    const want: number[] = [];
    for (const s of text.seqs) {
      const lp = await sequenceLogprobs('gpt-words', [0, ...s.ids]);
      const targets = s.end ? [...s.ids, 0] : s.ids;
      targets.forEach((t, i) => want.push(-lp[i]![t]! / Math.LN2));
    }
    expect(bits).toHaveLength(text.tokens.length);
    bits.forEach((x, i) => expect(Math.abs(x - want[i]!)).toBeLessThan(1e-4));
  });
});
