/**
 * The bench's reference point: a plain-TypeScript interpreter of an exported ONNX graph, so that
 * onnxruntime-web can be timed next to nothing but the arithmetic. It reads the very .onnx bytes
 * the book ships (decoded by the project's own reader, src/models/graph/proto.ts) and runs its
 * nodes in file order (our exports are topologically sorted), with row-major tensors:
 *
 *   float (float32; float16 initializers widened, exactly)  -> Float32Array
 *   int   (int64, int32), as plain numbers (exact below 2^53) -> Float64Array
 *
 * It implements exactly the ops of the shipped window models (unigram, bigram, mlp, nnlm,
 * ngram): Cast, Concat, Exp, Expand, Gather, Identity, MatMul, Mul, Add, Reshape,
 * ScatterElements, Shape, Slice, Softmax, Squeeze, Tanh, Transpose, with opset >= 13 semantics.
 * A graph with any other op is refused at load, by name (`unsupportedOps`).
 *
 * Nodes computed from initializers alone (the NNLM's fp16 -> float32 Casts and its tied output
 * matrix's Transpose) run once, at load, as onnxruntime's constant folding does.
 *
 * The computation is float32 (MatMul accumulates in its float32 output) with float64
 * accumulators only inside Softmax's sum, close to what onnxruntime's CPU kernels do; the
 * outputs are compared to onnxruntime-web's in the bench and to onnxruntime-node's in
 * tests/unit/bench.test.ts.
 */
import { TENSOR } from '../../../src/models/contract';
import {
  DataType,
  type AttrValue,
  type NodeProto,
  type TensorProto,
} from '../../../src/models/graph/proto';
import { decodeModel, tensorValues } from '../../../src/models/graph/proto-read';

export interface Tensor {
  type: 'float' | 'int';
  shape: number[];
  data: Float32Array | Float64Array;
}

type Attrs = Record<string, AttrValue>;
/** One op: its inputs (undefined for an omitted optional one) -> its one output. */
type Op = (inputs: (Tensor | undefined)[], attrs: Attrs) => Tensor;

// ---------------------------------------------------------------------------------------------
// Helpers

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
const sameShape = (a: number[], b: number[]) =>
  a.length === b.length && a.every((d, i) => d === b[i]);

function empty(type: Tensor['type'], shape: number[]): Tensor {
  const n = size(shape);
  return { type, shape, data: type === 'float' ? new Float32Array(n) : new Float64Array(n) };
}

/** Row-major strides: strides[d] = product of shape[d+1..]. */
function stridesOf(shape: number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    s[d] = acc;
    acc *= shape[d] as number;
  }
  return s;
}

/** A possibly negative axis of a tensor of rank `rank`, as 0..rank-1. */
function axisOf(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw new Error(`axis ${axis} out of range for rank ${rank}`);
  return a;
}

function arg(inputs: (Tensor | undefined)[], i: number): Tensor {
  const t = inputs[i];
  if (!t) throw new Error(`input ${i} missing`);
  return t;
}

function floats(t: Tensor): Float32Array {
  if (t.type !== 'float') throw new Error('expected a float tensor');
  return t.data as Float32Array;
}

/** The values of an int tensor (shapes, axes, indices) as plain numbers. */
function ints(t: Tensor): number[] {
  if (t.type !== 'int') throw new Error('expected an int tensor');
  return Array.from(t.data);
}

function intAttr(attrs: Attrs, name: string, fallback: number): number {
  const a = attrs[name];
  return a?.kind === 'int' ? a.value : fallback;
}

/**
 * A strided view of `t` copied into a new contiguous tensor of `shape`: output element
 * (i0, i1, ...) is t.data[offset + sum_d id * strides[d]]. Transpose, Slice and Expand are this.
 */
