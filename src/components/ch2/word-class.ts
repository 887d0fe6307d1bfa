/**
 * Word classes for the embedding explorer (Node only, build time): each word's most frequent
 * part of speech in a sample of training sentences, as tagged by compromise (a rule-and-lexicon
 * English tagger; https://github.com/spencermountain/compromise), falling back to its tag for
 * the word alone when the sample never shows it. A colouring aid, not gold-standard grammar.
 */
import nlp from 'compromise';
import type { Address } from '../../models/words/corpus';

export const WORD_CLASSES = [
  'noun',
  'verb',
  'adjective',
  'adverb',
  'pronoun',
  'determiner',
  'preposition',
  'conjunction',
  'number',
  'other',
] as const;
export type WordClass = (typeof WORD_CLASSES)[number];

/** One tagged term, compromise's tags in its order (most specific last). */
function classOf(tags: readonly string[]): WordClass {
  const has = (t: string) => tags.includes(t);
  if (has('Pronoun')) return 'pronoun';
  if (has('Value') || has('Cardinal') || has('Ordinal')) return 'number';
  if (has('Determiner')) return 'determiner';
  if (has('Preposition')) return 'preposition';
  if (has('Conjunction')) return 'conjunction';
  if (has('Adverb')) return 'adverb';
  if (has('Adjective')) return 'adjective';
  if (has('Verb') || has('Modal') || has('Auxiliary') || has('Copula')) return 'verb';
  if (has('Noun')) return 'noun';
  return 'other';
}

interface Term {
  normal: string;
  tags: string[];
}

function terms(text: string): Term[] {
  const doc = nlp(text).json() as { terms: Term[] }[];
  return doc.flatMap((s) => s.terms);
}

/** Every `every`-th training sentence is tagged (1 in 60 keeps the build to a few seconds). */
export function wordClasses(
  words: readonly string[],
  train: readonly Address[],
  every = 60,
): WordClass[] {
  const wanted = new Set(words);
  const votes = new Map<string, Map<WordClass, number>>();
  const sentences = train.flatMap((a) => a.sentences).filter((_, i) => i % every === 0);
  for (const t of terms(sentences.map((s) => s.join(' ')).join('\n'))) {
    const w = t.normal.toLowerCase();
    if (!wanted.has(w)) continue;
    const v = votes.get(w) ?? new Map<WordClass, number>();
    const c = classOf(t.tags);
    v.set(c, (v.get(c) ?? 0) + 1);
    votes.set(w, v);
  }
  return words.map((w) => {
    if (w === '<num>' || w === '<year>' || w === '<ord>') return 'number';
    const v = votes.get(w);
    if (!v) return classOf(terms(w)[0]?.tags ?? []);
    // Most votes; ties to the earlier class in WORD_CLASSES (deterministic).
    return [...v.entries()].sort(
      (a, b) => b[1] - a[1] || WORD_CLASSES.indexOf(a[0]) - WORD_CLASSES.indexOf(b[0]),
    )[0]![0];
  });
}
