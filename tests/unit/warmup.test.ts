/**
 * The warm-up model of RuntimeStart.astro (src/models/runtime/warmup.ts): the page creates a
 * session of it to make onnxruntime initialise early, so it must be a model ORT accepts and
 * runs. Checked with onnxruntime-node on the same bytes the page gets as base64.
 */
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { warmupBase64, warmupModel } from '../../src/models/runtime/warmup';

describe('warm-up model', () => {
  it('is a valid one-node model that onnxruntime loads and runs (y = x)', async () => {
    const bytes = Uint8Array.from(Buffer.from(warmupBase64(), 'base64'));
    expect(bytes).toEqual(warmupModel());
    const session = await ort.InferenceSession.create(bytes);
    expect(session.inputNames).toEqual(['x']);
    expect(session.outputNames).toEqual(['y']);
    const out = await session.run({ x: new ort.Tensor('float32', Float32Array.of(2.5), [1]) });
    expect(Array.from(out['y']?.data as Float32Array)).toEqual([2.5]);
    await session.release();
  });

  it('is small enough to inline in every page with a figure', () => {
    // Its size is fixed by its graph; the page carries it as base64 in an inline script.
    expect(warmupBase64().length).toBeLessThan(256);
  });
});