function view(t: Tensor, shape: number[], strides: number[], offset: number): Tensor {
  const out = empty(t.type, shape);
  if (shape.length === 0) {
    out.data[0] = t.data[offset] as number;
    return out;
  }
  const last = shape.length - 1;
  const n = shape[last] as number;
  const step = strides[last] as number;
  const idx = new Array<number>(last).fill(0);
  let src = offset;
  for (let i = 0; i < out.data.length; i += n) {
    // One run along the last axis...
    for (let j = 0; j < n; j++) out.data[i + j] = t.data[src + j * step] as number;
    // ...then an odometer over the axes before it: step the innermost, carrying outwards.
    for (let d = last - 1; d >= 0; d--) {
      src += strides[d] as number;
      idx[d] = (idx[d] as number) + 1;
      if ((idx[d] as number) < (shape[d] as number)) break;
      src -= (strides[d] as number) * (shape[d] as number);
      idx[d] = 0;
    }
  }
  return out;
}

/** Numpy broadcasting: the shape both `a` and `b` broadcast to. */
function broadcastShape(a: number[], b: number[]): number[] {
  const rank = Math.max(a.length, b.length);
  return Array.from({ length: rank }, (_, d) => {
    const x = a[d - rank + a.length] ?? 1;
    const y = b[d - rank + b.length] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new Error(`cannot broadcast [${a}] with [${b}]`);
    return x === 1 ? y : x;
  });
}

/** `t` broadcast to `shape` (itself when it already has that shape). */
function expandTo(t: Tensor, shape: number[]): Tensor {
  if (sameShape(t.shape, shape)) return t;
  const own = stridesOf(t.shape);
  const lead = shape.length - t.shape.length;
  // A broadcast axis (missing, or 1 in t) reads the same element again: stride 0.
  const strides = shape.map((_, d) =>
    d < lead || t.shape[d - lead] === 1 ? 0 : (own[d - lead] as number),
  );
  return view(t, shape, strides, 0);
}

// ---------------------------------------------------------------------------------------------
// The ops, alphabetically. Shapes in comments: x [B, n] means rank 2, dims B and n.

/** x + y, numpy broadcasting (logits [B, V] + bias [V]). */
function Add(inputs: (Tensor | undefined)[]): Tensor {
  const [a, b] = [arg(inputs, 0), arg(inputs, 1)];
  const shape = broadcastShape(a.shape, b.shape);
  const x = floats(expandTo(a, shape));
  const y = floats(expandTo(b, shape));
  const out = new Float32Array(x.length);
  for (let i = 0; i < out.length; i++) out[i] = (x[i] as number) + (y[i] as number);
  return { type: 'float', shape, data: out };
}

/** x converted to attribute `to`: 1 float32, 7 int64 / 6 int32 (toward zero, as ONNX does). */
function Cast(inputs: (Tensor | undefined)[], attrs: Attrs): Tensor {
  const x = arg(inputs, 0);
  const to = intAttr(attrs, 'to', -1);
  if (to === DataType.FLOAT)
    return { type: 'float', shape: x.shape, data: Float32Array.from(x.data) };
  if (to === DataType.INT64 || to === DataType.INT32)
    return { type: 'int', shape: x.shape, data: Float64Array.from(x.data, Math.trunc) };
  throw new Error(`Cast to data type ${to} is not implemented`);
}

/** Inputs joined along `axis`: [a, k1, c] ++ [a, k2, c] -> [a, k1 + k2, c]. */
function Concat(inputs: (Tensor | undefined)[], attrs: Attrs): Tensor {
  const xs = inputs.map((_, i) => arg(inputs, i));
  const first = arg(inputs, 0);
  const axis = axisOf(intAttr(attrs, 'axis', 0), first.shape.length);
  const shape = [...first.shape];
  shape[axis] = xs.reduce((n, x) => n + (x.shape[axis] as number), 0);
  const out = empty(first.type, shape);
  const outer = size(shape.slice(0, axis));
  let at = 0;
  for (let o = 0; o < outer; o++) {
    for (const x of xs) {
      const block = size(x.shape.slice(axis));
      out.data.set(x.data.subarray(o * block, (o + 1) * block), at);
      at += block;
    }
  }
  return out;
}

