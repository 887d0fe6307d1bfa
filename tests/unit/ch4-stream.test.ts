/**
 * Chapter 4's figures 4.1 "unrolled" and 4.4 "gates": what they draw is the real step models'
 * output. The build-time stream (streamAtBuild, the numbers in the HTML) and the page's
 * incremental cache (advance) against onnxruntime-node stepping the same public/models files
 * from the zero state (nodeStep), and the reader's text as the figures read it.
 */
import { describe, expect, it } from 'vitest';
import { streamAtBuild } from '../../src/components/ch4/build';
import {
  advance,
  emptyCache,
  MAX_STREAM_CHARS,
  START,
  streamInput,
  type StepFn,
} from '../../src/components/ch4/stream';
import { mostChangingUnit } from '../../src/components/ch4/gates/meta';
import { charId } from '../../src/models/names/vocab';
import { nodeStep } from '../../src/models/runtime/node';
import { initialState, type State } from '../../src/models/runtime/run';

/** The figures round to 1e-4: at most half of that, plus float32 noise. */
const TOL = 6e-5;

async function fromScratch(model: string, text: string, internals: string[]) {
  const m = await nodeStep(model);
  let state: State = initialState(m.io, 1);
  const steps = [];
  for (const id of streamInput(text).ids) {
    const r = await m.run([id], state, internals);
    steps.push(r);
    state = r.state;
  }
  return steps;
}

function expectClose(got: number[], want: ArrayLike<number>, what: string) {
  expect(got.length, what).toBe(want.length);
  got.forEach((g, i) =>
    expect(Math.abs(g - (want[i] as number)), `${what}[${i}]`).toBeLessThan(TOL),
  );
}

describe('the reader’s text as the figures read it', () => {
  it('starts with the start marker, lowercases, names and skips what is not a-z, and cuts long text', () => {
    const a = streamInput('Zoë 7');
    expect(a.ids).toEqual([START, charId('z'), charId('o')]);
    expect(a.encoded.lowercased).toEqual(['Z']);
    expect(a.encoded.dropped).toEqual(['ë', ' ', '7']);
    expect(streamInput('').ids).toEqual([START]);
    const long = streamInput('ab'.repeat(50_000));
    expect(long.ids).toHaveLength(MAX_STREAM_CHARS + 1);
    expect(long.cut).toBe(100_000 - MAX_STREAM_CHARS);
  });
});

describe('figure 4.1: the heatmap is the model’s state after each step', () => {
  for (const model of ['rnn', 'lstm']) {
    it(`${model}: the build-time columns equal nodeStep from the zero state`, async () => {
      const built = await streamAtBuild(model, 'emma', ['hidden']);
      const want = await fromScratch(model, 'emma', ['hidden']);
      expect(built.units).toBe(64);
      expect(built.records.map((r) => r.token)).toEqual(streamInput('emma').ids);
      built.records.forEach((r, t) => {
        expectClose(r.values['hidden']!, want[t]!.internals['hidden']!.data, `${model} h_${t}`);
        // The hidden output is the state carried to the next step.
        expectClose(r.values['hidden']!, want[t]!.state['h']!.data, `${model} h_next ${t}`);
        expect(r.top[0]!.p).toBeCloseTo(Math.max(...want[t]!.probs), 4);
      });
    });
  }

  it('runs only the steps after the unchanged prefix, and gives what a run from scratch gives', async () => {
    const m = await nodeStep('rnn');
    let calls = 0;
    const step: StepFn = (token, s) => {
      calls++;
      return m.run([token], s, ['hidden']);
    };
    const init = initialState(m.io, 1);
    const a = await advance(emptyCache(), streamInput('olivia').ids, step, init, ['hidden']);
    expect([a.ran, calls]).toEqual([7, 7]);
    const b = await advance(a.cache, streamInput('olivias').ids, step, init, ['hidden']);
    expect([b.ran, calls]).toEqual([1, 8]);
    const c = await advance(b.cache, streamInput('olxvias').ids, step, init, ['hidden']);
    expect([c.ran, calls]).toEqual([5, 13]); // x_3 .. x_7
    const same = await advance(c.cache, streamInput('OLX-VIAS!').ids, step, init, ['hidden']);
    expect([same.ran, calls]).toEqual([0, 13]);
    const want = await fromScratch('rnn', 'olxvias', ['hidden']);
    c.cache.records.forEach((r, t) =>
      expectClose(r.values['hidden']!, want[t]!.internals['hidden']!.data, `h_${t}`),
    );
    const shorter = await advance(c.cache, streamInput('olx').ids, step, init, ['hidden']);
    expect([shorter.ran, shorter.cache.records.length]).toEqual([0, 4]);
  });
});

describe('figure 4.4: the gates are the cells’ own', () => {
  it('LSTM: input, forget and output gates lie in [0, 1], and h = o * tanh(c) with the c it carries', async () => {
    const built = await streamAtBuild('lstm', 'christopher', ['input', 'forget', 'output']);
    const want = await fromScratch('lstm', 'christopher', ['input', 'forget', 'output', 'hidden']);
    built.records.forEach((r, t) => {
      const w = want[t]!;
      for (const g of ['input', 'forget', 'output']) {
        expectClose(r.values[g]!, w.internals[g]!.data, `${g} ${t}`);
        for (const v of r.values[g]!) expect(v >= 0 && v <= 1).toBe(true);
      }
      const o = w.internals['output']!.data;
      const c = w.state['c']!.data;
      const h = w.internals['hidden']!.data;
      h.forEach((x, u) =>
        expect(Math.abs(x - (o[u] as number) * Math.tanh(c[u] as number))).toBeLessThan(1e-5),
      );
    });
  });

  it('GRU: update and reset gates lie in [0, 1] and match nodeStep', async () => {
    const built = await streamAtBuild('gru', 'christopher', ['update', 'reset']);
    const want = await fromScratch('gru', 'christopher', ['update', 'reset']);
    built.records.forEach((r, t) => {
      for (const g of ['update', 'reset']) {
        expectClose(r.values[g]!, want[t]!.internals[g]!.data, `${g} ${t}`);
        for (const v of r.values[g]!) expect(v >= 0 && v <= 1).toBe(true);
      }
    });
  });
});

describe('figure 4.4: the unit whose forget gate moves most', () => {
  it('is the largest max - min across the steps, 1-based, the first on a tie', () => {
    expect(
      mostChangingUnit([
        [0.5, 0.9, 0.1],
        [0.5, 0.2, 0.3],
      ]),
    ).toBe(2);
    expect(mostChangingUnit([[0.5, 0.5]])).toBe(1);
    expect(mostChangingUnit([])).toBe(1);
  });
});
