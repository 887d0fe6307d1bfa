/**
 * The ops of the graph builder. Each op is one function holding three things side by side:
 * its shape rule, the ONNX node it emits, and its gradient rule (built from these same ops, so
 * the backward graph is an ordinary graph too). `tests/unit/gradcheck.test.ts` checks every
 * gradient rule against float64 central finite differences.
 *
 * Every op here runs on the GPU in onnxruntime-web's WebGPU build (see DEVELOPERS.md), so that
 * forward, loss and backward graphs stay on one device.
 */
import { isStatic, staticSize, type Dim, type Graph, type Shape, type Tensor } from './graph';

// ---------------------------------------------------------------------------------------------
// Shape helpers

/** Numpy-style broadcasting of two shapes (right-aligned; equal, or one of them 1). */
export function broadcastShapes(a: Shape, b: Shape): Dim[] {
  const n = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da === db || db === 1) out.push(da);
    else if (da === 1) out.push(db);
    else throw new Error(`cannot broadcast [${a.join(', ')}] with [${b.join(', ')}]`);
  }
  return out;
}

function axis(x: Tensor, a: number): number {
  const r = a < 0 ? a + x.rank : a;
  if (r < 0 || r >= x.rank) throw new Error(`axis ${a} out of range for rank ${x.rank}`);
  return r;
}

/** The shape of x as an int64 tensor: a constant when static, else computed at run time. */
export function shapeOf(x: Tensor): Tensor {
  const g = x.graph;
  if (isStatic(x.shape)) return g.ints(x.shape);
  return g.node('Shape', [x], {}, { dtype: 'int64', shape: [x.rank] });
}

/** Sum a broadcast gradient back down to the shape of the operand it came from. */
export function unbroadcast(grad: Tensor, target: Shape): Tensor {
  const lead = grad.rank - target.length;
  const inner: number[] = [];
  target.forEach((d, i) => {
    if (d === 1 && grad.shape[lead + i] !== 1) inner.push(lead + i);
  });
  let r = grad;
  if (inner.length) r = reduceSum(r, inner, true);
  if (lead > 0) r = reduceSum(r, [...Array(lead).keys()], false);
  return r;
}

function elementwise(
  opType: string,
  a: Tensor,
  b: Tensor,
  backward: (g: Tensor) => [Tensor, Tensor],
): Tensor {
  if (a.dtype !== b.dtype) throw new Error(`${opType}: ${a.dtype} vs ${b.dtype}`);
  const shape = broadcastShapes(a.shape, b.shape);
  return a.graph.node(opType, [a, b], {}, { dtype: a.dtype, shape }, (g) => {
    const [ga, gb] = backward(g);
    return [unbroadcast(ga, a.shape), unbroadcast(gb, b.shape)];
  });
}

/** A number becomes a scalar constant of x's type. */
function lift(x: Tensor, v: Tensor | number): Tensor {
  return typeof v === 'number' ? x.graph.scalar(v, x.dtype) : v;
}

// ---------------------------------------------------------------------------------------------
// Elementwise arithmetic (with broadcasting)

export function add(a: Tensor, b: Tensor | number): Tensor {
  const bb = lift(a, b);
  return elementwise('Add', a, bb, (g) => [g, g]);
}

export function sub(a: Tensor | number, b: Tensor): Tensor {
  const aa = lift(b, a);
  return elementwise('Sub', aa, b, (g) => [g, neg(g)]);
}

export function mul(a: Tensor, b: Tensor | number): Tensor {
  const bb = lift(a, b);
  return elementwise('Mul', a, bb, (g) => [mul(g, bb), mul(g, a)]);
}

export function div(a: Tensor | number, b: Tensor): Tensor {
  const aa = lift(b, a);
  // d(a/b)/da = 1/b ; d(a/b)/db = -a/b^2
  return elementwise('Div', aa, b, (g) => [div(g, b), neg(div(mul(g, aa), mul(b, b)))]);
}

export function neg(x: Tensor): Tensor {
  return x.graph.node('Neg', [x], {}, x, (g) => [neg(g)]);
}

// ---------------------------------------------------------------------------------------------
// Elementwise functions

export function exp(x: Tensor): Tensor {
  const y: Tensor = x.graph.node('Exp', [x], {}, x, (g) => [mul(g, y)]);
  return y;
}

