/**
 * Scoring an exported model file on a corpus split (Node only): the probability it gives to
 * every prediction of the split, in one order for every io kind (sequence by sequence, position
 * by position; see positions.ts), and from those the card's metrics. Every model card's
 * train / held-out / test numbers are computed here, once, by running the .onnx file itself.
 *
 * The file is extended with one GatherElements node that picks p(target) out of its probability
 * output, so that a 5,000-word vocabulary never crosses into JavaScript whole.
 */
import type { ModelCard } from '../card';
import { NEXT, TENSOR, type IoSpec } from '../contract';
import { DataType, encodeModel } from '../graph/proto';
import { decodeModel } from '../graph/proto-read';
import {
  BOUNDARY_ID,
  predictionCount,
  sequenceAt,
  sequenceCount,
  sequenceRows,
  windowExamples,
  type Examples,
  type Sequences,
} from '../positions';
import { NodeSession, type Feed } from './session';

/** The model's file, with a `targets` input and a `picked` output: p (or log p) of each target. */
export function scoringModel(onnx: Uint8Array, io: IoSpec): Uint8Array {
  const m = decodeModel(onnx);
  const seq = io.kind === 'sequence';
  const shape = seq ? ['B', 'T', 1] : ['B', 1];
  m.graph.inputs.push({ name: 'targets', dataType: DataType.INT64, shape });
  m.graph.nodes.push({
    opType: 'GatherElements',
    name: 'score_targets',
    inputs: [seq ? TENSOR.logprobs : TENSOR.probs, 'targets'],
    outputs: ['picked'],
    attributes: { axis: { kind: 'int', value: seq ? 2 : 1 } },
  });
  const keep = io.kind === 'step' ? io.state.map((s) => `${s.name}${NEXT}`) : [];
  m.graph.outputs = [
    { name: 'picked', dataType: DataType.FLOAT, shape },
    ...m.graph.outputs.filter((o) => keep.includes(o.name)),
  ];
  return encodeModel(m);
}

export interface ScoreOptions {
  /** Rows per run (window: predictions; sequence: rows; step: sequences in lockstep). */
  chunk?: number;
  /** Sequence models: the length of each row (default: the longest sequence, at most maxLength). */
  length?: number;
  /** Sequence models: the stride of the windows over sequences longer than a row. */
  stride?: number;
}

const i64 = (data: ArrayLike<number>, dims: number[]): Feed => ({ dtype: 'int64', data, dims });

async function windowProbs(
  session: NodeSession,
  data: Examples,
  chunk: number,
): Promise<Float64Array> {
  const N = data.targets.length;
  const width = data.contexts.length / N;
  const p = new Float64Array(N);
  for (let start = 0; start < N; start += chunk) {
    const n = Math.min(chunk, N - start);
    const out = await session.run(
      {
        [TENSOR.ctx]: i64(data.contexts.subarray(start * width, (start + n) * width), [n, width]),
        targets: i64(data.targets.subarray(start, start + n), [n, 1]),
      },
      ['picked'],
    );
    p.set(out['picked'] as Float64Array, start);
  }
  return p;
}

async function sequenceProbs(
  session: NodeSession,
  io: Extract<IoSpec, { kind: 'sequence' }>,
  s: Sequences,
  chunk: number,
  opts: ScoreOptions,
): Promise<Float64Array> {
  let longest = 1;
  for (let k = 0; k < sequenceCount(s); k++)
    longest = Math.max(longest, sequenceAt(s, k).length + 1);
  const L = opts.length ?? Math.min(io.maxLength, longest);
  if (L > io.maxLength)
    throw new Error(`rows of ${L} tokens; this model reads at most ${io.maxLength}`);
  const rows = sequenceRows(s, L, opts.stride);
  const p = new Float64Array(rows.positions);
  let k = 0;
  for (let start = 0; start < rows.count; start += chunk) {
    const n = Math.min(chunk, rows.count - start);
    const span = [start * L, (start + n) * L] as const;
    const out = await session.run(
      {
        [TENSOR.tokens]: i64(rows.tokens.subarray(...span), [n, L]),
        targets: i64(rows.targets.subarray(...span), [n, L, 1]),
      },
      ['picked'],
    );
    const logp = out['picked'] as Float64Array;
    const w = rows.weights.subarray(...span);
    for (let i = 0; i < logp.length; i++) if (w[i]) p[k++] = Math.exp(logp[i] as number);
  }
  return p;
}