/** e^x elementwise. */
function Exp(inputs: (Tensor | undefined)[]): Tensor {
  const x = arg(inputs, 0);
  return { type: 'float', shape: x.shape, data: floats(x).map(Math.exp) };
}

/** x broadcast to (x's shape broadcast with) the int tensor `shape`: [1, V] -> [B, V]. */
function Expand(inputs: (Tensor | undefined)[]): Tensor {
  const x = arg(inputs, 0);
  return expandTo(x, broadcastShape(x.shape, ints(arg(inputs, 1))));
}

/**
 * Rows of `data` picked by int `indices` along `axis` (0: an embedding lookup):
 * data [V, E], indices [B, n] -> [B, n, E]; in general the axis is replaced by indices' shape.
 */
function Gather(inputs: (Tensor | undefined)[], attrs: Attrs): Tensor {
  const [data, indices] = [arg(inputs, 0), arg(inputs, 1)];
  const axis = axisOf(intAttr(attrs, 'axis', 0), data.shape.length);
  const dim = data.shape[axis] as number;
  const idx = ints(indices);
  const shape = [...data.shape.slice(0, axis), ...indices.shape, ...data.shape.slice(axis + 1)];
  const out = empty(data.type, shape);
  const inner = size(data.shape.slice(axis + 1));
  const outer = size(data.shape.slice(0, axis));
  let at = 0;
  for (let o = 0; o < outer; o++) {
    for (const raw of idx) {
      const i = raw < 0 ? raw + dim : raw;
      if (i < 0 || i >= dim) throw new Error(`index ${raw} out of range [0, ${dim})`);
      const from = (o * dim + i) * inner;
      out.data.set(data.data.subarray(from, from + inner), at);
      at += inner;
    }
  }
  return out;
}

/** x itself. */
function Identity(inputs: (Tensor | undefined)[]): Tensor {
  return arg(inputs, 0);
}

/**
 * Matrix product x [..., M, K] y [K, N] -> [..., M, N] (the leading axes of x are rows too).
 * The inner loop walks a row of y and a row of the output in memory order.
 */
function MatMul(inputs: (Tensor | undefined)[]): Tensor {
  const [a, b] = [arg(inputs, 0), arg(inputs, 1)];
  if (a.shape.length < 2 || b.shape.length !== 2)
    throw new Error(`MatMul of [${a.shape}] by [${b.shape}]: only [..., M, K] by [K, N]`);
  const K = a.shape[a.shape.length - 1] as number;
  const [K2, N] = b.shape as [number, number];
  if (K !== K2) throw new Error(`MatMul of [${a.shape}] by [${b.shape}]: inner sizes differ`);
  const x = floats(a);
  const y = floats(b);
  const M = x.length / K;
  const out = new Float32Array(M * N);
  for (let m = 0; m < M; m++) {
    const row = m * N;
    for (let k = 0; k < K; k++) {
      const xk = x[m * K + k] as number;
      if (xk === 0) continue;
      const off = k * N;
      for (let j = 0; j < N; j++)
        out[row + j] = (out[row + j] as number) + xk * (y[off + j] as number);
    }
  }
  return { type: 'float', shape: [...a.shape.slice(0, -1), N], data: out };
}

/** x * y, numpy broadcasting ([B, 1] * [1, V] -> [B, V]). */
function Mul(inputs: (Tensor | undefined)[]): Tensor {
  const [a, b] = [arg(inputs, 0), arg(inputs, 1)];
  const shape = broadcastShape(a.shape, b.shape);
  const x = floats(expandTo(a, shape));
  const y = floats(expandTo(b, shape));
  const out = new Float32Array(x.length);
  for (let i = 0; i < out.length; i++) out[i] = (x[i] as number) * (y[i] as number);
  return { type: 'float', shape, data: out };
}