export function log(x: Tensor): Tensor {
  return x.graph.node('Log', [x], {}, x, (g) => [div(g, x)]);
}

export function tanh(x: Tensor): Tensor {
  // d tanh(x)/dx = 1 - tanh(x)^2, from the output we already have
  const y: Tensor = x.graph.node('Tanh', [x], {}, x, (g) => [mul(g, sub(1, mul(y, y)))]);
  return y;
}

export function sigmoid(x: Tensor): Tensor {
  const y: Tensor = x.graph.node('Sigmoid', [x], {}, x, (g) => [mul(g, mul(y, sub(1, y)))]);
  return y;
}

export function sqrt(x: Tensor): Tensor {
  const y: Tensor = x.graph.node('Sqrt', [x], {}, x, (g) => [div(g, mul(y, 2))]);
  return y;
}

/**
 * relu(x) = max(x, 0), as ONNX Max with a scalar 0 (WebGPU runs Max; it does not run Relu).
 * The gradient passes where x > 0 and is 0 elsewhere (0 at x = 0 itself).
 */
export function relu(x: Tensor): Tensor {
  const zero = x.graph.scalar(0, x.dtype);
  return x.graph.node('Max', [x, zero], {}, x, (g) => [
    where(greater(x, zero), g, zero),
    undefined,
  ]);
}

/** sqrt(2 / pi) and the cubic coefficient of the tanh form of GELU. */
const GELU_C = Math.sqrt(2 / Math.PI);
const GELU_K = 0.044715;

/**
 * GELU, tanh form (as in GPT-2): gelu(x) = x s(x), s(x) = 0.5 (1 + tanh(c (x + k x^3))).
 *
 * The last node is the product x * s; its gradient rule is written out in full,
 *   d gelu/dx = s + x s',   s' = 0.5 (1 - t^2) c (1 + 3 k x^2),   t = tanh(c (x + k x^3)),
 * and sends nothing into the nodes that compute s (so they are never differentiated).
 */
export function gelu(x: Tensor): Tensor {
  const x2 = mul(x, x);
  const t = tanh(mul(mul(x, add(mul(x2, GELU_K), 1)), GELU_C)); // tanh(c (x + k x^3))
  const s = mul(add(t, 1), 0.5);
  return x.graph.node('Mul', [x, s], {}, x, (g) => {
    const ds = mul(mul(sub(1, mul(t, t)), add(mul(x2, 3 * GELU_K), 1)), 0.5 * GELU_C);
    return [mul(g, add(s, mul(x, ds))), undefined];
  });
}

// ---------------------------------------------------------------------------------------------
// Comparison, selection and masks

/** a > b elementwise (bool, broadcast). A step function: no gradient flows through it. */
export function greater(a: Tensor, b: Tensor | number): Tensor {
  const bb = lift(a, b);
  if (a.dtype !== bb.dtype) throw new Error(`Greater: ${a.dtype} vs ${bb.dtype}`);
  const shape = broadcastShapes(a.shape, bb.shape);
  return a.graph.node('Greater', [a, bb], {}, { dtype: 'bool', shape }, () => [
    undefined,
    undefined,
  ]);
}

/**
 * where(cond, a, b): a where cond is true, else b (all three broadcast). cond is bool, a
 * comparison or a constant, and takes no gradient; a's gradient is g where cond holds (0
 * elsewhere), b's the rest, each summed back to its own shape.
 */
export function where(cond: Tensor, a: Tensor | number, b: Tensor | number): Tensor {
  if (cond.dtype !== 'bool')
    throw new Error(`where: the condition must be bool, got ${cond.dtype}`);
  const like = typeof a === 'number' ? b : a;
  if (typeof like === 'number') throw new Error('where: a or b must be a tensor');
  const aa = lift(like, a);
  const bb = lift(like, b);
  if (aa.dtype !== bb.dtype) throw new Error(`where: ${aa.dtype} vs ${bb.dtype}`);
  const shape = broadcastShapes(cond.shape, broadcastShapes(aa.shape, bb.shape));
  return cond.graph.node('Where', [cond, aa, bb], {}, { dtype: aa.dtype, shape }, (g) => {
    const zero = g.graph.scalar(0, g.dtype);
    return [
      undefined,
      unbroadcast(where(cond, g, zero), aa.shape),
      unbroadcast(where(cond, zero, g), bb.shape),
    ];
  });
}