async function stepProbs(
  session: NodeSession,
  io: Extract<IoSpec, { kind: 'step' }>,
  s: Sequences,
  chunk: number,
): Promise<Float64Array> {
  const p = new Float64Array(predictionCount(s));
  // where each sequence's predictions start in p
  const first = Int32Array.from(
    { length: sequenceCount(s) },
    (_, k) => (s.offsets[k] as number) + k,
  );
  for (let k0 = 0; k0 < sequenceCount(s); k0 += chunk) {
    const seqs = Array.from({ length: Math.min(chunk, sequenceCount(s) - k0) }, (_, b) =>
      sequenceAt(s, k0 + b),
    );
    const B = seqs.length;
    const steps = Math.max(...seqs.map((q) => q.length)) + 1;
    const state: Record<string, Feed> = {};
    for (const st of io.state) {
      const dims = st.shape.map((d, i) => (i === 0 ? B : typeof d === 'number' ? d : 0));
      state[st.name] = {
        dtype: 'float32',
        data: new Float32Array(dims.reduce((a, b) => a * b, 1)),
        dims,
      };
    }
    for (let t = 0; t < steps; t++) {
      // finished sequences keep reading the boundary; their outputs are ignored
      const token = seqs.map((q) => (t === 0 || t > q.length ? BOUNDARY_ID : (q[t - 1] as number)));
      const target = seqs.map((q) => (t < q.length ? (q[t] as number) : BOUNDARY_ID));
      const out = await session.runShaped({
        [TENSOR.token]: i64(token, [B]),
        targets: i64(target, [B, 1]),
        ...state,
      });
      const picked = (out['picked'] as { data: Float64Array }).data;
      seqs.forEach((q, b) => {
        if (t <= q.length) p[(first[k0 + b] as number) + t] = picked[b] as number;
      });
      for (const st of io.state) {
        // the next state's own dims: a key/value cache is one position longer each step
        const next = out[`${st.name}${NEXT}`] as { data: Float64Array; dims: number[] };
        state[st.name] = { dtype: 'float32', data: Float32Array.from(next.data), dims: next.dims };
      }
    }
  }
  return p;
}

/**
 * p(target) of every prediction of a split under an exported model. `data` is the split's
 * sequences, or, for window models only, (context, target) rows already made from them (a
 * sample of a large training split, say).
 */
export async function targetProbs(
  onnx: Uint8Array,
  io: IoSpec,
  data: Sequences | Examples,
  opts: ScoreOptions = {},
): Promise<Float64Array> {
  const session = await NodeSession.create(scoringModel(onnx, io));
  try {
    if ('targets' in data) {
      if (io.kind !== 'window') throw new Error(`a ${io.kind} model is scored on sequences`);
      return await windowProbs(session, data, opts.chunk ?? 4096);
    }
    if (io.kind === 'window')
      return await windowProbs(session, windowExamples(data, io.context), opts.chunk ?? 4096);
    if (io.kind === 'sequence')
      return await sequenceProbs(session, io, data, opts.chunk ?? 64, opts);
    return await stepProbs(session, io, data, opts.chunk ?? 256);
  } finally {
    await session.release();
  }
}

/** Mean -ln p: the loss in nats per prediction. */
export function meanNll(p: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < p.length; i++) total -= Math.log(p[i] as number);
  return total / p.length;
}

export interface CardScores {
  metrics: ModelCard['metrics'];
  /** p(target) of every prediction, per split (for mixtures and per-position comparisons). */
  p: { train: Float64Array; heldOut: Float64Array; test: Float64Array };
}

/**
 * The card's metrics for any io kind: train / held-out / test loss and perplexity, measured on
 * the same predictions for every model of a corpus, and ln V, the uniform model's loss.
 */
export async function scoreCard(
  onnx: Uint8Array,
  io: IoSpec,
  splits: {
    train: Sequences | Examples;
    heldOut: Sequences | Examples;
    test: Sequences | Examples;
  },
  opts: ScoreOptions = {},
): Promise<CardScores> {
  const train = await targetProbs(onnx, io, splits.train, opts);
  const heldOut = await targetProbs(onnx, io, splits.heldOut, opts);
  const test = await targetProbs(onnx, io, splits.test, opts);
  const [trainLoss, heldOutLoss, testLoss] = [meanNll(train), meanNll(heldOut), meanNll(test)];
  return {
    metrics: {
      trainLoss,
      heldOutLoss,
      testLoss,
      trainPerplexity: Math.exp(trainLoss),
      heldOutPerplexity: Math.exp(heldOutLoss),
      testPerplexity: Math.exp(testLoss),
      uniformLoss: Math.log(io.vocab),
    },
    p: { train, heldOut, test },
  };
}
