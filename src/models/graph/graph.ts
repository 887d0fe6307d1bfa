/**
 * The graph builder: tensors with static (or named) shapes, nodes that remember how to send a
 * gradient back to their inputs, and an exporter to ONNX. Models are written once against this
 * builder; `autodiff.ts` walks the same nodes backwards to add the backward graph.
 *
 * The ops themselves (shape rule + ONNX node + gradient rule, side by side) are in `ops.ts`.
 */
import {
  DataType,
  FLOAT16_SUFFIX,
  encodeModel,
  type AttrValue,
  type DataTypeCode,
  type ModelProto,
  type TensorProto,
} from './proto';

/** bool only appears inside graphs (comparison results, masks for Where), never as a weight. */
export type DType = 'float32' | 'float64' | 'int64' | 'bool';
/** A fixed size, or a name for a size known only at run time (e.g. 'B' for the batch). */
export type Dim = number | string;
export type Shape = readonly Dim[];

export const OPSET = 17;
export const IR_VERSION = 8;

export class Tensor {
  constructor(
    readonly graph: Graph,
    public name: string,
    readonly dtype: DType,
    readonly shape: Shape,
  ) {}

  get rank(): number {
    return this.shape.length;
  }

  /** Number of elements; throws if a dimension is symbolic. */
  get size(): number {
    return staticSize(this.shape);
  }
}

export interface Node {
  opType: string;
  name: string;
  inputs: Tensor[];
  outputs: Tensor[];
  attributes: Record<string, AttrValue>;
  /**
   * The gradient rule: given dLoss/dOutput, the gradients for each input (undefined where an
   * input takes no gradient, e.g. integer indices). Missing means the op is not differentiable.
   */
  backward?: (grad: Tensor) => (Tensor | undefined)[];
}

interface Param {
  tensor: Tensor;
  values: Float64Array;
}

interface Constant {
  tensor: Tensor;
  values: Float64Array;
}

export function staticSize(shape: Shape): number {
  let n = 1;
  for (const d of shape) {
    if (typeof d !== 'number') throw new Error(`shape [${shape.join(', ')}] is not static`);
    n *= d;
  }
  return n;
}

export function isStatic(shape: Shape): shape is readonly number[] {
  return shape.every((d) => typeof d === 'number');
}

export interface ExportOptions {
  /** Graph outputs by name. */
  outputs: Record<string, Tensor>;
  /** 'initializers': weights are baked into the file (inference). 'inputs': fed at each run (training). */
  params: 'initializers' | 'inputs';
  /** How float weights are stored when baked in (float16 halves the file; ops still run in float32). */
  weights?: 'float32' | 'float16';
  docString?: string;
  metadata?: Record<string, string>;
}

export class Graph {
  readonly nodes: Node[] = [];
  readonly inputs: Tensor[] = [];
  readonly params: Param[] = [];
  readonly constants: Constant[] = [];
  private names = new Set<string>();
  private counter = 0;
  private scalars = new Map<string, Tensor>();

  constructor(
    readonly name: string,
    /** The float type of every float tensor: float32 for models, float64 for gradient checks. */
    readonly float: 'float32' | 'float64' = 'float32',
  ) {}

  private claim(name: string): string {
    if (this.names.has(name)) throw new Error(`graph ${this.name}: name "${name}" is already used`);
    this.names.add(name);
    return name;
  }

  private fresh(prefix: string): string {
    let name: string;
    do name = `${prefix}${this.counter++}`;
    while (this.names.has(name));
    return this.claim(name);
  }

  /** Give an intermediate tensor a readable name (shown in exported graphs and figures). */
  label(t: Tensor, name: string): Tensor {
    this.names.delete(t.name);
    t.name = this.claim(name);
    return t;
  }

  input(name: string, dtype: DType, shape: Shape): Tensor {
    const t = new Tensor(this, this.claim(name), dtype, shape);
    this.inputs.push(t);
    return t;
  }

  /** A trainable weight with its initial values. */
  param(name: string, shape: readonly number[], values: ArrayLike<number>): Tensor {
    const t = new Tensor(this, this.claim(name), this.float, shape);
    if (values.length !== staticSize(shape))
      throw new Error(`param ${name}: ${values.length} values for shape [${shape}]`);
    this.params.push({ tensor: t, values: Float64Array.from(values) });
    return t;
  }

  paramValues(t: Tensor): Float64Array {
    const p = this.params.find((q) => q.tensor === t);
    if (!p) throw new Error(`${t.name} is not a parameter`);
    return p.values;
  }

  setParamValues(t: Tensor, values: ArrayLike<number>): void {
    const target = this.paramValues(t);
    if (values.length !== target.length) throw new Error(`param ${t.name}: wrong number of values`);
    target.set(values);
  }

  constant(values: ArrayLike<number>, shape: readonly number[], dtype: DType = this.float): Tensor {
    const t = new Tensor(this, this.fresh('const'), dtype, shape);
    if (values.length !== staticSize(shape))
      throw new Error(`constant: ${values.length} values for shape [${shape}]`);
    this.constants.push({ tensor: t, values: Float64Array.from(values) });
    return t;
  }

  /** A shared rank-0 constant. */
  scalar(value: number, dtype: DType = this.float): Tensor {
    const key = `${dtype}:${value}`;
    let t = this.scalars.get(key);
    if (!t) {
      t = this.constant([value], [], dtype);
      this.scalars.set(key, t);
    }
    return t;
  }

  /** A 1-D int64 constant (axes, shapes, slice bounds). */
  ints(values: readonly number[]): Tensor {
    return this.constant(values, [values.length], 'int64');
  }