/** The same data in the int tensor `shape` (0 keeps that axis, -1 is inferred): [B, n, E] -> [B, n*E]. */
function Reshape(inputs: (Tensor | undefined)[]): Tensor {
  const x = arg(inputs, 0);
  const shape = ints(arg(inputs, 1)).map((d, i) => (d === 0 ? (x.shape[i] as number) : d));
  const known = shape.reduce((n, d) => (d === -1 ? n : n * d), 1);
  const filled = shape.map((d) => (d === -1 ? x.data.length / known : d));
  if (size(filled) !== x.data.length) throw new Error(`cannot reshape [${x.shape}] to [${shape}]`);
  return { ...x, shape: filled };
}

/**
 * A copy of `data` with `updates` written (reduction 'none') or added ('add') or multiplied
 * ('mul') at positions whose coordinate along `axis` is given by `indices`, the other
 * coordinates being their own: out[i][indices[i][j]] (+)= updates[i][j] for axis 1.
 */
function ScatterElements(inputs: (Tensor | undefined)[], attrs: Attrs): Tensor {
  const [data, indices, updates] = [arg(inputs, 0), arg(inputs, 1), arg(inputs, 2)];
  const r = attrs['reduction'];
  const reduction = r?.kind === 'string' ? r.value : 'none';
  if (!['none', 'add', 'mul'].includes(reduction))
    throw new Error(`ScatterElements reduction '${reduction}' is not implemented`);
  const rank = data.shape.length;
  const axis = axisOf(intAttr(attrs, 'axis', 0), rank);
  const dim = data.shape[axis] as number;
  const out: Tensor = { ...data, data: data.data.slice() };
  const strides = stridesOf(data.shape);
  const idx = ints(indices);
  const coord = new Array<number>(rank).fill(0);
  for (let i = 0; i < idx.length; i++) {
    // coord = the multi-index of element i of `indices`, with its axis replaced by the index.
    let rest = i;
    for (let d = rank - 1; d >= 0; d--) {
      const n = indices.shape[d] as number;
      coord[d] = rest % n;
      rest = Math.floor(rest / n);
    }
    const raw = idx[i] as number;
    coord[axis] = raw < 0 ? raw + dim : raw;
    if ((coord[axis] as number) < 0 || (coord[axis] as number) >= dim)
      throw new Error(`index ${raw} out of range [0, ${dim})`);
    const at = coord.reduce((s, c, d) => s + c * (strides[d] as number), 0);
    const u = updates.data[i] as number;
    const old = out.data[at] as number;
    out.data[at] = reduction === 'add' ? old + u : reduction === 'mul' ? old * u : u;
  }
  return out;
}

/** The shape of x, as an int tensor [rank] (attributes start/end slice it). */
function Shape(inputs: (Tensor | undefined)[], attrs: Attrs): Tensor {
  const x = arg(inputs, 0);
  const rank = x.shape.length;
  const clamp = (a: number) => Math.min(rank, Math.max(0, a < 0 ? a + rank : a));
  const dims = x.shape.slice(clamp(intAttr(attrs, 'start', 0)), clamp(intAttr(attrs, 'end', rank)));
  return { type: 'int', shape: [dims.length], data: Float64Array.from(dims) };
}

/** x[starts:ends:steps] along `axes` (int tensors; axes default 0.., steps default 1). */
function Slice(inputs: (Tensor | undefined)[]): Tensor {
  const x = arg(inputs, 0);
  const rank = x.shape.length;
  const starts = ints(arg(inputs, 1));
  const ends = ints(arg(inputs, 2));
  const axes = inputs[3] ? ints(inputs[3]) : starts.map((_, i) => i);
  const steps = inputs[4] ? ints(inputs[4]) : starts.map(() => 1);
  const own = stridesOf(x.shape);
  const shape = [...x.shape];
  const strides = [...own];
  let offset = 0;
  axes.forEach((raw, i) => {
    const axis = axisOf(raw, rank);
    const dim = x.shape[axis] as number;
    const step = steps[i] as number;
    if (step === 0) throw new Error('Slice step 0');
    // ONNX's clamping: negative counts from the end; then into [0, dim] (or [-1, dim-1] going back).
    const resolve = (v: number, lo: number, hi: number) =>
      Math.min(hi, Math.max(lo, v < 0 ? v + dim : v));
    const start =
      step > 0 ? resolve(starts[i] as number, 0, dim) : resolve(starts[i] as number, 0, dim - 1);
    const end =
      step > 0 ? resolve(ends[i] as number, 0, dim) : resolve(ends[i] as number, -1, dim - 1);
    shape[axis] = Math.max(0, Math.ceil((end - start) / step));
    strides[axis] = (own[axis] as number) * step;
    offset += start * (own[axis] as number);
  });
  return view(x, shape, strides, offset);
}

