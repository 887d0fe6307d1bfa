/**
 * The word tokenizer of chapter 2, shared by training (Node) and the page (browser): plain
 * TypeScript, no dependencies, so the reader's phrase is cut into tokens exactly as the
 * addresses were.
 *
 * Rules, in order:
 * 1. Normalise: accents are stripped ("café" -> "cafe"), curly quotes become straight ones,
 *    every dash (em, en, non-breaking) becomes '-', the few HTML entities (&quot; &mdash;
 *    &amp;) are decoded, stage directions "[Applause]", "(Laughter.)" are removed, editorial
 *    brackets are dropped but their words kept.
 * 2. Lowercase.
 * 3. Cut into tokens, left to right:
 *    - the special tokens themselves (`<s>`, `<unk>`, `<num>`, `<year>`, `<ord>`), so that
 *      tokens written back out as text (detokenize) read back as the same tokens;
 *    - numbers: "1947" (a plausible year: 4 digits, 1600-2099) -> `<year>`; "21st", "4th" ->
 *      `<ord>`; any other number ("3,000,000", "5.5", "30") -> `<num>`. A model that has to
 *      learn every number as its own word learns none of them; the class keeps the context
 *      ("$ <num> billion") without the digits.
 *    - acronyms with dots ("u.s.", "u.n.", "d.c.") stay one token, dots included;
 *    - a few abbreviations ("mr.", "mrs.", "dr.", "st.", ...) keep their dot, so that they do not
 *      end a sentence;
 *    - words: letters, split off their clitics the Penn-Treebank way: "don't" -> "do" "n't",
 *      "america's" -> "america" "'s", "we're" -> "we" "'re";
 *    - punctuation . , ; : ? ! ( ) - $ % & are tokens of their own;
 *    - everything else (double quotes, stray apostrophes, symbols, accents' leftovers) is
 *      dropped and reported.
 * 4. Sentences end after '.', '?' or '!'. Each sentence is one sequence for the models: its
 *    context starts padded with the boundary token `<s>`, and its last prediction is `<s>`.
 *    A document is its sentences one after another.
 *
 * Words outside the vocabulary become `<unk>` only when encoded to ids (see Vocabulary).
 */

/** Sentence (and so document) boundary: pads the context at a start, predicted at an end. */
export const BOUNDARY = '<s>';
/** Any word outside the vocabulary. */
export const UNK = '<unk>';
export const NUM = '<num>';
export const YEAR = '<year>';
export const ORD = '<ord>';

/** Abbreviations that keep their dot (and so never end a sentence). */
const ABBREVIATIONS = new Set([
  'mr',
  'mrs',
  'ms',
  'messrs',
  'dr',
  'st',
  'gen',
  'jr',
  'sr',
  'vs',
  'ft',
  'lt',
  'col',
  'gov',
  'hon',
  'rev',
]);
/** Clitics split from the word before them ("n't" is handled apart: it takes the n). */
const CLITICS = new Set(["'s", "'re", "'ve", "'m", "'ll", "'d"]);
const PUNCTUATION = new Set(['.', ',', ';', ':', '?', '!', '(', ')', '-', '$', '%', '&']);
const SENTENCE_END = new Set(['.', '?', '!']);

/**
 * One token per match; the groups say which kind. Order matters: numbers before words,
 * acronyms before words, "n't" before other clitics.
 */
const TOKEN = new RegExp(
  [
    String.raw`(?<special><(?:s|unk|num|year|ord)>)`,
    String.raw`(?<num>\d+(?:,\d{3})*(?:\.\d+)?)(?<ord>st|nd|rd|th)?`,
    String.raw`(?<acronym>[a-z](?:\.[a-z])+\.?)`,
    String.raw`(?<word>[a-z]+(?:'[a-z]+)*)`,
    String.raw`(?<punct>[.,;:?!()\-$%&])`,
    String.raw`(?<space>\s+)`,
    String.raw`(?<other>.)`,
  ].join('|'),
  'gsu',
);

export interface Tokenized {
  tokens: string[];
  /** Distinct characters that were dropped (not part of any token). */
  dropped: string[];
}