/**
 * The score given to a masked position before Softmax: -1e9. It is exact in float32
 * (1e9 = 2^9 * 5^9 and 5^9 < 2^24), it dwarfs any real score, and exp(-1e9 - max) underflows
 * to exactly 0 in float32 and float64, so a masked position gets weight exactly 0 (adding it
 * to a score of size ~10 rounds the score away, to a multiple of 64: no matter, it is 0 after
 * Softmax). Why not -Infinity: it too gives 0 as long as a row has one open position (every
 * causal row keeps its diagonal), but a fully masked row (padding, say) turns into NaN
 * (-inf - (-inf)), and any arithmetic on the mask itself (scaling it, 0 * mask) risks
 * inf - inf or 0 * inf. Why not float32's lowest, -3.4e38: it leaves no headroom (two masks
 * added, or a mask times 2, overflow to -inf); -1e9 has plenty.
 * (-1e9 does not fit in float16, which is fine: constants are always stored as float32.)
 */
export const MASKED = -1e9;

/**
 * The additive causal mask [T, T] (a constant): 0 where key j <= query i (the past and the
 * position itself), MASKED above the diagonal (the future). Add it to attention scores
 * [..., T, T] before Softmax.
 */
export function causalMask(g: Graph, t: number): Tensor {
  const values: number[] = [];
  for (let i = 0; i < t; i++) for (let j = 0; j < t; j++) values.push(j <= i ? 0 : MASKED);
  return g.constant(values, [t, t]);
}

// ---------------------------------------------------------------------------------------------
// Linear algebra and layout

/** Swap the last two axes. */
export function transposeLast(x: Tensor): Tensor {
  const perm = [...Array(x.rank).keys()];
  perm[x.rank - 1] = x.rank - 2;
  perm[x.rank - 2] = x.rank - 1;
  return transpose(x, perm);
}

/** a [..., m, k] @ b [..., k, n] -> [..., m, n], batch axes broadcast. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.rank < 2 || b.rank < 2) throw new Error('matmul: operands must have rank >= 2');
  const [m, k] = a.shape.slice(-2) as [Dim, Dim];
  const [k2, n] = b.shape.slice(-2) as [Dim, Dim];
  if (k !== k2) throw new Error(`matmul: inner dimensions ${k} and ${k2} differ`);
  const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2));
  return a.graph.node('MatMul', [a, b], {}, { dtype: a.dtype, shape: [...batch, m, n] }, (g) => [
    unbroadcast(matmul(g, transposeLast(b)), a.shape), // dL/da = g b^T
    unbroadcast(matmul(transposeLast(a), g), b.shape), // dL/db = a^T g
  ]);
}

export function transpose(x: Tensor, perm: readonly number[]): Tensor {
  const inverse = perm.map((_, i) => perm.indexOf(i));
  const shape = perm.map((p) => x.shape[p] as Dim);
  return x.graph.node(
    'Transpose',
    [x],
    { perm: { kind: 'ints', value: [...perm] } },
    { dtype: x.dtype, shape },
    (g) => [transpose(g, inverse)],
  );
}

/**
 * Reshape to `shape`; at most one entry may be -1 or symbolic (it is inferred at run time).
 */
export function reshape(x: Tensor, shape: Shape): Tensor {
  const unknown = shape.filter((d) => d === -1 || typeof d === 'string').length;
  if (unknown > 1)
    throw new Error(`reshape: more than one unknown dimension in [${shape.join(', ')}]`);
  let out: Dim[] = [...shape];
  if (shape.includes(-1)) {
    const known = shape.filter((d) => d !== -1) as number[];
    out = shape.map((d) => (d === -1 ? staticSize(x.shape) / staticSize(known) : d));
  }
  const target = x.graph.ints(shape.map((d) => (typeof d === 'string' ? -1 : d)));
  return x.graph.node('Reshape', [x, target], {}, { dtype: x.dtype, shape: out }, (g) => [
    reshapeLike(g, x),
    undefined,
  ]);
}

/** Reshape g to x's shape, even when x's shape has several symbolic dimensions. */
function reshapeLike(g: Tensor, x: Tensor): Tensor {
  const symbols = x.shape.filter((d) => typeof d === 'string').length;
  if (symbols <= 1) return reshape(g, x.shape);
  return g.graph.node('Reshape', [g, shapeOf(x)], {}, { dtype: g.dtype, shape: x.shape }, (gg) => [
    reshapeLike(gg, g),
    undefined,
  ]);
}

