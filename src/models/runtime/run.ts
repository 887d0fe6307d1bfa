/**
 * The one place that turns token ids into an ONNX call and its outputs back into arrays, for
 * every kind of model in the contract (../contract.ts), shared by the Node runtime (build time)
 * and the browser runtime (live figures). Shapes come from the model's io spec (its card); this
 * file knows no model, vocabulary or chapter.
 *
 * onnxruntime-node and onnxruntime-web both re-export onnxruntime-common's Tensor and
 * InferenceSession types, so one set of functions serves both.
 */
import type { InferenceSession, Tensor } from 'onnxruntime-web';
import {
  NEXT,
  TENSOR,
  type IoSpec,
  type Out,
  type SequenceIo,
  type StepIo,
  type WindowIo,
} from '../contract';

export type TensorCtor = typeof Tensor;

function ids(
  TensorClass: TensorCtor,
  rows: readonly (readonly number[])[],
  width: number,
  vocab: number,
  what: string,
): Tensor {
  const data = new BigInt64Array(rows.length * width);
  rows.forEach((row, b) => {
    if (row.length !== width)
      throw new Error(`${what} ${b} has ${row.length} ids; expected ${width}`);
    row.forEach((id, j) => {
      if (!Number.isInteger(id) || id < 0 || id >= vocab)
        throw new Error(`${what} id ${id} is outside 0..${vocab - 1}`);
      data[b * width + j] = BigInt(id);
    });
  });
  return new TensorClass('int64', data, [rows.length, width]);
}

/** contexts [B][context] -> int64 tensor [B, context]; ids must lie in 0..vocab-1. */
export function contextTensor(
  TensorClass: TensorCtor,
  contexts: readonly (readonly number[])[],
  io: Pick<WindowIo, 'context' | 'vocab'>,
): Tensor {
  return ids(TensorClass, contexts, io.context, io.vocab, 'context');
}

/** Copy a float32 output out of ORT (the caller may keep it) and free ORT's tensor. */
function take(out: InferenceSession.OnnxValueMapType, name: string): Out {
  const value = out[name];
  if (!value || !(value.data instanceof Float32Array))
    throw new Error(`model has no float32 output "${name}"`);
  const copy = { data: new Float32Array(value.data), dims: value.dims.map(Number) };
  value.dispose();
  return copy;
}

async function run(
  session: InferenceSession,
  feeds: Record<string, Tensor>,
  outputs: readonly string[],
): Promise<Record<string, Out>> {
  try {
    const out = await session.run(feeds, [...outputs]);
    const result: Record<string, Out> = {};
    for (const name of outputs) result[name] = take(out, name);
    return result;
  } finally {
    for (const t of Object.values(feeds)) t.dispose();
  }
}

/**
 * A window model on one batch: one output (probs [B * V] by default, or an internal such as
 * the NNLM's `hidden` [B * H]) as a row-major Float32Array the caller may keep.
 */
export async function runWindow(
  TensorClass: TensorCtor,
  session: InferenceSession,
  io: WindowIo,
  contexts: readonly (readonly number[])[],
  output: string = TENSOR.probs,
): Promise<Float32Array> {
  if (contexts.length === 0) return new Float32Array(0);
  const feeds = { [TENSOR.ctx]: contextTensor(TensorClass, contexts, io) };
  return ((await run(session, feeds, [output]))[output] as Out).data;
}

/**
 * A sequence model on B rows of equal length T (1 <= T <= maxLength): logprobs [B, T, V] and
 * any internals asked for (attention [B, L, H, T, T], ...).
 */
export async function runSequence(
  TensorClass: TensorCtor,
  session: InferenceSession,
  io: SequenceIo,
  tokens: readonly (readonly number[])[],
  outputs: readonly string[] = [TENSOR.logprobs],
): Promise<Record<string, Out>> {
  const T = tokens[0]?.length ?? 0;
  if (T < 1 || T > io.maxLength)
    throw new Error(`a sequence of ${T} tokens; this model reads 1 to ${io.maxLength}`);
  const feeds = { [TENSOR.tokens]: ids(TensorClass, tokens, T, io.vocab, 'sequence') };
  return run(session, feeds, outputs);
}

/** A step model's state: one tensor per StateSpec, by name. */
export type State = Record<string, Out>;

/** The state before the first token: zeros, for a batch of B. */
export function initialState(io: StepIo, batch: number): State {
  const state: State = {};
  for (const s of io.state) {
    const dims = s.shape.map((d, i) => (i === 0 ? batch : typeof d === 'number' ? d : 0));
    state[s.name] = { data: new Float32Array(dims.reduce((a, b) => a * b, 1)), dims };
  }
  return state;
}

export interface StepResult {
  /** P(next | everything so far) [B * V]. */
  probs: Float32Array;
  state: State;
  /** Internals asked for (gates, attention of the new token...). */
  internals: Record<string, Out>;
}

/** A step model: one token per row of the batch, the state so far -> probs and the next state. */
export async function runStep(
  TensorClass: TensorCtor,
  session: InferenceSession,
  io: StepIo,
  token: readonly number[],
  state: State,
  internals: readonly string[] = [],
): Promise<StepResult> {
  const feeds: Record<string, Tensor> = {
    [TENSOR.token]: new TensorClass(
      'int64',
      ids(TensorClass, [token], token.length, io.vocab, 'token').data as BigInt64Array,
      [token.length],
    ),
  };
  for (const s of io.state) {
    const v = state[s.name];
    if (!v) throw new Error(`no state "${s.name}"`);
    feeds[s.name] = new TensorClass('float32', v.data, v.dims);
  }
  const next = io.state.map((s) => `${s.name}${NEXT}`);
  const out = await run(session, feeds, [TENSOR.probs, ...next, ...internals]);
  const newState: State = {};
  for (const s of io.state) newState[s.name] = out[`${s.name}${NEXT}`] as Out;
  const extra: Record<string, Out> = {};
  for (const name of internals) extra[name] = out[name] as Out;
  return { probs: (out[TENSOR.probs] as Out).data, state: newState, internals: extra };
}

/** A context of boundary ids (0) that every kind of model accepts: the runtime's smoke test. */
export async function smokeTest(
  TensorClass: TensorCtor,
  session: InferenceSession,
  io: IoSpec,
): Promise<Float32Array> {
  if (io.kind === 'window')
    return runWindow(TensorClass, session, io, [new Array<number>(io.context).fill(0)]);
  if (io.kind === 'sequence')
    return ((await runSequence(TensorClass, session, io, [[0]]))[TENSOR.logprobs] as Out).data.map(
      Math.exp,
    );
  return (await runStep(TensorClass, session, io, [0], initialState(io, 1))).probs;
}