/**
 * Softmax along `axis` (default -1): [B, V] -> [B, V], each row summing to 1. float32 values;
 * the max-subtracted exponentials are summed in a float64 accumulator.
 */
function Softmax(inputs: (Tensor | undefined)[], attrs: Attrs): Tensor {
  const x = arg(inputs, 0);
  const data = floats(x);
  const axis = axisOf(intAttr(attrs, 'axis', -1), x.shape.length);
  const len = x.shape[axis] as number;
  const inner = size(x.shape.slice(axis + 1));
  const outer = size(x.shape.slice(0, axis));
  const out = new Float32Array(data.length);
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < inner; c++) {
      const base = o * len * inner + c;
      let max = -Infinity;
      for (let j = 0; j < len; j++) max = Math.max(max, data[base + j * inner] as number);
      let sum = 0;
      for (let j = 0; j < len; j++) {
        const e = Math.exp((data[base + j * inner] as number) - max);
        out[base + j * inner] = e;
        sum += e;
      }
      const inv = 1 / sum;
      for (let j = 0; j < len; j++) out[base + j * inner] = (out[base + j * inner] as number) * inv;
    }
  }
  return { type: 'float', shape: x.shape, data: out };
}

/** x without the size-1 `axes` (an int tensor; all size-1 axes without it): [B, 1] -> [B]. */
function Squeeze(inputs: (Tensor | undefined)[]): Tensor {
  const x = arg(inputs, 0);
  const rank = x.shape.length;
  const axes = inputs[1] ? ints(inputs[1]).map((a) => axisOf(a, rank)) : null;
  const shape = x.shape.filter((d, i) => {
    const drop = axes ? axes.includes(i) : d === 1;
    if (drop && d !== 1) throw new Error(`cannot squeeze axis ${i} of size ${d}`);
    return !drop;
  });
  return { ...x, shape };
}

/** tanh(x) elementwise. */
function Tanh(inputs: (Tensor | undefined)[]): Tensor {
  const x = arg(inputs, 0);
  return { type: 'float', shape: x.shape, data: floats(x).map(Math.tanh) };
}

/** Axes permuted by `perm` (default: reversed): C [V, E] -> C^T [E, V]. */
function Transpose(inputs: (Tensor | undefined)[], attrs: Attrs): Tensor {
  const x = arg(inputs, 0);
  const p = attrs['perm'];
  const perm = p?.kind === 'ints' ? p.value : x.shape.map((_, i) => x.shape.length - 1 - i);
  const own = stridesOf(x.shape);
  return view(
    x,
    perm.map((d) => x.shape[d] as number),
    perm.map((d) => own[d] as number),
    0,
  );
}

const OPS: Record<string, Op> = {
  Add,
  Cast,
  Concat,
  Exp,
  Expand,
  Gather,
  Identity,
  MatMul,
  Mul,
  Reshape,
  ScatterElements,
  Shape,
  Slice,
  Softmax,
  Squeeze,
  Tanh,
  Transpose,
};

// ---------------------------------------------------------------------------------------------
// The interpreter

