/**
 * Chapter 2's data, prepared once per process (Node only): the State of the Union addresses
 * split by address, the vocabulary counted on the training addresses, and every (context,
 * next word) example of each split. Every chapter-2 model is trained and scored on these.
 */
import { windowExamples, type Examples, type Sequences } from '../positions';
import {
  loadAddresses,
  sentenceSequences,
  splitAddresses,
  tokenCounts,
  type Split,
} from './corpus';
import { Vocabulary } from './vocab';

/** Vocabulary size (with `<s>` and `<unk>`) and context length of every chapter-2 model. */
export const WORDS = { vocab: 5000, context: 4, splitSeed: 2003 } as const;

export interface WordsData {
  split: Split;
  vocab: Vocabulary;
  /** How often each token occurs in the training addresses (before `<unk>`). */
  trainCounts: Map<string, number>;
  /** The positions every words model is scored on: each split's sentences (positions.ts). */
  seqs: { train: Sequences; heldOut: Sequences; test: Sequences };
  /** The window models' (context, next word) rows of those positions. */
  train: Examples;
  heldOut: Examples;
  test: Examples;
  /** Held-out tokens that are outside the vocabulary (became `<unk>`), as a fraction. */
  heldOutOov: number;
}

let cached: WordsData | undefined;

export function wordsData(): WordsData {
  if (cached) return cached;
  const split = splitAddresses(loadAddresses(), WORDS.splitSeed);
  const trainCounts = tokenCounts(split.train);
  const vocab = Vocabulary.fromCounts(trainCounts, WORDS.vocab);
  let oov = 0;
  let total = 0;
  for (const [w, c] of tokenCounts(split.heldOut)) {
    total += c;
    if (!vocab.has(w)) oov += c;
  }
  const seqs = {
    train: sentenceSequences(split.train, vocab),
    heldOut: sentenceSequences(split.heldOut, vocab),
    test: sentenceSequences(split.test, vocab),
  };
  cached = {
    split,
    vocab,
    trainCounts,
    seqs,
    train: windowExamples(seqs.train, WORDS.context),
    heldOut: windowExamples(seqs.heldOut, WORDS.context),
    test: windowExamples(seqs.test, WORDS.context),
    heldOutOov: oov / total,
  };
  return cached;
}

/** n examples spread evenly over a split (every k-th), so a sample covers every address. */
export function strided(data: Examples, n: number): Examples {
  const N = data.targets.length;
  if (n >= N) return data;
  const width = data.contexts.length / N;
  const contexts = new Int32Array(n * width);
  const targets = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const r = Math.floor((i * N) / n);
    targets[i] = data.targets[r] as number;
    contexts.set(data.contexts.subarray(r * width, (r + 1) * width), i * width);
  }
  return { contexts, targets };
}
