/**
 * The nn/ layers in float32 through onnxruntime-node, against plain TypeScript:
 * - attention: the weights the graph computes equal softmax(q k^T / sqrt(d) + mask) recomputed
 *   here from the same parameter values; rows sum to 1; the future gets exactly 0;
 * - a recurrent cell built twice from one ParamStore (unrolled over T steps, and one step) has
 *   the same parameter names and values, and stepping the one-step graph T times gives the
 *   unrolled graph's states.
 */
import { describe, expect, it } from 'vitest';
import { Graph, type Tensor } from '../../src/models/graph/graph';
import * as op from '../../src/models/graph/ops';
import * as nn from '../../src/models/nn';
import { Rng } from '../../src/models/rng';
import { NodeSession, type Feed } from '../../src/models/train/session';

const normals = (rng: Rng, n: number, scale = 1): number[] =>
  Array.from({ length: n }, () => rng.normal() * scale);

/** The values ORT sees for a float32 weight. */
const f32 = (t: Tensor): Float64Array => Float64Array.from(t.graph.paramValues(t), Math.fround);

describe('causal self-attention, float32', () => {
  const [B, T, C, NH] = [2, 4, 8, 2];
  const D = C / NH;

  it('weights equal softmax(q k^T / sqrt(d) + mask) recomputed in TypeScript', async () => {
    const g = new Graph('attention', 'float32');
    const w = nn.attentionParams(new nn.Params(g, new nn.ParamStore(new Rng(21)), 'attn.'), C);
    const rng = new Rng(22);
    g.setParamValues(w.qkv.bias!, normals(rng, 3 * C, 0.2));
    g.setParamValues(w.proj.bias!, normals(rng, C, 0.2));
    const x = g.input('x', 'float32', ['B', T, C]);
    const { out, weights } = nn.causalSelfAttention(x, NH, w);
    expect(weights.shape).toEqual(['B', NH, T, T]);
    const session = await NodeSession.create(
      g.toOnnx({ outputs: { out, weights }, params: 'initializers' }),
    );
    const xv = normals(rng, B * T * C).map(Math.fround);
    const feed: Feed = { dtype: 'float32', data: xv, dims: [B, T, C] };
    const got = await session.run({ x: feed });
    await session.release();

    // Plain TypeScript, float64, from the same (float32-rounded) values.
    const [wq, bq, wp, bp] = [w.qkv.weight, w.qkv.bias!, w.proj.weight, w.proj.bias!].map(f32) as [
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
    ];
    const qkv = (b: number, t: number, j: number): number => {
      let s = bq[j] as number;
      for (let i = 0; i < C; i++)
        s += (xv[(b * T + t) * C + i] as number) * (wq[i * 3 * C + j] as number);
      return s;
    };
    const want = new Float64Array(B * NH * T * T);
    const y = new Float64Array(B * T * C); // heads side by side
    for (let b = 0; b < B; b++)
      for (let h = 0; h < NH; h++)
        for (let i = 0; i < T; i++) {
          const scores: number[] = [];
          for (let j = 0; j < T; j++) {
            let s = 0;
            for (let e = 0; e < D; e++) s += qkv(b, i, h * D + e) * qkv(b, j, C + h * D + e);
            scores.push(s / Math.sqrt(D) + (j <= i ? 0 : op.MASKED));
          }
          const m = Math.max(...scores);
          const ex = scores.map((s) => Math.exp(s - m));
          const z = ex.reduce((p, q) => p + q, 0);
          ex.forEach((v, j) => {
            want[((b * NH + h) * T + i) * T + j] = v / z;
            for (let e = 0; e < D; e++)
              y[(b * T + i) * C + h * D + e] =
                (y[(b * T + i) * C + h * D + e] as number) + (v / z) * qkv(b, j, 2 * C + h * D + e);
          });
        }

    const gotW = got.weights!;
    expect(gotW.length).toBe(want.length);
    let worst = 0;
    want.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - (gotW[k] as number)))));
    if (process.env.GRADCHECK_VERBOSE) console.log('attention weights, max abs diff', worst);
    expect(worst).toBeLessThanOrEqual(1e-5);

    for (let r = 0; r < B * NH * T; r++) {
      const i = r % T;
      let sum = 0;
      for (let j = 0; j < T; j++) {
        const v = gotW[r * T + j] as number;
        sum += v;
        if (j > i)
          expect(v).toBe(0); // the future: exactly 0, not merely small
        else expect(v).toBeGreaterThan(0);
      }
      expect(Math.abs(sum - 1)).toBeLessThanOrEqual(1e-6);
    }

    // And the block's output: y Wproj + bproj.
    const gotOut = got.out!;
    let worstOut = 0;
    for (let r = 0; r < B * T; r++)
      for (let j = 0; j < C; j++) {
        let s = bp[j] as number;
        for (let i = 0; i < C; i++) s += (y[r * C + i] as number) * (wp[i * C + j] as number);
        worstOut = Math.max(worstOut, Math.abs(s - (gotOut[r * C + j] as number)));
      }
    if (process.env.GRADCHECK_VERBOSE) console.log('attention output, max abs diff', worstOut);
    expect(worstOut).toBeLessThanOrEqual(1e-5);
  });
});

