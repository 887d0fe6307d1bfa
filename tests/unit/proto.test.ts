import { describe, expect, it } from 'vitest';
import { floatToHalf, Graph } from '../../src/models/graph/graph';
import * as op from '../../src/models/graph/ops';
import { encodeModel } from '../../src/models/graph/proto';
import { decodeModel, halfToFloat, tensorValues } from '../../src/models/graph/proto-read';
import { NodeSession } from '../../src/models/train/session';

describe('ONNX protobuf writer and reader', () => {
  it('round-trips a model with attributes, symbolic shapes and initializers', () => {
    const g = new Graph('rt');
    const x = g.input('x', 'float32', ['B', 4]);
    const w = g.param('w', [4, 2], [1, -2, 3.5, 0, -1e-3, 7, 8, 9]);
    const y = op.softmax(op.matmul(x, w), -1);
    const model = g.toModel({ outputs: { y }, params: 'initializers', metadata: { k: 'v' } });
    const back = decodeModel(encodeModel(model));
    expect(back.graph.inputs).toEqual(model.graph.inputs);
    expect(back.graph.outputs).toEqual(model.graph.outputs);
    expect(back.graph.nodes).toEqual(model.graph.nodes);
    expect(back.metadata).toEqual({ k: 'v' });
    expect(back.opset).toBe(model.opset);
    const wBack = back.graph.initializers.find((t) => t.name === 'w')!;
    expect(Array.from(tensorValues(wBack))).toEqual(
      Array.from(Float32Array.from([1, -2, 3.5, 0, -1e-3, 7, 8, 9])),
    );
  });

  it('float16 weights load in onnxruntime and stay within half precision of the float32 ones', async () => {
    const g = new Graph('fp16');
    const x = g.input('x', 'float32', [1, 3]);
    const values = [0.1, -2.5, 1000, 3e-5, -0.333, 65504];
    const w = g.param('w', [3, 2], values);
    const y = op.matmul(x, w);
    const s = await NodeSession.create(
      g.toOnnx({ outputs: { y }, params: 'initializers', weights: 'float16' }),
    );
    const out = (await s.run({ x: { dtype: 'float32', data: [1, 0, 0], dims: [1, 3] } })).y!;
    expect(out[0]).toBeCloseTo(halfToFloat(floatToHalf(0.1)), 7);
    expect(Math.abs(out[0]! - 0.1)).toBeLessThan(0.1 * 2 ** -10);
    expect(out[1]).toBe(-2.5);
  });

  it('converts halves exactly where they are representable', () => {
    for (const v of [0, 1, -1, 0.5, 2 ** -14, 2 ** -24, 65504, -65504, 1.5, 1025])
      expect(halfToFloat(floatToHalf(v))).toBe(v);
    expect(halfToFloat(floatToHalf(1e6))).toBe(Infinity);
    // Halves are 1 apart in [1024, 2048): ties round to the even neighbour.
    expect(halfToFloat(floatToHalf(1024.5))).toBe(1024);
    expect(halfToFloat(floatToHalf(1025.5))).toBe(1026);
  });
});
