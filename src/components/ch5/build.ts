/**
 * Chapter 5's build-time reads (Node only: never import from an island): a GPT's weights from
 * its committed .onnx file, checked against its card; and the words GPT's inspect graph run with
 * onnxruntime-node on a text as the page reads it (models/words/lm.ts readSentence).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadCard, modelsDir, nodeSequence } from '../../models/runtime/node';
import { readSentence } from '../../models/words/lm';
import { Vocabulary } from '../../models/words/vocab';
import { modelInfos } from '../ui/build';
import type { ModelInfo } from '../ui/models';
import { packAttention, readAttention, type PackedAttention } from './attention';
import { namedWeights } from '../../models/graph/proto-read';
import type { Weights } from './weights';

export async function fileWeights(id: string, names?: readonly string[]): Promise<Weights> {
  const card = await loadCard(id);
  const bytes = new Uint8Array(await readFile(path.join(modelsDir(), `${id}.onnx`)));
  if (bytes.byteLength !== card.file.bytes)
    throw new Error(`${id}.onnx has ${bytes.byteLength} bytes; its card says ${card.file.bytes}`);
  return namedWeights(bytes, names);
}

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
  const input = readSentence(new Vocabulary(card.vocabulary), text, m.io.maxLength);
  return packAttention(await readAttention(m.run, input.ids));
}
