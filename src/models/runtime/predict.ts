/**
 * The one place that turns contexts into an ONNX call, shared by the Node and browser runtimes.
 * Both onnxruntime-node and onnxruntime-web re-export onnxruntime-common's Tensor and
 * InferenceSession types, so one function serves both.
 */
import type { InferenceSession, Tensor } from 'onnxruntime-web';
import { CONTEXT, V } from '../names/vocab';

export type TensorCtor = typeof Tensor;

/** The names-model interface every card lists under `io`. */
export const INPUT = 'ctx'; // int64 [B, CONTEXT]
export const OUTPUT = 'probs'; // float32 [B, V]

/** contexts [B][CONTEXT] -> int64 tensor [B, CONTEXT]. */
export function contextTensor(TensorClass: TensorCtor, contexts: readonly number[][]): Tensor {
  const data = new BigInt64Array(contexts.length * CONTEXT);
  contexts.forEach((ctx, b) => {
    if (ctx.length !== CONTEXT)
      throw new Error(`context ${b} has ${ctx.length} ids; expected ${CONTEXT}`);
    ctx.forEach((id, j) => {
      if (!Number.isInteger(id) || id < 0 || id >= V)
        throw new Error(`context id ${id} is outside 0..${V - 1}`);
      data[b * CONTEXT + j] = BigInt(id);
    });
  });
  return new TensorClass('int64', data, [contexts.length, CONTEXT]);
}

/** Run one batch: resolves to probs as a Float32Array [B * V] (a copy the caller may keep). */
export async function runPredict(
  TensorClass: TensorCtor,
  session: InferenceSession,
  contexts: readonly number[][],
): Promise<Float32Array> {
  if (contexts.length === 0) return new Float32Array(0);
  const input = contextTensor(TensorClass, contexts);
  const out = await session.run({ [INPUT]: input });
  const probs = out[OUTPUT];
  if (!probs || !(probs.data instanceof Float32Array))
    throw new Error(`model has no float32 output "${OUTPUT}"`);
  const copy = new Float32Array(probs.data);
  input.dispose();
  probs.dispose();
  return copy;
}
