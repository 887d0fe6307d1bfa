/**
 * Chapter 5's build-time reading of a text (Node only: never import from an island): the words
 * GPT's inspect graph run with onnxruntime-node on the text as the page reads it (words-input.ts).
 */
import { loadCard, nodeSequence } from '../../models/runtime/node';
import { Vocabulary } from '../../models/words/vocab';
import { modelInfos } from '../ui/build';
import type { ModelInfo } from '../ui/models';
import { packAttention, readAttention, type PackedAttention } from './attention';
import { wordsInput } from './words-input';

export const WORDS_GPT = 'gpt-words';

export interface WordsModelProps {
  model: ModelInfo;
  /** The vocabulary, one word per line (from the card). */
  vocabulary: string;
  maxLength: number;
}

export async function wordsModelProps(): Promise<WordsModelProps> {
  const [model] = await modelInfos([WORDS_GPT]);
  const card = await loadCard(WORDS_GPT);
  if (!model || card.io.kind !== 'sequence')
    throw new Error(`${WORDS_GPT} is not a sequence model`);
  return { model, vocabulary: card.vocabulary.join('\n'), maxLength: card.io.maxLength };
}

/** Every head's attention for `text`, packed for the island's props. */
export async function attentionAtBuild(text: string): Promise<PackedAttention> {
  const card = await loadCard(WORDS_GPT);
  const m = await nodeSequence(WORDS_GPT);
  const input = wordsInput(new Vocabulary(card.vocabulary), text, m.io.maxLength);
  return packAttention(await readAttention(m.run, input.ids));
}
