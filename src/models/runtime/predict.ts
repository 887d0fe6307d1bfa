/**
 * The one place that turns contexts into an ONNX call, shared by the Node and browser runtimes.
 * Both onnxruntime-node and onnxruntime-web re-export onnxruntime-common's Tensor and
 * InferenceSession types, so one function serves both.
 */
import type { InferenceSession, Tensor } from 'onnxruntime-web';
import { CONTEXT, V } from '../names/vocab';

export type TensorCtor = typeof Tensor;

/** The interface every card lists under `io`: ctx int64 [B, context] in, probs float32 [B, vocab] out. */
export const INPUT = 'ctx';
export const OUTPUT = 'probs';

/** A model's context length and vocabulary size. */
export interface ModelShape {
  context: number;
  vocab: number;
}

/** The names models' shape (chapter 1): 3 characters in, 27 symbols out. */
export const NAMES_SHAPE: ModelShape = { context: CONTEXT, vocab: V };

/**
 * The shape a session's model declares (ctx [B, n], probs [B, V]), so that one runtime serves
 * the names models and chapter 2's word models alike; the names shape when it declares none.
 */
export function modelShape(session: InferenceSession): ModelShape {
  const dim = (
    list: readonly InferenceSession.ValueMetadata[] | undefined,
    name: string,
  ): number | undefined => {
    const m = list?.find((x) => x.name === name);
    const d = m && m.isTensor ? m.shape[1] : undefined;
    return typeof d === 'number' && d > 0 ? d : undefined;
  };
  return {
    context: dim(session.inputMetadata, INPUT) ?? NAMES_SHAPE.context,
    vocab: dim(session.outputMetadata, OUTPUT) ?? NAMES_SHAPE.vocab,
  };
}

/** contexts [B][context] -> int64 tensor [B, context]; ids must lie in 0..vocab-1. */
export function contextTensor(
  TensorClass: TensorCtor,
  contexts: readonly number[][],
  shape: ModelShape = NAMES_SHAPE,
): Tensor {
  const { context, vocab } = shape;
  const data = new BigInt64Array(contexts.length * context);
  contexts.forEach((ctx, b) => {
    if (ctx.length !== context)
      throw new Error(`context ${b} has ${ctx.length} ids; expected ${context}`);
    ctx.forEach((id, j) => {
      if (!Number.isInteger(id) || id < 0 || id >= vocab)
        throw new Error(`context id ${id} is outside 0..${vocab - 1}`);
      data[b * context + j] = BigInt(id);
    });
  });
  return new TensorClass('int64', data, [contexts.length, context]);
}

/**
 * Run one batch and read one output: a Float32Array, row-major (a copy the caller may keep).
 * `probs` [B * V] by default; another output by name, e.g. the NNLM's `hidden` [B * H].
 */
export async function runOutput(
  TensorClass: TensorCtor,
  session: InferenceSession,
  contexts: readonly number[][],
  output: string = OUTPUT,
): Promise<Float32Array> {
  if (contexts.length === 0) return new Float32Array(0);
  const input = contextTensor(TensorClass, contexts, modelShape(session));
  // Only the output asked for: a model may have more (the NNLM's hidden layer).
  const out = await session.run({ [INPUT]: input }, [output]);
  const value = out[output];
  if (!value || !(value.data instanceof Float32Array))
    throw new Error(`model has no float32 output "${output}"`);
  const copy = new Float32Array(value.data);
  input.dispose();
  value.dispose();
  return copy;
}

/** Run one batch: resolves to probs as a Float32Array [B * V] (a copy the caller may keep). */
export function runPredict(
  TensorClass: TensorCtor,
  session: InferenceSession,
  contexts: readonly number[][],
): Promise<Float32Array> {
  return runOutput(TensorClass, session, contexts, OUTPUT);
}