/** Step 1: the text with quotes, dashes and stage directions normalised. */
export function normalise(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[\u2018\u2019\u02bc`]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/&quot;/g, '"')
    .replace(/&mdash;|&ndash;/g, '-')
    .replace(/&amp;/g, '&')
    .replace(/[[(]\s*(applause|laughter)\.?\s*[\])]/gi, ' ')
    .replace(/[[\]]/g, ' ');
}

/** A number token's class: `<year>`, `<ord>` or `<num>`. */
export function numberClass(digits: string, ordinal: boolean): string {
  if (ordinal) return ORD;
  if (/^\d{4}$/.test(digits)) {
    const n = Number(digits);
    if (n >= 1600 && n <= 2099) return YEAR;
  }
  return NUM;
}

/** A word with apostrophes -> the word and its clitics ("don't" -> do n't; "nation's" -> nation 's). */
export function splitClitics(word: string): string[] {
  const parts = word.split("'");
  const head = parts[0] as string;
  const out: string[] = [];
  let rest = parts.slice(1);
  if (rest[0] === 't' && head.endsWith('n') && head.length > 1) {
    out.push(head.slice(0, -1), "n't");
    rest = rest.slice(1);
  } else {
    out.push(head);
  }
  for (const r of rest) {
    const clitic = `'${r}`;
    // A clitic we know stays a token; anything else ("o'er", "ne'er") is glued back.
    if (CLITICS.has(clitic)) out.push(clitic);
    else out[out.length - 1] += clitic;
  }
  return out.filter((t) => t.length > 0);
}

/** Steps 1-3: any text -> tokens (never throws; dropped characters are reported). */
export function tokenize(text: string): Tokenized {
  const tokens: string[] = [];
  const dropped = new Set<string>();
  const lower = normalise(text).toLowerCase();
  const re = new RegExp(TOKEN.source, TOKEN.flags);
  for (let m = re.exec(lower); m !== null; m = re.exec(lower)) {
    const g = m.groups ?? {};
    if (g['special'] !== undefined) {
      tokens.push(g['special']);
    } else if (g['num'] !== undefined) {
      tokens.push(numberClass(g['num'], g['ord'] !== undefined));
    } else if (g['acronym'] !== undefined) {
      const a = g['acronym'];
      tokens.push(a.endsWith('.') ? a : `${a}.`);
    } else if (g['word'] !== undefined) {
      const w = g['word'];
      if (lower[re.lastIndex] === '.' && ABBREVIATIONS.has(w)) {
        tokens.push(`${w}.`);
        re.lastIndex += 1; // the dot belongs to the abbreviation
      } else {
        tokens.push(...splitClitics(w));
      }
    } else if (g['punct'] !== undefined) {
      tokens.push(g['punct']);
    } else if (g['other'] !== undefined) {
      dropped.add(g['other']);
    }
  }
  return { tokens, dropped: [...dropped] };
}

/** Step 4: tokens -> sentences, each ending at '.', '?' or '!' (a closing ')' stays with it). */
export function sentences(tokens: readonly string[]): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  tokens.forEach((t, i) => {
    current.push(t);
    const ends = SENTENCE_END.has(t) && tokens[i + 1] !== ')';
    const closes = t === ')' && SENTENCE_END.has(tokens[i - 1] ?? '');
    if (ends || closes) {
      out.push(current);
      current = [];
    }
  });
  if (current.length) out.push(current);
  return out;
}

/** True when `token` is written right after `text` with no space (punctuation, a clitic...). */
export function gluesTo(text: string, token: string): boolean {
  return (
    /^[.,;:?!)%]$/.test(token) ||
    token === "n't" ||
    CLITICS.has(token) ||
    text.endsWith('(') ||
    text.endsWith('$') ||
    text === '' ||
    /\s$/.test(text)
  );
}

/** Tokens back to readable text (for display; not an exact inverse of tokenize). */
export function detokenize(tokens: readonly string[]): string {
  let text = '';
  for (const t of tokens) text += gluesTo(text, t) ? t : ` ${t}`;
  return text;
}

export function isPunctuation(token: string): boolean {
  return PUNCTUATION.has(token);
}