/**
 * Reshape the axes after the first `keep` to `tail`; the first `keep` stay as they are at run
 * time, symbolic or not: (B, T, C) -> (B, T, H, d) with keep 2 and tail [H, d], and back.
 */
export function reshapeTail(x: Tensor, keep: number, tail: readonly number[]): Tensor {
  const lead = x.shape.slice(0, keep);
  const rest = x.shape.slice(keep);
  if (isStatic(rest) && staticSize(rest) !== staticSize(tail))
    throw new Error(`reshapeTail: [${rest.join(', ')}] cannot become [${tail.join(', ')}]`);
  const g = x.graph;
  const target = isStatic(lead)
    ? g.ints([...lead, ...tail])
    : concat([slice(shapeOf(x), 0, keep, 0), g.ints(tail)], 0);
  return g.node('Reshape', [x, target], {}, { dtype: x.dtype, shape: [...lead, ...tail] }, (gr) => [
    reshapeLike(gr, x),
    undefined,
  ]);
}

export function unsqueeze(x: Tensor, axes: readonly number[]): Tensor {
  const shape: Dim[] = [...x.shape];
  for (const a of [...axes].sort((p, q) => p - q)) shape.splice(a, 0, 1);
  return x.graph.node('Unsqueeze', [x, x.graph.ints(axes)], {}, { dtype: x.dtype, shape }, (g) => [
    squeeze(g, axes),
    undefined,
  ]);
}

export function squeeze(x: Tensor, axes: readonly number[]): Tensor {
  const drop = new Set(axes.map((a) => axis(x, a)));
  const shape = x.shape.filter((_, i) => !drop.has(i));
  return x.graph.node('Squeeze', [x, x.graph.ints(axes)], {}, { dtype: x.dtype, shape }, (g) => [
    unsqueeze(g, [...drop]),
    undefined,
  ]);
}

/**
 * Static slice along one axis: x[..., start:end, ...]. Gradient: g put back in place between
 * zeros, with Concat (ONNX Pad would do it in one node, but WebGPU does not run Pad).
 */
export function slice(x: Tensor, start: number, end: number, ax: number): Tensor {
  const a = axis(x, ax);
  const shape = [...x.shape];
  shape[a] = end - start;
  const g = x.graph;
  return g.node(
    'Slice',
    [x, g.ints([start]), g.ints([end]), g.ints([a])],
    {},
    { dtype: x.dtype, shape },
    (grad) => {
      const n = x.shape[a];
      if (typeof n !== 'number') throw new Error('slice: the gradient needs a static axis');
      const parts: Tensor[] = [];
      if (start > 0) parts.push(zerosAlong(x, a, 0, start));
      parts.push(grad);
      if (end < n) parts.push(zerosAlong(x, a, end, n));
      return [parts.length === 1 ? grad : concat(parts, a), undefined, undefined, undefined];
    },
  );
}

/** Zeros shaped like x[..., start:end, ...] (along axis a), without reading x when static. */
function zerosAlong(x: Tensor, a: number, start: number, end: number): Tensor {
  const shape = [...x.shape];
  shape[a] = end - start;
  if (isStatic(shape)) return expand(x.graph.scalar(0, x.dtype), shape);
  return zerosLike(slice(x, start, end, a)); // the run-time shape of that part of x
}

/**
 * Split x along one axis into parts of the given sizes: one Slice per part (graph nodes have
 * a single output, so no ONNX Split). Each part's gradient comes back through its Slice and
 * autodiff adds them up.
 */
export function split(x: Tensor, sizes: readonly number[], ax: number): Tensor[] {
  const a = axis(x, ax);
  const n = x.shape[a];
  const total = sizes.reduce((p, q) => p + q, 0);
  if (typeof n === 'number' && total !== n)
    throw new Error(`split: sizes [${sizes.join(', ')}] do not add up to ${n}`);
  let offset = 0;
  return sizes.map((s) => slice(x, offset, (offset += s), a));
}

/**
 * Concatenate along `ax`. Differentiable when every size along `ax` is static; an axis known
 * only at run time (a key/value cache growing by one position a step) needs the result's size
 * there, `dim`, and has no gradient rule: inference only.
 */
