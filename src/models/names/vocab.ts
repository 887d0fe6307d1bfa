/**
 * The names vocabulary: '.' marks both the start and the end of a name, then a..z.
 * Every names model (unigram, bigram, MLP) reads a context of CONTEXT ids and predicts
 * a distribution over these VOCAB.length symbols.
 */
import { sequencesOf, windowExamples, type Examples, type Sequences } from '../positions';

export const BOUNDARY = '.';
export const VOCAB: readonly string[] = [BOUNDARY, ...'abcdefghijklmnopqrstuvwxyz'];
export const V = VOCAB.length; // 27
export const CONTEXT = 3;

const INDEX = new Map(VOCAB.map((c, i) => [c, i]));

export function charId(c: string): number | undefined {
  return INDEX.get(c);
}

export interface EncodedName {
  /** The characters kept, lowercased, in order. */
  text: string;
  ids: number[];
  /** Distinct uppercase letters that were lowercased. */
  lowercased: string[];
  /** Distinct characters (whole code points / graphemes as typed) that are not in the vocabulary. */
  dropped: string[];
}

/**
 * Turn anything a reader types into vocabulary ids: letters are lowercased (A -> a),
 * anything else (digits, spaces, emoji, CJK, accents, lone surrogates) is dropped and reported.
 */
export function encodeName(raw: string): EncodedName {
  const ids: number[] = [];
  let text = '';
  const lowercased = new Set<string>();
  const dropped = new Set<string>();
  for (const ch of raw) {
    let c = ch;
    if (c >= 'A' && c <= 'Z') {
      lowercased.add(c);
      c = c.toLowerCase();
    }
    const id = c === BOUNDARY ? undefined : INDEX.get(c);
    if (id === undefined) {
      dropped.add(ch);
      continue;
    }
    ids.push(id);
    text += c;
  }
  return { text, ids, lowercased: [...lowercased], dropped: [...dropped] };
}

/**
 * The contexts and targets for scoring a name: for "emma", predictions of e|..., m|..e, m|.em,
 * a|emm, .|mma — name length + 1 predictions (the last one is the end marker).
 */
export function contextsFor(ids: readonly number[]): { contexts: number[][]; targets: number[] } {
  const padded = [...Array<number>(CONTEXT).fill(0), ...ids];
  const contexts: number[][] = [];
  const targets: number[] = [];
  for (let i = 0; i <= ids.length; i++) {
    contexts.push(padded.slice(i, i + CONTEXT));
    targets.push(i < ids.length ? (ids[i] as number) : 0);
  }
  return { contexts, targets };
}

/** Names as sequences of ids (positions.ts): the positions every names model is scored on. */
export function nameSequences(names: readonly string[]): Sequences {
  return sequencesOf(names.map((name) => encodeName(name).ids));
}

/** Every (context, next character) pair of some names, flat: contexts [N * CONTEXT], targets [N]. */
export function examples(names: readonly string[]): Examples {
  return windowExamples(nameSequences(names), CONTEXT);
}