describe('a recurrent cell built twice: unrolled and one step', () => {
  const [B, T, C, H] = [3, 5, 4, 6];

  it('LSTM: same names and values, and T one-step runs give the unrolled states', async () => {
    const store = new nn.ParamStore(new Rng(31));

    // The unrolled graph (as for training): x (B, T, C) -> h_t for every t, and c_T.
    const gu = new Graph('lstm-unrolled', 'float32');
    const wu = nn.lstmParams(new nn.Params(gu, store, 'lstm.'), C, H);
    const xu = gu.input('x', 'float32', ['B', T, C]);
    const h0 = gu.input('h0', 'float32', ['B', H]);
    const c0 = gu.input('c0', 'float32', ['B', H]);
    const states = nn.unroll(xu, { h: h0, c: c0 }, (xt, s) => nn.lstmCell(xt, s, wu));
    const outputs: Record<string, Tensor> = { cT: (states[T - 1] as nn.LstmStep).c };
    states.forEach((s, t) => (outputs[`h${t + 1}`] = s.h));

    // The one-step graph (as for the page): x_t (B, C), h, c -> h', c' and the gates.
    const gs = new Graph('lstm-step', 'float32');
    const ws = nn.lstmParams(new nn.Params(gs, store, 'lstm.'), C, H);
    const step = nn.lstmCell(
      gs.input('x_t', 'float32', ['B', C]),
      { h: gs.input('h', 'float32', ['B', H]), c: gs.input('c', 'float32', ['B', H]) },
      ws,
    );

    const names = (g: Graph): string[] => g.params.map((p) => p.tensor.name);
    expect(names(gs)).toEqual(names(gu));
    expect(names(gu)).toEqual(['lstm.wx', 'lstm.wh', 'lstm.b']);
    for (const [a, b] of [
      [wu.wx, ws.wx],
      [wu.wh, ws.wh],
      [wu.b, ws.b],
    ] as const)
      expect(gs.paramValues(b)).toEqual(gu.paramValues(a));
    // The forget gate's bias starts at 1, the others at 0.
    expect(Array.from(gu.paramValues(wu.b))).toEqual(
      Array.from({ length: 4 * H }, (_, k) => (k >= H && k < 2 * H ? 1 : 0)),
    );

    const rng = new Rng(32);
    const x = normals(rng, B * T * C);
    const zeros = Array<number>(B * H).fill(0);
    const unrolled = await NodeSession.create(gu.toOnnx({ outputs, params: 'initializers' }));
    const u = await unrolled.run({
      x: { dtype: 'float32', data: x, dims: [B, T, C] },
      h0: { dtype: 'float32', data: zeros, dims: [B, H] },
      c0: { dtype: 'float32', data: zeros, dims: [B, H] },
    });
    await unrolled.release();

    const stepper = await NodeSession.create(
      gs.toOnnx({
        outputs: { h_next: step.h, c_next: step.c, f: step.f },
        params: 'initializers',
      }),
    );
    let h: ArrayLike<number> = zeros;
    let c: ArrayLike<number> = zeros;
    for (let t = 0; t < T; t++) {
      const xt: number[] = [];
      for (let b = 0; b < B; b++) xt.push(...x.slice((b * T + t) * C, (b * T + t + 1) * C));
      const r = await stepper.run({
        x_t: { dtype: 'float32', data: xt, dims: [B, C] },
        h: { dtype: 'float32', data: h, dims: [B, H] },
        c: { dtype: 'float32', data: c, dims: [B, H] },
      });
      h = r.h_next!;
      c = r.c_next!;
      for (const v of r.f!) expect(v > 0 && v < 1).toBe(true);
      const want = u[`h${t + 1}`]!;
      for (let k = 0; k < B * H; k++)
        expect(Math.abs((h[k] as number) - (want[k] as number))).toBeLessThanOrEqual(1e-6);
    }
    for (let k = 0; k < B * H; k++)
      expect(Math.abs((c[k] as number) - (u.cT![k] as number))).toBeLessThanOrEqual(1e-6);
    await stepper.release();
  });
});
