/**
 * The NNLM's embedding table for the page (Node only, build time): read from the exported file
 * itself (checked against its card), restricted to the most frequent words, kept as the file's
 * own fp16 numbers (so neighbours in the page are exactly those of the model's weights), and laid
 * out by t-SNE once per build.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DataType } from '../../models/graph/proto';
import { decodeModel, tensorValues } from '../../models/graph/proto-read';
import { loadCard, modelsDir } from '../../models/runtime/node';
import { UMAP } from 'umap-js';
import { Rng } from '../../models/rng';
import { loadAddresses, splitAddresses } from '../../models/words/corpus';
import { WORDS } from '../../models/words/data';
import { isolated, kmeansCosine, neighbours, tsne2, type Vectors } from './projection';
import { WORD_CLASSES, wordClasses } from './word-class';

/** How many words the explorer shows (the most frequent, ids 2.. skipping punctuation). */
export const EXPLORER_WORDS = 1000;

export interface EmbeddingData {
  /** The words, most frequent first, one per line. */
  words: string;
  d: number;
  /** [n * d] IEEE fp16, little-endian, base64: the rows of the model's table C, bit for bit. */
  vectors: string;
  /** [n * 2] t-SNE coordinates, rounded. */
  tsne: number[];
  /** [n * 2] UMAP coordinates, rounded. */
  umap: number[];
  /** Each word's class, an index into `classNames` (word-class.ts). */
  classes: number[];
  classNames: string[];
  /** Each word's cluster (spherical k-means on the vectors), and each cluster's first words. */
  clusters: number[];
  clusterNames: string[];
  /**
   * How often a word's 10 nearest neighbours share its word class, against how often two
   * words picked at random do (the sum of squared class shares).
   */
  classAgreement: { neighbours: number; chance: number };
  /** The most isolated words (least similar nearest neighbour), most isolated first. */
  outliers: { index: number; cos: number }[];
}

/** How many clusters and outliers the explorer marks. */
export const CLUSTERS = 8;
export const OUTLIERS = 8;

/** UMAP (McInnes et al. 2018) with umap-js, its random numbers from our seeded generator. */
function umap2(v: Vectors, seed: number): Float64Array {
  const rng = new Rng(seed);
  const rows = Array.from({ length: v.n }, (_, i) =>
    Array.from(v.data.subarray(i * v.d, (i + 1) * v.d)),
  );
  const u = new UMAP({
    nComponents: 2,
    nNeighbors: 15,
    minDist: 0.1,
    distanceFn: (a, b) => {
      let dot = 0;
      let na = 0;
      let nb = 0;
      for (let k = 0; k < a.length; k++) {
        dot += (a[k] as number) * (b[k] as number);
        na += (a[k] as number) ** 2;
        nb += (b[k] as number) ** 2;
      }
      return 1 - dot / Math.sqrt(na * nb || 1);
    },
    random: () => rng.next(),
  });
  return Float64Array.from(u.fit(rows).flat());
}

const rounded = (xs: Float64Array): number[] => Array.from(xs, (x) => Math.round(x * 100) / 100);

/** A token worth a dot: a word or a number class, not punctuation or clitics. */
const SHOWN = /^([a-z][a-z.']*|<num>|<year>|<ord>)$/;

/** The vocabulary ids the explorer shows, most frequent first. */
export function explorerIds(vocabulary: readonly string[]): number[] {
  return vocabulary
    .flatMap((w, id) => (id >= 2 && SHOWN.test(w) ? [id] : []))
    .slice(0, EXPLORER_WORDS);
}

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
  if (init.dataType !== DataType.FLOAT16) throw new Error('nnlm.onnx: expected an fp16 table C');
  const C = tensorValues(init);
  const d = Number(card.config['embed']);
  const ids = explorerIds(card.vocabulary);
  const half = Buffer.alloc(ids.length * d * 2);
  const data = new Float64Array(ids.length * d);
  ids.forEach((id, i) => {
    half.set(init.raw.subarray(id * d * 2, (id + 1) * d * 2), i * d * 2);
    data.set(C.subarray(id * d, (id + 1) * d), i * d);
  });
  const v: Vectors = { n: ids.length, d, data };
  const tsne = rounded(tsne2(v, { perplexity: 20, iterations: 300, seed: 2003 }));
  const umap = rounded(umap2(v, 2003));
  const words = ids.map((id) => card.vocabulary[id] ?? '');
  const classes = wordClasses(words, splitAddresses(loadAddresses(), WORDS.splitSeed).train).map(
    (c) => WORD_CLASSES.indexOf(c),
  );
  const clusters = kmeansCosine(v, CLUSTERS, 2003);
  // A cluster is named by its three most frequent words (words are most frequent first).
  const clusterNames = Array.from({ length: CLUSTERS }, (_, c) =>
    words
      .filter((_, i) => clusters[i] === c)
      .slice(0, 3)
      .join(', '),
  );
  let same = 0;
  for (let i = 0; i < v.n; i++)
    for (const nb of neighbours(v, i, 10)) if (classes[nb.index] === classes[i]) same++;
  const shares = WORD_CLASSES.map((_, c) => classes.filter((x) => x === c).length / v.n);
  const classAgreement = {
    neighbours: same / (v.n * 10),
    chance: shares.reduce((a, p) => a + p * p, 0),
  };
  return {
    words: words.join('\n'),
    classAgreement,
    d,
    vectors: half.toString('base64'),
    tsne,
    umap,
    classes,
    classNames: [...WORD_CLASSES],
    clusters,
    clusterNames,
    outliers: isolated(v, OUTLIERS).map((o) => ({
      index: o.index,
      cos: Math.round(o.cos * 1000) / 1000,
    })),
  };
}

export function embeddingData(): Promise<EmbeddingData> {
  cached ??= load();
  return cached;
}
