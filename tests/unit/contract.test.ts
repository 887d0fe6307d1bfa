/**
 * The model contract (src/models/contract.ts) end to end in Node: the shared positions
 * (positions.ts), a tiny `sequence` and a tiny `step` model trained a few steps by the book's own
 * trainer and exported, run by the runtime's kind-specific calls (runtime/run.ts) on
 * onnxruntime-node, and scored by scoreCard on the same held-out predictions as a window model.
 * The browser half (the same files through onnxruntime-web) is tests/e2e/contract.spec.ts.
 */
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ioProblems,
  MODEL_IDS,
  sequenceIo,
  stepIo,
  TENSOR,
  windowIo,
  type IoSpec,
} from '../../src/models/contract';
import { loadCard } from '../../src/models/runtime/node';
import { initialState, runSequence, runStep } from '../../src/models/runtime/run';
import {
  predictionCount,
  sequenceRows,
  sequencesOf,
  windowExamples,
} from '../../src/models/positions';
import { meanNll, scoreCard, targetProbs } from '../../src/models/train/score';
import { sentenceExamples } from '../../src/models/words/vocab';
import { buildTiny, MAX_LENGTH, type TinyBuild } from '../fixtures/tiny-models';

describe('io specs', () => {
  it('every shipped card declares a well-formed io of a known kind', async () => {
    for (const id of MODEL_IDS) {
      const card = await loadCard(id);
      expect(card.id).toBe(id);
      expect(ioProblems(card.io)).toEqual([]);
      // Chapters 1-2's models read a fixed window; chapter 4's recurrent ones stream a step;
      // chapter 5's GPTs ship twice, read whole (sequence) and with a key/value cache (step).
      const recurrent = ['rnn', 'gru', 'lstm'].includes(card.family);
      const gpt = card.family === 'gpt';
      const kind = gpt
        ? id.endsWith('-step')
          ? 'step'
          : 'sequence'
        : recurrent
          ? 'step'
          : 'window';
      expect(card.io.kind, id).toBe(kind);
    }
  });

  it('a malformed spec is reported, not run', () => {
    const bad = { ...windowIo(3, 27), outputs: [] } as IoSpec;
    expect(ioProblems(bad)).toContain('window: no probs');
    expect(ioProblems(sequenceIo(0, 27))).toContain(
      'sequence: maxLength must be a positive integer',
    );
    const step = stepIo(27, [{ name: 'h', shape: ['B', 4] }]);
    expect(ioProblems(step)).toEqual([]);
    expect(ioProblems({ ...step, outputs: step.outputs.slice(0, 1) })).toContain('step: no h_next');
  });
});

describe('shared positions', () => {
  const seqs = sequencesOf([
    [5, 6, 7],
    [],
    [9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 8],
  ]);

  it('a window model sees every token and each end, contexts padded by the boundary', () => {
    const ex = windowExamples(seqs, 4);
    expect(ex.targets.length).toBe(predictionCount(seqs)); // 4 + 1 + 21
    // the same rows as the words corpus' own sentence examples
    const legacy = sentenceExamples([5, 6, 7], 4);
    expect(Array.from(ex.contexts.subarray(0, 16))).toEqual(legacy.contexts.flat());
    expect(Array.from(ex.targets.subarray(0, 4))).toEqual(legacy.targets);
  });

  it('sequence rows count every prediction once, with enough context in later windows', () => {
    for (const [length, stride] of [
      [8, 4],
      [8, 8],
      [8, 1],
      [32, 16],
      [1, 1],
    ] as const) {
      const rows = sequenceRows(seqs, length, stride);
      expect(rows.positions).toBe(predictionCount(seqs));
      // the counted (input -> target) pairs, in order, are exactly the window model's
      const ex = windowExamples(seqs, 1);
      const got: [number, number][] = [];
      for (let i = 0; i < rows.weights.length; i++)
        if (rows.weights[i]) {
          got.push([rows.tokens[i] as number, rows.targets[i] as number]);
          // at least length - stride tokens before it in its row (or the sequence's start)
          const t = i % length;
          expect(t >= length - stride || rows.tokens[i - t] === 0).toBe(true);
        }
      expect(got).toEqual(Array.from(ex.targets, (y, j) => [ex.contexts[j], y]));
    }
  });
});