export function concat(xs: Tensor[], ax: number, dim?: Dim): Tensor {
  const first = xs[0];
  if (!first) throw new Error('concat: nothing to concatenate');
  const a = axis(first, ax);
  const sizes = xs.map((x) => x.shape[a]);
  if (!sizes.every((s): s is number => typeof s === 'number')) {
    if (dim === undefined) throw new Error('concat: a symbolic axis needs the result size `dim`');
    const shape = [...first.shape];
    shape[a] = dim;
    return first.graph.node(
      'Concat',
      xs,
      { axis: { kind: 'int', value: a } },
      { dtype: first.dtype, shape },
    );
  }
  const shape = [...first.shape];
  shape[a] = sizes.reduce((p, q) => p + q, 0);
  return first.graph.node(
    'Concat',
    xs,
    { axis: { kind: 'int', value: a } },
    { dtype: first.dtype, shape },
    (g) => {
      let offset = 0;
      return sizes.map((s) => slice(g, offset, (offset += s), a));
    },
  );
}

/**
 * The leading block of x: x[0:ends[0], 0:ends[1], ...] with `ends` an int64 tensor [k] computed
 * at run time (a constant causal mask cut to the text's length). No gradient rule: for
 * constants and indices.
 */
export function sliceLeading(x: Tensor, ends: Tensor, shape: Shape): Tensor {
  const k = ends.shape[0];
  if (typeof k !== 'number') throw new Error('sliceLeading: ends must have a static length');
  const g = x.graph;
  const starts = g.ints(new Array<number>(k).fill(0));
  const axes = g.ints([...Array(k).keys()]);
  return g.node('Slice', [x, starts, ends, axes], {}, { dtype: x.dtype, shape: [...shape] });
}

/** Broadcast x to `shape` (an int64 tensor, or a static shape). */
export function expand(x: Tensor, shape: Tensor | readonly number[], outShape?: Shape): Tensor {
  const target = Array.isArray(shape) ? x.graph.ints(shape) : (shape as Tensor);
  const out = outShape ?? (Array.isArray(shape) ? broadcastShapes(x.shape, shape) : undefined);
  if (!out) throw new Error('expand: pass the output shape when the target shape is a tensor');
  return x.graph.node('Expand', [x, target], {}, { dtype: x.dtype, shape: out }, (g) => [
    unbroadcast(g, x.shape),
    undefined,
  ]);
}

/** Zeros with x's shape and type. */
export function zerosLike(x: Tensor): Tensor {
  return expand(x.graph.scalar(0, x.dtype), shapeOf(x), x.shape);
}

/** Ones with x's shape and type. */
export function onesLike(x: Tensor): Tensor {
  return expand(x.graph.scalar(1, x.dtype), shapeOf(x), x.shape);
}

// ---------------------------------------------------------------------------------------------
// Indexing

/** Rows of `data` [V, ...] picked by integer `indices` [...] -> [...indices, ...rest]. */
export function gather(data: Tensor, indices: Tensor): Tensor {
  if (indices.dtype !== 'int64') throw new Error('gather: indices must be int64');
  const shape = [...indices.shape, ...data.shape.slice(1)];
  return data.graph.node(
    'Gather',
    [data, indices],
    { axis: { kind: 'int', value: 0 } },
    { dtype: data.dtype, shape },
    (g) => [
      // Each picked row sends its gradient back to the row it came from; repeats add up.
      scatterNDAdd(zerosLike(data), unsqueeze(indices, [indices.rank]), g),
      undefined,
    ],
  );
}

/** out = data with updates added at index rows (ScatterND, reduction=add). Not differentiated. */
export function scatterNDAdd(data: Tensor, indices: Tensor, updates: Tensor): Tensor {
  return data.graph.node(
    'ScatterND',
    [data, indices, updates],
    { reduction: { kind: 'string', value: 'add' } },
    data,
  );
}

/** out[i][j] = data[i][indices[i][j]] along `ax` (GatherElements). */
export function gatherElements(data: Tensor, indices: Tensor, ax: number): Tensor {
  const a = axis(data, ax);
  return data.graph.node(
    'GatherElements',
    [data, indices],
    { axis: { kind: 'int', value: a } },
    { dtype: data.dtype, shape: indices.shape },
    (g) => [scatterElementsAdd(zerosLike(data), indices, g, a), undefined],
  );
}

