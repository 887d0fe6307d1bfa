/**
 * Chapter 3's training step (step.ts + mlp-lab.ts, the code the page runs on onnxruntime-web)
 * run here on onnxruntime-node, against the Node trainer that trained the chapter-1 MLP.
 */
import { describe, expect, it } from 'vitest';
import { examples, loadNames } from '../../src/models/names/data';
import { buildMlp, MLP_CONFIG, withLoss } from '../../src/models/names/mlp';
import { buildLab, labGraphs, labStepper, predictAt } from '../../src/models/names/mlp-lab';
import { NodeSession } from '../../src/models/train/session';
import { evaluate } from '../../src/models/train/step';
import { train } from '../../src/models/train/trainer';
import { sampleNames } from '../../src/models/names/lm';

const corpus = loadNames();
const data = { train: examples(corpus.train), heldOut: examples(corpus.heldOut) };

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs((a[i] as number) - (b[i] as number)));
  return d;
}

describe('the page training step', () => {
  it('the examples are one prediction per character plus the end of each name', () => {
    const n = corpus.heldOut.reduce((sum, name) => sum + name.length + 1, 0);
    expect(data.heldOut.targets.length).toBe(n);
    expect(data.heldOut.contexts.length).toBe(n * MLP_CONFIG.context);
  });

  for (const batch of [32, 256]) {
    it(`one step (batch ${batch}) equals the Node trainer's step on the same weights and batch`, async () => {
      const seed = 11;
      const lr = 0.01;
      // The Node trainer: one step of train() with a flat learning rate.
      const m = buildMlp({ ...MLP_CONFIG, seed: 3 });
      const { loss } = withLoss(m);
      await train({ graph: m.graph, loss, params: m.params }, data, {
        steps: 1,
        batch,
        lr,
        lrMin: lr,
        seed,
        evalEvery: 1,
      });
      const expected = m.params.map((p) => m.graph.paramValues(p));

      // The page's code: the lab graph (with probes) and the Stepper, on onnxruntime-node.
      const lab = buildLab(3, 'random');
      const graphs = labGraphs(lab);
      const session = await NodeSession.create(graphs.step);
      const stepper = labStepper(lab, session, graphs.gradNames, { seed, optimizer: 'adam' });
      const r = await stepper.step(data.train, batch, lr, ['h']);
      expect(r.extra['h']?.length).toBe(batch * MLP_CONFIG.hidden);
      stepper.values.forEach((v, i) =>
        expect(maxAbsDiff(v, expected[i] as Float64Array)).toBeLessThan(1e-5),
      );
      await session.release();
    });
  }

  it('zero init: every hidden unit stays identical and only the output bias learns', async () => {
    const lab = buildLab(1, 'zero');
    const graphs = labGraphs(lab);
    const session = await NodeSession.create(graphs.step);
    const stepper = labStepper(lab, session, graphs.gradNames, { seed: 5, optimizer: 'adam' });
    for (let i = 0; i < 20; i++) await stepper.step(data.train, 64, 0.01);
    const [C, W1, , W2, b2] = stepper.values as [
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
    ];
    expect(Math.max(...C.map(Math.abs), ...W1.map(Math.abs), ...W2.map(Math.abs))).toBe(0);
    expect(Math.max(...b2.map(Math.abs))).toBeGreaterThan(0.1);
    await session.release();
  });

  it('constant init: the hidden units stay identical columns while the loss still moves', async () => {
    const lab = buildLab(1, 'constant');
    const graphs = labGraphs(lab);
    const session = await NodeSession.create(graphs.step);
    const stepper = labStepper(lab, session, graphs.gradNames, { seed: 5, optimizer: 'adam' });
    for (let i = 0; i < 20; i++) await stepper.step(data.train, 64, 0.01);
    const W1 = stepper.values[1] as Float64Array; // [30, 200]
    const hidden = MLP_CONFIG.hidden;
    for (let r = 0; r < 30; r++)
      for (let j = 1; j < hidden; j++) expect(W1[r * hidden + j]).toBe(W1[r * hidden]);
    await session.release();
  });

  it('training in the lab lowers held-out loss, and the probs graph samples names', async () => {
    const lab = buildLab(1, 'random');
    const graphs = labGraphs(lab);
    const step = await NodeSession.create(graphs.step);
    const ev = await NodeSession.create(graphs.eval);
    const probs = await NodeSession.create(graphs.probs);
    const stepper = labStepper(lab, step, graphs.gradNames, { seed: 5, optimizer: 'adam' });
    const before = await evaluate(ev, lab.trainable, stepper.values, data.heldOut);
    for (let i = 0; i < 200; i++) await stepper.step(data.train, 64, 0.01);
    const after = await evaluate(ev, lab.trainable, stepper.values, data.heldOut);
    expect(before).toBeGreaterThan(3.2);
    expect(after).toBeLessThan(2.6);
    const names = await sampleNames(predictAt(probs, lab, stepper.values), {
      count: 5,
      temperature: 1,
      seed: 1,
    });
    expect(names).toHaveLength(5);
    for (const s of [step, ev, probs]) await s.release();
  });
});
