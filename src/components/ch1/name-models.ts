/** The three name models chapter 1's figures compare (public/models/<id>.onnx). */
import type { ModelId } from '../../models/contract';

export const NAME_MODELS = ['unigram', 'bigram', 'mlp'] as const satisfies readonly ModelId[];
export type NameModel = (typeof NAME_MODELS)[number];

export function isNameModel(x: string | null | undefined): x is NameModel {
  return (NAME_MODELS as readonly string[]).includes(x ?? '');
}