export function scatterElementsAdd(
  data: Tensor,
  indices: Tensor,
  updates: Tensor,
  ax: number,
): Tensor {
  return data.graph.node(
    'ScatterElements',
    [data, indices, updates],
    { axis: { kind: 'int', value: axis(data, ax) }, reduction: { kind: 'string', value: 'add' } },
    data,
  );
}

// ---------------------------------------------------------------------------------------------
// Reductions and softmax

function reducedShape(x: Tensor, axes: number[], keepdims: boolean): Dim[] {
  return keepdims
    ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d))
    : x.shape.filter((_, i) => !axes.includes(i));
}

export function reduceSum(x: Tensor, axes: readonly number[], keepdims = false): Tensor {
  const ax = axes.map((a) => axis(x, a));
  const shape = reducedShape(x, ax, keepdims);
  return x.graph.node(
    'ReduceSum',
    [x, x.graph.ints(ax)],
    { keepdims: { kind: 'int', value: keepdims ? 1 : 0 } },
    { dtype: x.dtype, shape },
    (g) => [expand(keepdims ? g : unsqueeze(g, ax), shapeOf(x), x.shape), undefined],
  );
}

/** Mean over axes: a sum divided by the count (counted at run time when an axis is symbolic). */
export function reduceMean(x: Tensor, axes: readonly number[], keepdims = false): Tensor {
  const ax = axes.map((a) => axis(x, a));
  const dims = ax.map((a) => x.shape[a] as Dim);
  const count = isStatic(dims)
    ? x.graph.scalar(staticSize(dims), x.dtype)
    : reduceSum(onesLike(x), ax, keepdims);
  return div(reduceSum(x, ax, keepdims), count);
}

/** Max over axes. It has no gradient rule: use it only under stopGradient. */
export function reduceMax(x: Tensor, axes: readonly number[], keepdims = false): Tensor {
  const ax = axes.map((a) => axis(x, a));
  return x.graph.node(
    'ReduceMax',
    [x],
    { axes: { kind: 'ints', value: ax }, keepdims: { kind: 'int', value: keepdims ? 1 : 0 } },
    { dtype: x.dtype, shape: reducedShape(x, ax, keepdims) },
  );
}

/** Identity for the forward pass; blocks the gradient. */
export function stopGradient(x: Tensor): Tensor {
  return x.graph.node('Identity', [x], {}, x, () => [undefined]);
}

export function softmax(x: Tensor, ax = -1): Tensor {
  const a = axis(x, ax);
  // dL/dx = y * (g - sum(g * y))  along the softmax axis
  const y: Tensor = x.graph.node('Softmax', [x], { axis: { kind: 'int', value: a } }, x, (g) => [
    mul(y, sub(g, reduceSum(mul(g, y), [a], true))),
  ]);
  return y;
}

/**
 * log softmax(x) = z - log(sum(exp(z))) with z = x - max(x). The max only keeps exp() in range;
 * log softmax does not change when a constant is subtracted, so it carries no gradient.
 * Built from Exp, Log and ReduceSum rather than ONNX LogSoftmax, which WebGPU runs on the CPU.
 */
export function logSoftmax(x: Tensor, ax = -1): Tensor {
  const a = axis(x, ax);
  const z = sub(x, stopGradient(reduceMax(x, [a], true)));
  return sub(z, log(reduceSum(exp(z), [a], true)));
}

/**
 * Layer normalisation over the last axis: (x - mean) / sqrt(var + eps) * gain + bias, with
 * the (biased) variance, gain and bias of shape [C]. Built from plain ops (ReduceSum, Sub,
 * Mul, Div, Sqrt), so its gradient is autodiff's and is checked like every other.
 */
export function layerNorm(x: Tensor, gain: Tensor, bias: Tensor, eps = 1e-5): Tensor {
  const mean = reduceMean(x, [-1], true); // (..., 1)
  const xc = sub(x, mean);
  const variance = reduceMean(mul(xc, xc), [-1], true); // (..., 1)
  const xhat = div(xc, sqrt(add(variance, eps)));
  return add(mul(xhat, gain), bias);
}

/**
 * Mean cross-entropy of integer targets [B, 1] under logits [B, V]: -mean(log softmax(logits)[target]).
 */
export function crossEntropy(logits: Tensor, targets: Tensor): Tensor {
  const picked = gatherElements(logSoftmax(logits, -1), targets, -1); // [B, 1]
  return neg(reduceMean(picked, [0, 1]));
}
