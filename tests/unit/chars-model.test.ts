/**
 * Chapter 4's character LSTM (src/models/rnn/chars.ts) through onnxruntime-node on the committed
 * file: what the card says it is, its held-out loss re-scored from the file (and the page's own
 * one-character-at-a-time path agreeing with the batched scorer), seeded generation that
 * repeats, and the neuron finder's list recomputed from the file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelCard } from '../../src/models/card';
import type { StepIo } from '../../src/models/contract';
import { CharVocab, START_ID, UNK_ID, normalizeText } from '../../src/models/rnn/char-vocab';
import {
  PASSAGES,
  charSplit,
  charVocab,
  findNeurons,
  neuronPassages,
  passages,
  streamPassages,
} from '../../src/models/rnn/chars';
import { generate, pickChar, readHidden } from '../../src/models/rnn/generate';
import { Rng } from '../../src/models/rng';
import { initialState } from '../../src/models/runtime/run';
import { loadCard, nodeStep } from '../../src/models/runtime/node';

const ID = 'lstm-chars';
const file = join(import.meta.dirname, '../../public/models', `${ID}.onnx`);
const SLOW = 180_000;

let card: ModelCard;
let bytes: Uint8Array;
let vocab: CharVocab;
beforeAll(async () => {
  card = await loadCard(ID);
  bytes = new Uint8Array(readFileSync(file));
  vocab = new CharVocab(card.vocabulary);
});

describe('the card', () => {
  it('is a step model with h and c, the hidden state and the gates, within 1 MB', () => {
    expect(card.io.kind).toBe('step');
    const io = card.io as StepIo;
    expect(io.state.map((s) => s.name)).toEqual(['h', 'c']);
    expect(io.outputs.map((o) => o.name)).toEqual(
      expect.arrayContaining(['probs', 'h_next', 'c_next', 'hidden', 'input', 'forget', 'output']),
    );
    expect(bytes.length).toBeLessThanOrEqual(1024 * 1024);
    expect(card.config['weights']).toBe('float16');
    expect(card.vocabulary[START_ID]).toBe('<s>');
    expect(card.vocabulary[UNK_ID]).toBe('<unk>');
  });

  it('has the vocabulary counted on the training addresses, and bits = nats / ln 2', () => {
    expect(card.vocabulary).toEqual([...charVocab().chars]);
    const bits = card.bitsPerChar;
    expect(bits?.heldOut).toBeCloseTo(card.metrics.heldOutLoss / Math.LN2, 3);
    // Below the uniform distribution over the characters by a wide margin.
    expect(card.metrics.heldOutLoss).toBeLessThan(card.metrics.uniformLoss / 2);
  });
});

describe('scoring', () => {
  it("re-scores the card's held-out loss from the file", { timeout: SLOW }, async () => {
    const ps = passages(charSplit().heldOut, PASSAGES.heldOut);
    const io = card.io as StepIo;
    const { nll } = await streamPassages(
      bytes,
      io,
      ps.map((p) => vocab.encodeAll(p)),
    );
    const mean = nll.reduce((a, b) => a + b, 0) / nll.length;
    expect(mean).toBeCloseTo(card.metrics.heldOutLoss, 6);
    expect(nll.length).toBe(card.data.tokens.heldOut);
  });

  it('the page path (one row, runStep) gives the batched scorer’s losses', async () => {
    const text = passages(charSplit().heldOut, PASSAGES.heldOut)[3] as string;
    const ids = vocab.encodeAll(text).slice(0, 120);
    const batched = await streamPassages(bytes, card.io as StepIo, [ids, ids.slice().reverse()]);
    const model = await nodeStep(ID);
    let s = initialState(model.io, 1);
    for (let t = 0; t + 1 < ids.length; t++) {
      const out = await model.run([ids[t] as number], s);
      s = out.state;
      const p = out.probs[ids[t + 1] as number] as number;
      expect(-Math.log(p)).toBeCloseTo(batched.nll[t] as number, 4);
    }
  });
});

describe('generation', () => {
  const opts = { temperature: 1, topK: 0, seed: 42, length: 120 };
  it('repeats with the same seed, prompt and settings, and differs with another seed', async () => {
    const model = await nodeStep(ID);
    const zero = initialState(model.io, 1);
    const prompt = vocab.encode('The Congress').ids;
    const a = await generate(model.run, zero, vocab, prompt, opts);
    const b = await generate(model.run, zero, vocab, prompt, opts);
    const c = await generate(model.run, zero, vocab, prompt, { ...opts, seed: 43 });
    expect(a.text).toHaveLength(120);
    expect(b.text).toBe(a.text);
    expect(c.text).not.toBe(a.text);
  });

  it('at temperature 0 ignores the seed, and stops when told', async () => {
    const model = await nodeStep(ID);
    const zero = initialState(model.io, 1);
    const greedy = { ...opts, temperature: 0 };
    const a = await generate(model.run, zero, vocab, [], greedy);
    const b = await generate(model.run, zero, vocab, [], { ...greedy, seed: 7 });
    expect(b.text).toBe(a.text);
    let n = 0;
    const cut = await generate(model.run, zero, vocab, [], opts, {
      onChar: () => n++,
      stopped: () => n >= 10,
    });
    expect(cut).toEqual({ text: expect.any(String), stopped: true });
    expect(cut.text).toHaveLength(10);
  });

  it('pickChar: top-1 is the most likely character; never <s> or <unk>; one draw each', () => {
    const p = Float32Array.from([0.5, 0.3, 0.05, 0.1, 0.05]);
    const rng = new Rng(1);
    for (let i = 0; i < 50; i++) {
      const id = pickChar(p, { temperature: 1, topK: 0 }, rng);
      expect(id).toBeGreaterThan(UNK_ID);
    }
    expect(pickChar(p, { temperature: 1.5, topK: 1 }, new Rng(3))).toBe(3);
    const r1 = new Rng(9);
    const r2 = new Rng(9);
    pickChar(p, { temperature: 0, topK: 0 }, r1);
    r2.next();
    expect(r1.next()).toBe(r2.next());
  });
});

describe('the neuron finder', () => {
  it("recomputes the card's units and correlations from the file", { timeout: SLOW }, async () => {
    const finder = neuronPassages(charSplit().heldOut, PASSAGES.heldOut);
    const H = Number(card.config['hidden']);
    const run = await streamPassages(
      bytes,
      card.io as StepIo,
      finder.texts.map((p) => vocab.encodeAll(p)),
      { hidden: true },
    );
    const found = findNeurons(finder.texts, run.hidden ?? [], H);
    expect(found.map((n) => [n.feature, n.unit])).toEqual(
      (card.neurons ?? []).map((n) => [n.feature, n.unit]),
    );
    found.forEach((n, i) => expect(n.r).toBeCloseTo(card.neurons?.[i]?.r as number, 3));
  });

  it('readHidden resumes after a shared prefix with the states it would have computed', async () => {
    const model = await nodeStep(ID);
    const zero = initialState(model.io, 1);
    const a = vocab.encode('The Union is strong').ids;
    const b = vocab.encode('The Union is stronger than ever').ids;
    const full = await readHidden(model.run, zero, b);
    const first = await readHidden(model.run, zero, a);
    const resumed = await readHidden(model.run, zero, b, {
      states: first.states.slice(0, a.length),
      hidden: first.hidden.slice(0, a.length),
    });
    expect(resumed.hidden).toHaveLength(b.length);
    resumed.hidden.forEach((h, t) =>
      h.forEach((x, u) => expect(x).toBeCloseTo(full.hidden[t]?.[u] as number, 5)),
    );
  });
});

describe('the character vocabulary', () => {
  it('names and skips characters outside it; plain quotes for curly ones', () => {
    const v = new CharVocab(card.vocabulary);
    const r = v.encode('“Café” 😀 — ok');
    expect(r.skipped).toEqual(expect.arrayContaining(['😀']));
    expect(r.kept.startsWith('"')).toBe(true);
    expect(r.ids.every((id) => id > UNK_ID && id < v.size)).toBe(true);
    expect(normalizeText('a \n\t b')).toBe('a b');
    expect(v.encode('').ids).toEqual([]);
  });
});
