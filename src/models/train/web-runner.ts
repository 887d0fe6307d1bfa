/**
 * A GraphRunner over an onnxruntime-web session (browser), so that step.ts's Stepper runs the
 * same training step in the page as onnxruntime-node runs at build time. Runs go through a
 * queue (onnxruntime-web refuses overlapping runs): by default one per session; pass the page
 * runtime's per-EP queue to share it with every other figure.
 */
import type { InferenceSession, Tensor } from 'onnxruntime-web';
import type { Feed, GraphRunner } from './step';

type TensorCtor = typeof Tensor;
type Serial = <T>(fn: () => Promise<T>) => Promise<T>;

const queues = new WeakMap<InferenceSession, Promise<unknown>>();

function toTensor(T: TensorCtor, f: Feed): Tensor {
  const dims = [...f.dims];
  if (f.dtype === 'int64') {
    const data = new BigInt64Array(f.data.length);
    for (let i = 0; i < data.length; i++) data[i] = BigInt(f.data[i] as number);
    return new T('int64', data, dims);
  }
  if (f.dtype === 'bool')
    return new T(
      'bool',
      Uint8Array.from(f.data, (v) => (v ? 1 : 0)),
      dims,
    );
  if (f.dtype === 'float64') return new T('float64', Float64Array.from(f.data), dims);
  return new T('float32', Float32Array.from(f.data), dims);
}

export class WebRunner implements GraphRunner {
  constructor(
    private readonly T: TensorCtor,
    private readonly session: InferenceSession,
    private readonly serial?: Serial,
  ) {}

  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }

  run(
    feeds: Record<string, Feed>,
    outputs?: readonly string[],
  ): Promise<Record<string, Float64Array>> {
    if (this.serial) return this.serial(() => this.runNow(feeds, outputs));
    const job = (queues.get(this.session) ?? Promise.resolve()).then(() =>
      this.runNow(feeds, outputs),
    );
    queues.set(
      this.session,
      job.catch(() => undefined),
    );
    return job;
  }

  private async runNow(
    feeds: Record<string, Feed>,
    outputs?: readonly string[],
  ): Promise<Record<string, Float64Array>> {
    const tensors: Record<string, Tensor> = {};
    for (const [name, f] of Object.entries(feeds)) tensors[name] = toTensor(this.T, f);
    try {
      const result = outputs
        ? await this.session.run(tensors, [...outputs])
        : await this.session.run(tensors);
      const out: Record<string, Float64Array> = {};
      for (const [name, t] of Object.entries(result)) {
        // getData() downloads GPU tensors too; CPU tensors give their data as is.
        const data = await t.getData();
        if (data instanceof Float32Array || data instanceof Float64Array)
          out[name] = Float64Array.from(data);
        else if (data instanceof BigInt64Array) out[name] = Float64Array.from(data, Number);
        else throw new Error(`output ${name}: unsupported type ${t.type}`);
        t.dispose();
      }
      return out;
    } finally {
      for (const t of Object.values(tensors)) t.dispose();
    }
  }
}
