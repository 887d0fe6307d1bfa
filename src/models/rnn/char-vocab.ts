/**
 * The State of the Union character vocabulary, as the model file's card lists it, and the one
 * way text becomes ids: at training time (chars.ts) and in the page (figures 4.2 and 4.3).
 * Browser-safe.
 *
 *   id 0  `<s>`    the start of an address (what generation from an empty prompt reads first)
 *   id 1  `<unk>`  in training, a character too rare to get its own id
 *   id 2+          the characters, case kept, in code-point order
 *
 * Before counting or encoding, text is normalised (NFC; curly quotes and dashes to their
 * plain forms; every run of white space to one space), so that a reader's pasted “quotes”
 * read as the "quotes" the addresses mostly use.
 */

export const START = '<s>';
export const UNK = '<unk>';
export const START_ID = 0;
export const UNK_ID = 1;

const PLAIN: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u2013': '-',
  '\u2014': '-',
  '\u2011': '-',
  '\u2010': '-',
};

/** The text as the model reads it: NFC, plain quotes and dashes, white space runs as one space. */
export function normalizeText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[\u2018\u2019\u201c\u201d\u2010\u2011\u2013\u2014]/g, (c) => PLAIN[c] ?? c)
    .replace(/\s+/gu, ' ');
}

/** A character vocabulary: the card's `vocabulary` list, indexed both ways. */
export class CharVocab {
  readonly index: Map<string, number>;
  constructor(readonly chars: readonly string[]) {
    this.index = new Map(chars.map((c, i) => [c, i]));
  }

  get size(): number {
    return this.chars.length;
  }

  /** Characters with at least `minCount` occurrences in `counts`, after `<s>` and `<unk>`. */
  static fromCounts(counts: ReadonlyMap<string, number>, minCount: number): CharVocab {
    const kept = [...counts]
      .filter(([c, n]) => n >= minCount && c !== START && c !== UNK)
      .map(([c]) => c)
      .sort((a, b) => (a.codePointAt(0) as number) - (b.codePointAt(0) as number));
    return new CharVocab([START, UNK, ...kept]);
  }

  /** Training: every character of normalised text, rare ones as `<unk>`. */
  encodeAll(normalized: string): number[] {
    return Array.from(normalized, (c) => this.index.get(c) ?? UNK_ID);
  }

  /**
   * The page: the reader's text, normalised, with the characters the model has no id for
   * skipped and named (each once, in the order met). `kept` is the text the ids spell.
   */
  encode(text: string): { ids: number[]; kept: string; skipped: string[] } {
    const ids: number[] = [];
    let kept = '';
    const skipped: string[] = [];
    for (const c of normalizeText(text)) {
      const id = this.index.get(c);
      if (id === undefined || id === UNK_ID || id === START_ID) {
        if (!skipped.includes(c)) skipped.push(c);
        continue;
      }
      ids.push(id);
      kept += c;
    }
    return { ids, kept, skipped };
  }

  /** The text of one id: its character, or '' for `<s>` and `<unk>`. */
  char(id: number): string {
    return id <= UNK_ID ? '' : (this.chars[id] ?? '');
  }
}
