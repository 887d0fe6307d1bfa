/**
 * Figure 4.5's gradient graph (src/models/rnn/gradients.ts) on the shipped step files:
 * - in float64, with a probe input added to the hidden state after every step, the autodiff
 *   gradient dL/dh_t against central finite differences of L along a random direction of
 *   each probe, position by position;
 * - the norms the page reads (gradH) are the norms of those gradient vectors, and the
 *   float32 graph the page runs gives the same norms;
 * - positions after the one whose loss is taken get exactly zero gradient, and L is the step
 *   model's own -ln p (the shipped file streamed one character at a time).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../src/models/graph/graph';
import { encodeName } from '../../src/models/names/vocab';
import { Rng } from '../../src/models/rng';
import { GRAD, gradientFeeds } from '../../src/models/rnn/bptt';
import { gradientGraph, gradientOnnx, stepWeights } from '../../src/models/rnn/gradients';
import type { CellKind } from '../../src/models/rnn/model';
import { NodeSession, type Feed } from '../../src/models/train/session';

const H = 1e-6;
const T = 9;
const TEXT = 'emmaline'; // 8 letters: positions 0..8 read, the last predicts the end

const stepFile = (cell: CellKind): Uint8Array =>
  new Uint8Array(readFileSync(`public/models/${cell}.onnx`));

function textFeeds(ids: number[], length: number, float: 'float32' | 'float64') {
  const f = gradientFeeds(ids, length);
  const feeds: Record<string, Feed> = {
    tokens: { dtype: 'int64', data: f.tokens, dims: [1, length] },
    targets: { dtype: 'int64', data: f.targets, dims: [1, length] },
    pick: { dtype: float, data: f.pick, dims: [1, length] },
  };
  return { feeds, used: f.used };
}

describe.each(['rnn', 'gru', 'lstm'] as const)('BPTT gradients of the %s', (cell) => {
  it('match finite differences of the loss, state by state and step by step', async () => {
    const w = stepWeights(cell, stepFile(cell));
    const gg = gradientGraph(w, T, { float: 'float64', probe: true });
    const outputs: Record<string, Tensor> = { ...gg.outputs };
    gg.grads.forEach((d, t) => (outputs[`d_${t}`] = d));
    const session = await NodeSession.create(gg.graph.toOnnx({ outputs, params: 'initializers' }));
    const ids = encodeName(TEXT).ids;
    const { feeds, used } = textFeeds(ids, T, 'float64');
    expect(used).toBe(T);
    const probes: Record<string, Float64Array> = {};
    for (let t = 0; t < T; t++) probes[`probe_${t}`] = new Float64Array(w.hidden);
    const all = (): Record<string, Feed> => {
      const f: Record<string, Feed> = { ...feeds };
      for (const [n, v] of Object.entries(probes))
        f[n] = { dtype: 'float64', data: v, dims: [1, w.hidden] };
      return f;
    };
    const analytic = await session.run(all());
    const rng = new Rng(11);
    let worst = 0;
    const norms = analytic[GRAD]!;
    {
      for (let t = 0; t < T; t++) {
        const d = analytic[`d_${t}`]!;
        // The norm the figure draws is the norm of this gradient.
        expect(norms[t]).toBeCloseTo(Math.hypot(...d), 12);
        // Directional derivative along a random unit direction r: <dL/dh_t, r> against
        // (L(h_t + H r) - L(h_t - H r)) / 2H.
        const r = Array.from({ length: w.hidden }, () => rng.normal());
        const len = Math.hypot(...r);
        const probe = probes[`probe_${t}`]!;
        const lossAt = async (sign: number): Promise<number> => {
          r.forEach((x, j) => (probe[j] = (sign * H * x) / len));
          const out = (await session.run(all(), ['loss'])).loss![0]!;
          probe.fill(0);
          return out;
        };
        const numeric = ((await lossAt(1)) - (await lossAt(-1))) / (2 * H);
        const exact = d.reduce((a, x, j) => a + x * (r[j] as number), 0) / len;
        // Relative to the gradient's size at that step (a directional derivative can be ~0).
        worst = Math.max(worst, Math.abs(numeric - exact) / Math.max(norms[t]!, 1e-12));
      }
    }
    expect(worst).toBeLessThan(1e-5);
    await session.release();
  });

  it('gives the page (float32) the same norms, zero after the picked step, and the step model’s loss', async () => {
    const bytes = stepFile(cell);
    const w = stepWeights(cell, bytes);
    const f64 = gradientGraph(w, T, { float: 'float64' });
    const s64 = await NodeSession.create(
      f64.graph.toOnnx({ outputs: f64.outputs, params: 'initializers' }),
    );
    const s32 = await NodeSession.create(gradientOnnx(w, T));
    // A shorter text than the graph: positions after its end take no part in L.
    const ids = encodeName('ava').ids;
    const a = textFeeds(ids, T, 'float64');
    const b = textFeeds(ids, T, 'float32');
    const o64 = await s64.run(a.feeds);
    const o32 = await s32.run(b.feeds);
    expect(a.used).toBe(4);
    {
      const n64 = o64[GRAD]!;
      const n32 = o32[GRAD]!;
      for (let t = 0; t < T; t++) {
        if (t >= a.used) {
          expect(n64[t]).toBe(0);
          expect(n32[t]).toBe(0);
        } else {
          expect(n64[t]).toBeGreaterThan(0);
          expect(Math.abs(n32[t]! - n64[t]!) / n64[t]!).toBeLessThan(1e-4);
        }
      }
    }
    // L = -ln p(end | "ava") from the shipped step model, streamed.
    const step = await NodeSession.create(bytes);
    const state: Record<string, Float64Array> = {};
    const stateNames = cell === 'lstm' ? ['h', 'c'] : ['h'];
    for (const n of stateNames) state[n] = new Float64Array(w.hidden);
    let probs: Float64Array = new Float64Array(0);
    for (const token of [0, ...ids]) {
      const feeds: Record<string, Feed> = { token: { dtype: 'int64', data: [token], dims: [1] } };
      for (const n of stateNames)
        feeds[n] = { dtype: 'float32', data: state[n]!, dims: [1, w.hidden] };
      const out = await step.run(feeds);
      probs = out.probs!;
      for (const n of stateNames) state[n] = out[`${n}_next`]!;
    }
    expect(o64.loss![0]).toBeCloseTo(-Math.log(probs[0]!), 4);
    await Promise.all([s64.release(), s32.release(), step.release()]);
  });
});