function fromProto(t: TensorProto): Tensor {
  const values = tensorValues(t);
  if (t.dataType === DataType.FLOAT || t.dataType === DataType.FLOAT16)
    return { type: 'float', shape: t.dims, data: Float32Array.from(values) };
  if (t.dataType === DataType.INT64) return { type: 'int', shape: t.dims, data: values };
  throw new Error(`initializer ${t.name}: data type ${t.dataType} is not implemented`);
}

/** Run one node: read its inputs from `values`, store its output there. */
function run(node: NodeProto, values: Map<string, Tensor>): void {
  const op = OPS[node.opType];
  if (!op || !Object.hasOwn(OPS, node.opType)) throw new Error(`unsupported op ${node.opType}`);
  const [output, ...more] = node.outputs;
  if (output === undefined || more.length > 0)
    throw new Error(`${node.opType}: only ops with one output are implemented`);
  const inputs = node.inputs.map((name) => {
    if (name === '') return undefined;
    const t = values.get(name);
    if (!t) throw new Error(`${node.opType} (${output}): input ${name} is not computed yet`);
    return t;
  });
  try {
    values.set(output, op(inputs, node.attributes));
  } catch (e) {
    throw new Error(`${node.opType} (${output}): ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** The op types of the graph in `bytes` that the interpreter does not implement (sorted). */
export function unsupportedOps(bytes: Uint8Array): string[] {
  const types = new Set(decodeModel(bytes).graph.nodes.map((n) => n.opType));
  return [...types].filter((t) => !Object.hasOwn(OPS, t)).sort();
}

/** True when the interpreter implements every op of the graph in `bytes`. */
export function hasPlainModel(bytes: Uint8Array): boolean {
  return unsupportedOps(bytes).length === 0;
}

export interface PlainModel {
  /** n: ctx is [B, n] (the graph's input shape). */
  context: number;
  /** V: probs is [B, V] (the graph's output shape). */
  vocab: number;
  /** probs [B * vocab] for contexts [B * context] (ids), into `out`. */
  forward(ctx: Int32Array, batch: number, out: Float32Array): void;
}

/** A window model (ctx int64 [B, n] -> probs float32 [B, V], src/models/contract.ts), interpreted. */
export function plainModel(bytes: Uint8Array): PlainModel {
  const model = decodeModel(bytes);
  const { graph } = model;
  const missing = unsupportedOps(bytes);
  if (missing.length > 0)
    throw new Error(
      `plain interpreter: unsupported op ${missing.join(', ')} in graph ${graph.name}`,
    );
  if (model.opset < 13) throw new Error(`plain interpreter: opset ${model.opset} < 13`);
  const n = graph.inputs.find((v) => v.name === TENSOR.ctx)?.shape[1];
  const V = graph.outputs.find((v) => v.name === TENSOR.probs)?.shape[1];
  if (typeof n !== 'number' || typeof V !== 'number')
    throw new Error(
      `plain interpreter: not a window model (${TENSOR.ctx} [B, n] -> ${TENSOR.probs} [B, V])`,
    );

  // Constants: the initializers, and every node computed from them alone, run once here.
  const constants = new Map(graph.initializers.map((t) => [t.name, fromProto(t)] as const));
  const live: NodeProto[] = [];
  for (const node of graph.nodes) {
    const constant =
      node.inputs.length > 0 && node.inputs.every((i) => i === '' || constants.has(i));
    if (constant) run(node, constants);
    else live.push(node);
  }

  return {
    context: n,
    vocab: V,
    forward(ctx, batch, out) {
      const values = new Map(constants);
      const data = Float64Array.from(ctx.subarray(0, batch * n));
      values.set(TENSOR.ctx, { type: 'int', shape: [batch, n], data });
      for (const node of live) run(node, values);
      const probs = values.get(TENSOR.probs);
      if (!probs || !sameShape(probs.shape, [batch, V]))
        throw new Error(
          `plain interpreter: ${TENSOR.probs} is [${probs?.shape}], not [${batch}, ${V}]`,
        );
      out.set(probs.data);
    },
  };
}
