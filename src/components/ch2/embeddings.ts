/**
 * The NNLM's embedding table for the page (Node only, build time): read from the exported file
 * itself (checked against its card), restricted to the most frequent words, quantised to 8 bits
 * per number, and laid out by t-SNE once per build.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeModel, tensorValues } from '../../models/graph/proto';
import { loadCard, modelsDir } from '../../models/runtime/node';
import { tsne2, type Vectors } from './projection';

/** How many words the explorer shows (the most frequent, ids 2.. skipping punctuation). */
export const EXPLORER_WORDS = 1000;

export interface EmbeddingData {
  /** The words, most frequent first, one per line. */
  words: string;
  d: number;
  /** [n * d] int8, base64: vector k of word i is bytes[i*d+k] * scale[k]. */
  vectors: string;
  scale: number[];
  /** [n * 2] t-SNE coordinates, rounded. */
  tsne: number[];
}

/** A token worth a dot: a word or a number class, not punctuation or clitics. */
const SHOWN = /^([a-z][a-z.']*|<num>|<year>|<ord>)$/;

let cached: Promise<EmbeddingData> | undefined;

async function load(): Promise<EmbeddingData> {
  const card = await loadCard('nnlm');
  const bytes = await readFile(path.join(modelsDir(), 'nnlm.onnx'));
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (sha !== card.file.sha256) throw new Error('public/models/nnlm.onnx does not match its card');
  const init = decodeModel(new Uint8Array(bytes)).graph.initializers.find(
    (t) => t.name === 'C' || t.name === 'C__fp16',
  );
  if (!init) throw new Error('nnlm.onnx has no embedding table C');
  const C = tensorValues(init);
  const d = Number(card.config['embed']);
  const ids = card.vocabulary
    .flatMap((w, id) => (id >= 2 && SHOWN.test(w) ? [id] : []))
    .slice(0, EXPLORER_WORDS);
  const data = new Float64Array(ids.length * d);
  ids.forEach((id, i) => data.set(C.subarray(id * d, (id + 1) * d), i * d));
  const scale = Array.from({ length: d }, (_, k) => {
    let max = 0;
    for (let i = 0; i < ids.length; i++) max = Math.max(max, Math.abs(data[i * d + k] as number));
    return max / 127 || 1;
  });
  const q = Int8Array.from(data, (x, j) => Math.round(x / (scale[j % d] as number)));
  // t-SNE on the same 8-bit vectors the page gets, so both views show the same points.
  const v: Vectors = {
    n: ids.length,
    d,
    data: Float64Array.from(q, (x, j) => x * (scale[j % d] as number)),
  };
  const tsne = Array.from(
    tsne2(v, { perplexity: 20, iterations: 300, seed: 2003 }),
    (x) => Math.round(x * 100) / 100,
  );
  return {
    words: ids.map((id) => card.vocabulary[id] ?? '').join('\n'),
    d,
    vectors: Buffer.from(q.buffer).toString('base64'),
    scale,
    tsne,
  };
}

export function embeddingData(): Promise<EmbeddingData> {
  cached ??= load();
  return cached;
}
