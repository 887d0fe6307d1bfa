/**
 * The word vocabulary: the boundary `<s>` (id 0) and `<unk>` (id 1), then the most frequent
 * training tokens, most frequent first (ties alphabetical, so the order never depends on the
 * order documents were read). Ids are therefore also frequency ranks, which the figures use.
 *
 * Works in Node and in the page: the page rebuilds it from the card's `vocabulary` list.
 */
import { BOUNDARY, UNK } from './tokenizer';

export const BOUNDARY_ID = 0;
export const UNK_ID = 1;

export class Vocabulary {
  readonly words: readonly string[];
  private readonly index: Map<string, number>;

  /** `words` must start with `<s>`, `<unk>`. */
  constructor(words: readonly string[]) {
    if (words[BOUNDARY_ID] !== BOUNDARY || words[UNK_ID] !== UNK)
      throw new Error(`a vocabulary starts with ${BOUNDARY}, ${UNK}`);
    if (new Set(words).size !== words.length) throw new Error('a vocabulary lists each word once');
    this.words = words;
    this.index = new Map(words.map((w, i) => [w, i]));
  }

  /**
   * The `size` - 2 most frequent tokens of `counts` (and only those seen at least `minCount`
   * times), after `<s>` and `<unk>`.
   */
  static fromCounts(counts: ReadonlyMap<string, number>, size: number, minCount = 1): Vocabulary {
    const ranked = [...counts]
      .filter(([w, c]) => c >= minCount && w !== BOUNDARY && w !== UNK)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, Math.max(0, size - 2))
      .map(([w]) => w);
    return new Vocabulary([BOUNDARY, UNK, ...ranked]);
  }

  get size(): number {
    return this.words.length;
  }

  has(token: string): boolean {
    return this.index.has(token);
  }

  /** A token's id; `<unk>`'s id for anything outside the vocabulary. */
  id(token: string): number {
    return this.index.get(token) ?? UNK_ID;
  }

  encode(tokens: readonly string[]): number[] {
    return tokens.map((t) => this.id(t));
  }

  word(id: number): string {
    return this.words[id] ?? UNK;
  }

  decode(ids: readonly number[]): string[] {
    return ids.map((i) => this.word(i));
  }
}

/**
 * The (context, next token) pairs of one sentence: the context is padded with `<s>` at the
 * start, and the last target is `<s>` (the end). n tokens -> n + 1 predictions.
 */
export function sentenceExamples(
  ids: readonly number[],
  context: number,
): { contexts: number[][]; targets: number[] } {
  const padded = [...Array<number>(context).fill(BOUNDARY_ID), ...ids];
  const contexts: number[][] = [];
  const targets: number[] = [];
  for (let i = 0; i <= ids.length; i++) {
    contexts.push(padded.slice(i, i + context));
    targets.push(i < ids.length ? (ids[i] as number) : BOUNDARY_ID);
  }
  return { contexts, targets };
}

/** The context the models see after a phrase: its last `context` ids, `<s>`-padded on the left. */
export function contextOf(ids: readonly number[], context: number): number[] {
  const tail = ids.slice(Math.max(0, ids.length - context));
  return [...Array<number>(context - tail.length).fill(BOUNDARY_ID), ...tail];
}
