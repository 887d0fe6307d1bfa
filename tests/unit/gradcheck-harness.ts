/**
 * The gradient check shared by the gradcheck tests: build a float64 graph, project its output
 * onto a fixed random tensor, L = sum(out * R), and compare the autodiff gradient dL/dp of
 * every parameter p (computed by onnxruntime-node) with central finite differences
 * (L(p + h e_i) - L(p - h e_i)) / 2h, element by element. The result is the worst norm-wise
 * relative error ||a - n|| / max(||a||, ||n||) over the parameters.
 */
import { expect } from 'vitest';
import { Graph, type Shape, type Tensor } from '../../src/models/graph/graph';
import { gradients } from '../../src/models/graph/autodiff';
import * as op from '../../src/models/graph/ops';
import { NodeSession, type Feed } from '../../src/models/train/session';
import { Rng } from '../../src/models/rng';

export const H = 1e-6;
export const TOLERANCE = 1e-6;

export interface Case {
  /**
   * Builds op(params..) on a float64 graph; `p` makes a random parameter (normal, times
   * `scale`, or uniform in [0.5, 1.5) if `positive`), `feed` a fixed input. Parameters the
   * build adds to the graph itself (g.param) are checked as well.
   */
  build: (ctx: {
    g: Graph;
    p: (shape: number[], opts?: { positive?: boolean; scale?: number }) => Tensor;
    feed: (name: string, f: Feed, shape?: Shape) => Tensor;
  }) => Tensor;
}

export async function gradcheck(name: string, c: Case, seed = 1): Promise<number> {
  const rng = new Rng(seed);
  const g = new Graph(name, 'float64');
  const feeds: Record<string, Feed> = {};
  let k = 0;
  const out = c.build({
    g,
    p: (shape, opts) => {
      const n = shape.reduce((a, b) => a * b, 1);
      const values = Array.from({ length: n }, () =>
        opts?.positive ? 0.5 + rng.next() : rng.normal() * (opts?.scale ?? 1),
      );
      return g.param(`p${k++}`, shape, values);
    },
    feed: (n, f, shape) => {
      feeds[n] = f;
      return g.input(n, f.dtype, shape ?? f.dims);
    },
  });
  // Every parameter of the graph is checked: those made by `p`, and any the build made itself.
  const params = g.params.map((q) => q.tensor);
  // Project the output onto a random tensor so every element's gradient is exercised.
  if (!out.shape.every((d): d is number => typeof d === 'number'))
    throw new Error('output shape must be static');
  const r = g.constant(
    Array.from({ length: out.size }, () => rng.normal()),
    out.shape as number[],
  );
  const loss =
    out.rank === 0 ? op.mul(out, r) : op.reduceSum(op.mul(out, r), [...Array(out.rank).keys()]);
  const grads = gradients(loss, params);
  const outputs: Record<string, Tensor> = { loss };
  grads.forEach((t, i) => (outputs[`grad${i}`] = t));
  const session = await NodeSession.create(g.toOnnx({ outputs, params: 'inputs' }));

  const paramFeeds = (): Record<string, Feed> => {
    const all: Record<string, Feed> = { ...feeds };
    for (const t of params)
      all[t.name] = { dtype: 'float64', data: g.paramValues(t), dims: t.shape as number[] };
    return all;
  };
  const analytic = await session.run(paramFeeds());
  let worst = 0;
  for (const [i, t] of params.entries()) {
    const values = g.paramValues(t);
    const numeric = new Float64Array(values.length);
    for (let j = 0; j < values.length; j++) {
      const x0 = values[j] as number;
      values[j] = x0 + H;
      const up = (await session.run(paramFeeds(), ['loss'])).loss![0]!;
      values[j] = x0 - H;
      const down = (await session.run(paramFeeds(), ['loss'])).loss![0]!;
      values[j] = x0;
      numeric[j] = (up - down) / (2 * H);
    }
    const a = analytic[`grad${i}`]!;
    expect(a.length).toBe(numeric.length);
    // Norm-wise relative error: ||a - n|| / max(||a||, ||n||).
    let diff = 0;
    let na = 0;
    let nn = 0;
    for (let j = 0; j < a.length; j++) {
      diff += ((a[j] as number) - (numeric[j] as number)) ** 2;
      na += (a[j] as number) ** 2;
      nn += (numeric[j] as number) ** 2;
    }
    expect(Math.max(na, nn)).toBeGreaterThan(0);
    worst = Math.max(worst, Math.sqrt(diff) / Math.sqrt(Math.max(na, nn)));
  }
  await session.release();
  return worst;
}

export const ints = (data: number[], dims: number[]): Feed => ({ dtype: 'int64', data, dims });
