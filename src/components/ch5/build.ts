/**
 * Chapter 5's build-time reads (Node only: never import from an island): a GPT's weights from
 * its committed .onnx file, checked against its card.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadCard, modelsDir } from '../../models/runtime/node';
import { readWeights, type Weights } from './weights';

export async function fileWeights(id: string, names?: readonly string[]): Promise<Weights> {
  const card = await loadCard(id);
  const bytes = new Uint8Array(await readFile(path.join(modelsDir(), `${id}.onnx`)));
  if (bytes.byteLength !== card.file.bytes)
    throw new Error(`${id}.onnx has ${bytes.byteLength} bytes; its card says ${card.file.bytes}`);
  return readWeights(bytes, names);
}