  /** Add a node; used by the ops in ops.ts. */
  node(
    opType: string,
    inputs: Tensor[],
    attributes: Record<string, AttrValue>,
    output: { dtype: DType; shape: Shape },
    backward?: (grad: Tensor) => (Tensor | undefined)[],
  ): Tensor {
    for (const t of inputs) {
      if (t.graph !== this) throw new Error(`${opType}: input ${t.name} belongs to another graph`);
    }
    const out = new Tensor(this, this.fresh('t'), output.dtype, output.shape);
    const node: Node = {
      opType,
      name: this.fresh(`${opType}_`),
      inputs,
      outputs: [out],
      attributes,
    };
    if (backward) node.backward = backward;
    this.nodes.push(node);
    return out;
  }

  producer(t: Tensor): Node | undefined {
    return this.nodes.find((n) => n.outputs.includes(t));
  }

  /** The ONNX model computing `outputs` (only the nodes they need are kept). */
  toModel(opts: ExportOptions): ModelProto {
    const needed = new Set<Tensor>(Object.values(opts.outputs));
    const kept: Node[] = [];
    for (let i = this.nodes.length - 1; i >= 0; i--) {
      const n = this.nodes[i] as Node;
      if (!n.outputs.some((o) => needed.has(o))) continue;
      kept.push(n);
      for (const t of n.inputs) needed.add(t);
    }
    kept.reverse();

    const nodes = kept.map((n) => ({
      opType: n.opType,
      name: n.name,
      inputs: n.inputs.map((t) => t.name),
      outputs: n.outputs.map((t) => t.name),
      attributes: n.attributes,
    }));
    const outputs = Object.entries(opts.outputs).map(([name, t]) => {
      if (t.name !== name) {
        if (this.names.has(name))
          throw new Error(`output name "${name}" is taken by another tensor`);
        nodes.push({
          opType: 'Identity',
          name: `Identity_${name}`,
          inputs: [t.name],
          outputs: [name],
          attributes: {},
        });
      }
      return { name, dataType: DTYPE_CODE[t.dtype], shape: [...t.shape] };
    });

    const initializers: TensorProto[] = [];
    const inputs = this.inputs.filter((t) => needed.has(t)).map(valueInfo);
    for (const p of this.params) {
      if (!needed.has(p.tensor)) continue;
      if (opts.params === 'inputs') inputs.push(valueInfo(p.tensor));
      else initializers.push(weightTensor(p.tensor, p.values, opts.weights ?? 'float32'));
    }
    for (const c of this.constants) {
      if (needed.has(c.tensor))
        initializers.push(
          rawTensor(c.tensor.name, c.tensor.dtype, c.tensor.shape as number[], c.values),
        );
    }
    // Float16 weights are widened back to float32 by a Cast right after loading.
    const casts = initializers.filter((t) => t.dataType === DataType.FLOAT16);
    for (const t of casts) {
      const stored = `${t.name}${FLOAT16_SUFFIX}`;
      nodes.unshift({
        opType: 'Cast',
        name: `Cast_${t.name}`,
        inputs: [stored],
        outputs: [t.name],
        attributes: { to: { kind: 'int', value: DataType.FLOAT } },
      });
      t.name = stored;
    }

    return {
      irVersion: IR_VERSION,
      opset: OPSET,
      producerName: 'chain-rule-twice graph builder',
      producerVersion: '1',
      docString: opts.docString ?? '',
      graph: { name: this.name, nodes, initializers, inputs, outputs },
      metadata: opts.metadata ?? {},
    };
  }

  toOnnx(opts: ExportOptions): Uint8Array {
    return encodeModel(this.toModel(opts));
  }
}

const DTYPE_CODE: Record<DType, DataTypeCode> = {
  float32: DataType.FLOAT,
  float64: DataType.DOUBLE,
  int64: DataType.INT64,
  bool: DataType.BOOL,
};

function valueInfo(t: Tensor): { name: string; dataType: DataTypeCode; shape: Dim[] } {
  return { name: t.name, dataType: DTYPE_CODE[t.dtype], shape: [...t.shape] };
}

function rawTensor(name: string, dtype: DType, dims: number[], values: Float64Array): TensorProto {
  const width = dtype === 'float32' ? 4 : dtype === 'bool' ? 1 : 8;
  const raw = new Uint8Array(values.length * width);
  const view = new DataView(raw.buffer);
  values.forEach((v, i) => {
    if (dtype === 'bool') view.setUint8(i, v ? 1 : 0);
    else if (dtype === 'float32') view.setFloat32(i * 4, v, true);
    else if (dtype === 'float64') view.setFloat64(i * 8, v, true);
    else view.setBigInt64(i * 8, BigInt(v), true);
  });
  return { name, dataType: DTYPE_CODE[dtype], dims, raw };
}

function weightTensor(
  t: Tensor,
  values: Float64Array,
  weights: 'float32' | 'float16',
): TensorProto {
  if (weights === 'float32' || t.dtype !== 'float32')
    return rawTensor(t.name, t.dtype, t.shape as number[], values);
  const raw = new Uint8Array(values.length * 2);
  const view = new DataView(raw.buffer);
  values.forEach((v, i) => view.setUint16(i * 2, floatToHalf(v), true));
  return { name: t.name, dataType: DataType.FLOAT16, dims: t.shape as number[], raw };
}

/** Round-to-nearest-even float64 -> IEEE half. */
export function floatToHalf(value: number): number {
  const f32 = new Float32Array([value]);
  const x = new Uint32Array(f32.buffer)[0] as number;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    return sign | (half + (rem > mid || (rem === mid && half & 1) ? 1 : 0));
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && half & 1)) half++;
  return sign | half;
}
