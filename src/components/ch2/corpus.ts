/**
 * Facts about the State of the Union corpus for chapter 2's prose and its "corpus at a glance"
 * figure, computed at build time (Node only) from the same tokenized addresses and split the
 * models were trained on. Small enough to hand to an island as props (a few kB).
 */
import { loadAddresses, tokenCounts, type Address } from '../../models/words/corpus';
import { wordsData } from '../../models/words/data';

export interface RankCount {
  rank: number;
  count: number;
  word: string;
}

export interface GroupWords {
  /** "Abraham Lincoln" or "1860s". */
  label: string;
  /** Years covered, first and last. */
  years: [number, number];
  /** Party of a president ("" for a decade). */
  party: string;
  /** Its most distinctive words by tf-idf, best first. */
  words: string[];
}

export interface CorpusStats {
  addresses: number;
  years: [number, number];
  /** Tokens and distinct tokens (types) in the training addresses, before `<unk>`. */
  trainTokens: number;
  types: number;
  /** Types seen exactly once / at most twice in training. */
  once: number;
  twice: number;
  /** Zipf: (rank, count) of training types, a log-spaced selection of ranks. */
  zipf: RankCount[];
  /** Share of held-out tokens whose word is among the k most frequent training words. */
  coverage: { k: number; share: number }[];
  vocabSize: number;
  /** Share of held-out tokens outside the vocabulary (they become `<unk>`). */
  oov: number;
  /** Share of held-out n-grams (n = 1..5, in vocabulary ids, `<s>`-padded) never seen in training. */
  unseen: { n: number; share: number }[];
  presidents: GroupWords[];
  decades: GroupWords[];
}

/** Ranks 1, 2, 3, ... 10, then about 12 per factor of 10, up to the last. */
function logRanks(last: number): number[] {
  const out = new Set<number>();
  for (let r = 1; r <= Math.min(10, last); r++) out.add(r);
  for (let e = 1; 10 ** e < last; e++)
    for (let k = 1; k < 10; k += 0.75) out.add(Math.min(last, Math.round(k * 10 ** e)));
  out.add(last);
  return [...out].filter((r) => r <= last).sort((a, b) => a - b);
}

/** Words worth listing: letters (and the dots of u.s.), no clitics, punctuation or classes. */
const WORD = /^[a-z][a-z.]*$/;

/** The most distinctive words of each group: tf (share of the group's tokens) x idf (ln G / df). */
function distinctive(
  groups: { label: string; addresses: Address[]; party: string }[],
  top = 8,
): GroupWords[] {
  const counts = groups.map((g) => tokenCounts(g.addresses));
  const df = new Map<string, number>();
  for (const c of counts) for (const w of c.keys()) df.set(w, (df.get(w) ?? 0) + 1);
  return groups.map((g, i) => {
    const c = counts[i] as Map<string, number>;
    const total = [...c.values()].reduce((a, b) => a + b, 0);
    const scored = [...c]
      .filter(([w, n]) => WORD.test(w) && w.length > 2 && n >= 3)
      .map(([w, n]) => ({ w, s: (n / total) * Math.log(groups.length / (df.get(w) ?? 1)) }))
      .sort((a, b) => b.s - a.s || (a.w < b.w ? -1 : 1));
    const years = g.addresses.map((a) => a.year);
    return {
      label: g.label,
      years: [Math.min(...years), Math.max(...years)],
      party: g.party,
      words: scored.slice(0, top).map((x) => x.w),
    };
  });
}

/** Every n-gram (n-1 context ids + the target) of a split, as keys "context|target". */
function ngrams(contexts: Int32Array, targets: Int32Array, n: number, V: number): string[] {
  const width = contexts.length / targets.length;
  return Array.from(targets, (t, i) => {
    let key = 0; // the context as a number in base V: exact while V^(n-1) < 2^53
    for (let j = width - (n - 1); j < width; j++)
      key = key * V + (contexts[i * width + j] as number);
    return `${key}|${t}`;
  });
}

let cached: CorpusStats | undefined;

export function corpusStats(): CorpusStats {
  if (cached) return cached;
  const all = loadAddresses();
  const d = wordsData();
  const ranked = [...d.trainCounts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const heldCounts = tokenCounts(d.split.heldOut);
  const heldTotal = [...heldCounts.values()].reduce((a, b) => a + b, 0);
  const rankOf = new Map(ranked.map(([w], i) => [w, i + 1]));
  const coverage = [10, 100, 1000, d.vocab.size - 2, 10000, ranked.length].map((k) => {
    let covered = 0;
    for (const [w, c] of heldCounts) if ((rankOf.get(w) ?? Infinity) <= k) covered += c;
    return { k, share: covered / heldTotal };
  });
  const unseen = [1, 2, 3, 4, 5].map((n) => {
    const seen = new Set(ngrams(d.train.contexts, d.train.targets, n, d.vocab.size));
    const held = ngrams(d.heldOut.contexts, d.heldOut.targets, n, d.vocab.size);
    return { n, share: held.filter((g) => !seen.has(g)).length / held.length };
  });

  const byPresident = new Map<string, Address[]>();
  for (const a of all) byPresident.set(a.president, [...(byPresident.get(a.president) ?? []), a]);
  const byDecade = new Map<number, Address[]>();
  for (const a of all)
    byDecade.set(Math.floor(a.year / 10) * 10, [
      ...(byDecade.get(Math.floor(a.year / 10) * 10) ?? []),
      a,
    ]);

  cached = {
    addresses: all.length,
    years: [all[0]?.year ?? 0, all.at(-1)?.year ?? 0],
    trainTokens: [...d.trainCounts.values()].reduce((a, b) => a + b, 0),
    types: ranked.length,
    once: ranked.filter(([, c]) => c === 1).length,
    twice: ranked.filter(([, c]) => c <= 2).length,
    zipf: logRanks(ranked.length).map((rank) => ({
      rank,
      count: ranked[rank - 1]?.[1] ?? 0,
      word: ranked[rank - 1]?.[0] ?? '',
    })),
    coverage,
    vocabSize: d.vocab.size,
    oov: d.heldOutOov,
    unseen,
    presidents: distinctive(
      [...byPresident].map(([label, addresses]) => ({
        label,
        addresses,
        party: addresses[0]?.party ?? '',
      })),
    ),
    decades: distinctive(
      [...byDecade].map(([decade, addresses]) => ({ label: `${decade}s`, addresses, party: '' })),
    ),
  };
  return cached;
}
