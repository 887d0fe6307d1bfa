/**
 * Chapter 4's recurrent names models (src/models/rnn), checked through onnxruntime-node on the
 * committed step files: what the card says they are, proper distributions and a state carried
 * from one character to the next, the card's metrics re-scored from the file on chapter 1's
 * positions, and their place on the names ladder.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelCard } from '../../src/models/card';
import type { StepIo } from '../../src/models/contract';
import { splits } from '../../src/models/names/build';
import { encodeName, V } from '../../src/models/names/vocab';
import { initialState } from '../../src/models/runtime/run';
import { loadCard, nodeStep } from '../../src/models/runtime/node';
import { scoreCard } from '../../src/models/train/score';

const CELLS = [
  { id: 'rnn', state: ['h'], internals: ['hidden'] },
  { id: 'gru', state: ['h'], internals: ['hidden', 'update', 'reset'] },
  { id: 'lstm', state: ['h', 'c'], internals: ['hidden', 'input', 'forget', 'output'] },
] as const;

const dir = join(import.meta.dirname, '../../public/models');

describe.each(CELLS)('$id', ({ id, state, internals }) => {
  it('is a step model over chapter 1 vocabulary, with its state and gates', async () => {
    const card = await loadCard(id);
    expect(card.io.kind).toBe('step');
    const io = card.io as StepIo;
    expect(io.vocab).toBe(V);
    expect(io.state.map((s) => s.name)).toEqual(state);
    expect(io.outputs.map((o) => o.name)).toEqual(expect.arrayContaining([...internals]));
  });

  it('streams a name: a distribution at every step, and the state carries the prefix', async () => {
    const model = await nodeStep(id);
    const ids = [0, ...encodeName('emma').ids];
    let s = initialState(model.io, 2);
    const rows: Float32Array[] = [];
    for (const t of ids) {
      // Row 0 reads the name; row 1 reads only the boundary, again and again.
      const out = await model.run([t, 0], s, [...internals]);
      for (let r = 0; r < 2; r++) {
        const p = out.probs.subarray(r * V, (r + 1) * V);
        const sum = p.reduce((a, b) => a + b, 0);
        expect(Math.abs(sum - 1)).toBeLessThan(1e-5);
        expect(p.every((x) => Number.isFinite(x) && x >= 0)).toBe(true);
      }
      rows.push(out.probs.slice(0, V));
      s = out.state;
    }
    // After "emm" the model must not predict as it does after nothing at all.
    const last = rows[rows.length - 1] as Float32Array;
    const first = rows[0] as Float32Array;
    expect(Math.max(...last.map((x, j) => Math.abs(x - (first[j] as number))))).toBeGreaterThan(
      0.01,
    );
  });

  it("the card's metrics are the file's, on chapter 1's held-out positions", async () => {
    const card: ModelCard = await loadCard(id);
    const bytes = new Uint8Array(readFileSync(join(dir, `${id}.onnx`)));
    const s = splits();
    const { metrics } = await scoreCard(bytes, card.io, s.seqs, { chunk: 4096 });
    expect(metrics.heldOutLoss).toBeCloseTo(card.metrics.heldOutLoss, 6);
    expect(metrics.testLoss).toBeCloseTo(card.metrics.testLoss, 6);
    expect(card.data.tokens.heldOut).toBe(s.heldOut.targets.length);
  });
});

describe('the names ladder', () => {
  // makemore's ladder on 32,000 names (Karpathy): bigram, MLP, RNN, GRU, each lower than the
  // last. The book's prose repeats that order for our 8,400 names; these cards must show it.
  it('held-out loss falls along bigram, MLP, RNN, GRU, and the LSTM is below the MLP', async () => {
    const loss = async (id: string) => (await loadCard(id)).metrics.heldOutLoss;
    const ladder = await Promise.all(['bigram', 'mlp', 'rnn', 'gru'].map(loss));
    for (let k = 1; k < ladder.length; k++)
      expect(ladder[k], `rung ${k}`).toBeLessThan(ladder[k - 1] as number);
    expect(await loss('lstm')).toBeLessThan(await loss('mlp'));
  });

  it('every recurrent model beats the counts: it reads the whole prefix, the bigram one character', async () => {
    const bigram = await loadCard('bigram');
    for (const { id } of CELLS) {
      const card = await loadCard(id);
      expect(card.metrics.heldOutLoss, id).toBeLessThan(bigram.metrics.heldOutLoss);
    }
  });
});