describe('a tiny sequence model and a tiny step model, trained, exported and run', () => {
  let tiny: TinyBuild;
  beforeAll(async () => {
    tiny = await buildTiny(30);
  }, 120_000);

  it('training lowers the held-out loss of both', () => {
    // Both start near the uniform guess (ln 27 = 3.30 nats: small output weights); learning
    // just the characters' frequencies is worth 0.45 nats (the unigram card: 2.85 held-out), so
    // a model whose training step works drops well past 0.2 in 20-30 Adam steps, and one whose
    // gradients are wrong or unused does not.
    expect(tiny.after).toBeLessThan(tiny.before - 0.2);
    expect(tiny.rnnAfter).toBeLessThan(tiny.rnnBefore - 0.2);
  });

  it('the exported files carry the contract io', () => {
    expect(ioProblems(tiny.seq.io)).toEqual([]);
    expect(ioProblems(tiny.rnnStep.io)).toEqual([]);
    expect(tiny.rnnStep.io.state).toEqual([
      { name: 'h', shape: ['B', 16] },
      { name: 'c', shape: ['B', 16] },
    ]);
  });

  it('the sequence model is causal: a position never depends on a later token', async () => {
    const session = await ort.InferenceSession.create(tiny.seq.onnx);
    const a = [0, 5, 13, 13, 1];
    const b = [0, 5, 13, 20, 26];
    const out = async (tokens: number[]) =>
      (await runSequence(ort.Tensor, session, tiny.seq.io, [tokens], [TENSOR.logprobs, 'mix']))[
        TENSOR.logprobs
      ]!;
    const [oa, ob] = [await out(a), await out(b)];
    expect(oa.dims).toEqual([1, 5, 27]);
    const V = 27;
    for (let i = 0; i < 3 * V; i++) expect(oa.data[i]).toBe(ob.data[i]); // positions 0..2 equal
    expect(oa.data.slice(3 * V, 4 * V)).not.toEqual(ob.data.slice(3 * V, 4 * V));
    // every row is a distribution
    for (let t = 0; t < 5; t++) {
      let sum = 0;
      for (let v = 0; v < V; v++) sum += Math.exp(oa.data[t * V + v] as number);
      expect(sum).toBeCloseTo(1, 5);
    }
    await expect(
      runSequence(ort.Tensor, session, tiny.seq.io, [new Array(17).fill(0)]),
    ).rejects.toThrow(/reads 1 to 16/);
    await session.release();
  });

  it('the step model streams the same numbers as its unrolled twin, one token at a time', async () => {
    const stepS = await ort.InferenceSession.create(tiny.rnnStep.onnx);
    const seqS = await ort.InferenceSession.create(tiny.rnnUnrolled.onnx);
    const tokens = [0, 5, 13, 13, 1, 0, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
    const all = (await runSequence(ort.Tensor, seqS, tiny.rnnUnrolled.io, [tokens]))[
      TENSOR.logprobs
    ]!;
    let state = initialState(tiny.rnnStep.io, 1);
    let worst = 0;
    for (const [t, token] of tokens.entries()) {
      const r = await runStep(ort.Tensor, stepS, tiny.rnnStep.io, [token], state, ['hidden']);
      expect(r.internals['hidden']!.dims).toEqual([1, 16]);
      state = r.state;
      for (let v = 0; v < 27; v++)
        worst = Math.max(worst, Math.abs(Math.log(r.probs[v]!) - all.data[t * 27 + v]!));
    }
    expect(worst).toBeLessThan(1e-4);
    await stepS.release();
    await seqS.release();
  });

  it('scoreCard scores a step model and a sequence model on the same predictions', async () => {
    // The RNN twice: as a step model (state from zero at each name) and unrolled (rows of 16).
    const step = await targetProbs(tiny.rnnStep.onnx, tiny.rnnStep.io, tiny.heldOut);
    const unrolledP = await targetProbs(tiny.rnnUnrolled.onnx, tiny.rnnUnrolled.io, tiny.heldOut, {
      length: MAX_LENGTH,
    });
    expect(step.length).toBe(predictionCount(tiny.heldOut));
    expect(unrolledP.length).toBe(step.length);
    let worst = 0;
    for (let i = 0; i < step.length; i++)
      worst = Math.max(worst, Math.abs(Math.log(step[i]!) - Math.log(unrolledP[i]!)));
    expect(worst).toBeLessThan(1e-4);
    // and the card's held-out loss is the trainer's held-out loss on those predictions
    const card = await scoreCard(tiny.seq.onnx, tiny.seq.io, {
      train: tiny.heldOut,
      heldOut: tiny.heldOut,
      test: tiny.heldOut,
    });
    expect(card.metrics.heldOutLoss).toBeCloseTo(tiny.after, 4);
    expect(card.metrics.uniformLoss).toBeCloseTo(Math.log(27), 12);
    expect(meanNll(step)).toBeCloseTo(tiny.rnnAfter, 4);
  });
});
