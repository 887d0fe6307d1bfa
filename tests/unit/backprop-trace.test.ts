/**
 * Figure "backprop-graph": the traced graphs (values, gradients, per-edge gradients) computed by
 * onnxruntime-node from our builder + autodiff, against hand derivatives and finite differences.
 */
import { describe, expect, it } from 'vitest';
import {
  exprFeeds,
  finiteDifference,
  gradOut,
  mlpFeeds,
  runTrace,
  traceGraph,
} from '../../src/components/ch3/backprop-graph/trace';
import { NodeSession } from '../../src/models/train/session';

describe('step-through graph', () => {
  it('the expression: values, gradients and edge products match the chain rule by hand', async () => {
    const tg = traceGraph('expr');
    expect(tg.layout.boxes.map((b) => b.id).sort()).toEqual([
      'L',
      'a',
      'b',
      'c',
      'd',
      'e',
      'f',
      'h',
    ]);
    expect(tg.layout.edges).toHaveLength(7);
    const x = { a: 1.5, b: -0.8, c: 2, d: 0.5 };
    const s = await NodeSession.create(tg.bytes);
    const { result } = await runTrace(s, tg, exprFeeds(x));
    const f = x.a * x.b + x.c;
    const h = Math.tanh(f);
    expect(result.loss).toBeCloseTo(h * x.d, 6);
    const dh = x.d;
    const df = dh * (1 - h * h);
    expect(result.grads['a']?.values?.[0]).toBeCloseTo(df * x.b, 6);
    expect(result.grads['b']?.values?.[0]).toBeCloseTo(df * x.a, 6);
    expect(result.grads['c']?.values?.[0]).toBeCloseTo(df, 6);
    expect(result.grads['d']?.values?.[0]).toBeCloseTo(h, 6);
    // Every edge: local derivative x upstream gradient = what it carries.
    for (const e of tg.edgesWithGrad) {
      const to = e.split(':')[0] as string;
      const local = result.locals[e]?.values?.[0] as number;
      const up = result.grads[to]?.values?.[0] as number;
      expect(result.edges[e]?.values?.[0]).toBeCloseTo(local * up, 6);
    }
    const loss = await NodeSession.create(tg.lossBytes);
    for (const leaf of ['a', 'b', 'c', 'd']) {
      const fd = await finiteDifference(
        loss,
        exprFeeds(x),
        leaf,
        0,
        result.grads[leaf]?.values?.[0] as number,
      );
      expect(fd.agrees, `${leaf}: fd ${fd.fd} vs ${fd.grad}`).toBe(true);
    }
    await s.release();
    await loss.release();
  });

  it('the MLP on one example: layered layout, gradient only in the embedding rows used, finite differences agree', async () => {
    const tg = traceGraph('mlp', 1);
    const ids = tg.layout.boxes.map((b) => b.id);
    for (const id of ['C', 'W1', 'b1', 'W2', 'b2', 'ctx', 'targets', 'emb', 'h', 'logits', 'loss'])
      expect(ids).toContain(id);
    // Every edge goes downwards.
    const y = new Map(tg.layout.boxes.map((b) => [b.id, b.y]));
    for (const e of tg.layout.edges)
      expect(y.get(e.from) as number).toBeLessThan(y.get(e.to) as number);
    // No two boxes overlap.
    for (const p of tg.layout.boxes)
      for (const q of tg.layout.boxes)
        if (p !== q && p.y === q.y) expect(Math.abs(p.x - q.x)).toBeGreaterThanOrEqual(100);

    const ex = { ctx: [5, 13, 13], target: 1 }; // "emm" -> a
    const s = await NodeSession.create(tg.bytes);
    const feeds = mlpFeeds(tg, ex);
    const { result, raw } = await runTrace(s, tg, feeds);
    expect(result.loss).toBeGreaterThan(2.5);
    expect(result.loss).toBeLessThan(4.5);
    const rows = result.grads['C']?.rowNorms ?? [];
    expect(rows.map((r, i) => (r > 0 ? i : -1)).filter((i) => i >= 0)).toEqual([5, 13]);

    const loss = await NodeSession.create(tg.lossBytes);
    const gW1 = raw[gradOut('W1')] as Float64Array;
    let best = 0;
    for (let i = 0; i < gW1.length; i++)
      if (Math.abs(gW1[i] as number) > Math.abs(gW1[best] as number)) best = i;
    const fd = await finiteDifference(loss, feeds, 'W1', best, gW1[best] as number);
    expect(fd.agrees, `fd ${fd.fd} vs ${fd.grad}`).toBe(true);
    const gC = raw[gradOut('C')] as Float64Array;
    const fdC = await finiteDifference(loss, feeds, 'C', 13 * 10 + 2, gC[13 * 10 + 2] as number);
    expect(fdC.agrees, `fd ${fdC.fd} vs ${fdC.grad}`).toBe(true);
    await s.release();
    await loss.release();
  });
});
