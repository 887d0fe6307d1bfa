/**
 * onnxruntime-node sessions for training and checks. One thread, so that reductions always add
 * in the same order and a rebuild with the same seed gives the same bytes.
 */
import * as ort from 'onnxruntime-node';
import type { DType } from '../graph/graph';

export type Feed = { dtype: DType; data: ArrayLike<number>; dims: readonly number[] };

export class NodeSession {
  private constructor(private readonly session: ort.InferenceSession) {}

  static async create(bytes: Uint8Array): Promise<NodeSession> {
    const session = await ort.InferenceSession.create(bytes, {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
    return new NodeSession(session);
  }

  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }

  /** Run with plain arrays in, Float64Arrays out (float32 outputs widened). */
  async run(
    feeds: Record<string, Feed>,
    outputs?: readonly string[],
  ): Promise<Record<string, Float64Array>> {
    const shaped = await this.runShaped(feeds, outputs);
    return Object.fromEntries(Object.entries(shaped).map(([name, o]) => [name, o.data]));
  }

  /** As run, with each output's dims (a key/value cache grows by a position every step). */
  async runShaped(
    feeds: Record<string, Feed>,
    outputs?: readonly string[],
  ): Promise<Record<string, { data: Float64Array; dims: number[] }>> {
    const tensors: Record<string, ort.Tensor> = {};
    for (const [name, f] of Object.entries(feeds)) tensors[name] = toTensor(f);
    const result = outputs
      ? await this.session.run(tensors, [...outputs])
      : await this.session.run(tensors);
    const out: Record<string, { data: Float64Array; dims: number[] }> = {};
    for (const [name, t] of Object.entries(result)) {
      const data = t.data;
      const dims = [...t.dims];
      if (
        data instanceof Float32Array ||
        data instanceof Float64Array ||
        data instanceof Uint8Array
      )
        out[name] = { data: Float64Array.from(data), dims }; // Uint8Array: bool, as 0 / 1
      else if (data instanceof BigInt64Array)
        out[name] = { data: Float64Array.from(data, Number), dims };
      else throw new Error(`output ${name}: unsupported type ${t.type}`);
      t.dispose();
    }
    return out;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

export function toTensor(f: Feed): ort.Tensor {
  const dims = [...f.dims];
  if (f.dtype === 'int64')
    return new ort.Tensor(
      'int64',
      BigInt64Array.from(Array.from(f.data), (v) => BigInt(v)),
      dims,
    );
  if (f.dtype === 'bool')
    return new ort.Tensor(
      'bool',
      Uint8Array.from(f.data, (v) => (v ? 1 : 0)),
      dims,
    );
  if (f.dtype === 'float64') return new ort.Tensor('float64', Float64Array.from(f.data), dims);
  return new ort.Tensor('float32', Float32Array.from(f.data), dims);
}
