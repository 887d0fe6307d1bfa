/**
 * The bench's reference point: the same forward pass as an exported model, written as plain
 * Float32Array loops, with the weights read out of the .onnx file's initializers by the
 * project's own reader (src/models/graph/proto.ts). Two shapes of graph are known:
 *
 *   names MLP (src/models/names/mlp.ts), initializers C [V,E], W1 [n*E,H], b1, W2 [H,V], b2:
 *     x = concat(C[ctx]) ; h = tanh(x W1 + b1) ; p = softmax(h W2 + b2)
 *   word NNLM (src/models/words/nnlm.ts), fp16 initializers C [V,E], W1 [n*E,H], b1,
 *     W2 [H,E], b2, Wd [n*E,E], b [V] (tied output: the embedding table transposed):
 *     x = concat(C[ctx]) ; h = tanh(x W1 + b1) ; e = h W2 + b2 + x Wd ; p = softmax(e C^T + b)
 *
 * The computation is float32 with float64 accumulators only inside softmax's sum, close to
 * what onnxruntime's CPU kernels do; outputs are compared to onnxruntime-web's in the bench.
 */
import { decodeModel, tensorValues } from '../../../src/models/graph/proto';

interface Dense {
  rows: number;
  cols: number;
  data: Float32Array;
}

export interface PlainModel {
  kind: 'mlp' | 'nnlm';
  context: number;
  vocab: number;
  /** probs [B * vocab] for contexts [B * context] (ids), into `out`. */
  forward(ctx: Int32Array, batch: number, out: Float32Array): void;
}

function weights(bytes: Uint8Array): Map<string, Dense> {
  const m = decodeModel(bytes);
  const out = new Map<string, Dense>();
  for (const t of m.graph.initializers) {
    if (t.dataType === 7) continue; // int64 shape constants
    const name = t.name.replace(/__fp16$/, '');
    const [rows = 1, cols = 1] = t.dims.length === 1 ? [1, t.dims[0] ?? 1] : t.dims;
    out.set(name, { rows, cols, data: Float32Array.from(tensorValues(t)) });
  }
  return out;
}

function need(w: Map<string, Dense>, name: string): Dense {
  const d = w.get(name);
  if (!d) throw new Error(`no initializer ${name}`);
  return d;
}

/** y[cols] += x[rows] W[rows, cols] (row-major W: the inner loop walks memory in order). */
function addVecMat(x: Float32Array, W: Dense, y: Float32Array): void {
  const { rows, cols, data } = W;
  for (let i = 0; i < rows; i++) {
    const xi = x[i] as number;
    if (xi === 0) continue;
    const off = i * cols;
    for (let j = 0; j < cols; j++) y[j] = (y[j] as number) + xi * (data[off + j] as number);
  }
}

function softmaxInto(logits: Float32Array, out: Float32Array, offset: number): void {
  let max = -Infinity;
  for (let j = 0; j < logits.length; j++) max = Math.max(max, logits[j] as number);
  let sum = 0;
  for (let j = 0; j < logits.length; j++) {
    const e = Math.exp((logits[j] as number) - max);
    out[offset + j] = e;
    sum += e;
  }
  const inv = 1 / sum;
  for (let j = 0; j < logits.length; j++) out[offset + j] = (out[offset + j] as number) * inv;
}

export function plainModel(bytes: Uint8Array): PlainModel {
  const w = weights(bytes);
  const C = need(w, 'C');
  const W1 = need(w, 'W1');
  const b1 = need(w, 'b1');
  const E = C.cols;
  const V = C.rows;
  const H = W1.cols;
  const n = W1.rows / E;
  const x = new Float32Array(n * E);
  const h = new Float32Array(H);
  const gather = (ctx: Int32Array, b: number) => {
    for (let k = 0; k < n; k++) {
      const row = (ctx[b * n + k] as number) * E;
      x.set(C.data.subarray(row, row + E), k * E);
    }
  };
  const hidden = () => {
    h.set(b1.data);
    addVecMat(x, W1, h);
    for (let j = 0; j < H; j++) h[j] = Math.tanh(h[j] as number);
  };

  if (!w.has('Wd')) {
    const W2 = need(w, 'W2');
    const b2 = need(w, 'b2');
    const logits = new Float32Array(V);
    return {
      kind: 'mlp',
      context: n,
      vocab: V,
      forward(ctx, batch, out) {
        for (let b = 0; b < batch; b++) {
          gather(ctx, b);
          hidden();
          logits.set(b2.data);
          addVecMat(h, W2, logits);
          softmaxInto(logits, out, b * V);
        }
      },
    };
  }

  const W2 = need(w, 'W2');
  const b2 = need(w, 'b2');
  const Wd = need(w, 'Wd');
  const bias = need(w, 'b');
  const e = new Float32Array(E);
  const logits = new Float32Array(V);
  return {
    kind: 'nnlm',
    context: n,
    vocab: V,
    forward(ctx, batch, out) {
      for (let b = 0; b < batch; b++) {
        gather(ctx, b);
        hidden();
        e.set(b2.data);
        addVecMat(h, W2, e);
        addVecMat(x, Wd, e);
        // logits = e C^T + b: one dot product per vocabulary row of C.
        for (let v = 0; v < V; v++) {
          let acc = bias.data[v] as number;
          const off = v * E;
          for (let j = 0; j < E; j++) acc += (e[j] as number) * (C.data[off + j] as number);
          logits[v] = acc;
        }
        softmaxInto(logits, out, b * V);
      }
    },
  };
}

/** True when the graph is one plainModel knows (its initializers have the expected names). */
export function hasPlainModel(bytes: Uint8Array): boolean {
  const names = new Set(decodeModel(bytes).graph.initializers.map((t) => t.name));
  const has = (n: string) => names.has(n) || names.has(`${n}__fp16`);
  return ['C', 'W1', 'b1', 'W2', 'b2'].every(has);
}
