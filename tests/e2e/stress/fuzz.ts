/**
 * Seeded hostile text for the fuzz spec: the same seed gives the same inputs on every run, so
 * a failure can be replayed. Strings mix random Unicode from awkward ranges (emoji, CJK, RTL,
 * combining marks, control characters, lone surrogates), empty and whitespace-only strings,
 * numbers in odd spellings, and a few 100 kB pastes. `edgeCases` lists every one of those
 * classes, each at least once, without randomness: what every field receives in full, whatever
 * the size of the random sample.
 */

/** mulberry32: a tiny 32-bit PRNG, uniform in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** [first, last] code points (or UTF-16 code units, for surrogates). */
export const RANGES: [number, number][] = [
  [0x20, 0x7e], // ASCII
  [0x61, 0x7a], // a-z, the models' own alphabet
  [0xa0, 0xff], // Latin-1
  [0x300, 0x36f], // combining marks
  [0x591, 0x5f4], // Hebrew (RTL)
  [0x600, 0x6ff], // Arabic (RTL)
  [0x200b, 0x200f], // zero-width and direction marks
  [0x202a, 0x202e], // bidi embedding / override
  [0x4e00, 0x9fff], // CJK
  [0x1f300, 0x1faff], // emoji
  [0x0, 0x1f], // C0 controls
  [0x7f, 0x9f], // DEL, C1 controls
  [0xd800, 0xdfff], // lone surrogates
  [0xfff0, 0xffff], // specials, non-characters
];

export const ODD_NUMBERS = [
  '',
  '-',
  '+',
  '.',
  '1e309',
  '-1e309',
  'NaN',
  'Infinity',
  '0x1f',
  '1,5',
  '٣',
  '½',
  '9'.repeat(400),
  '-0',
  '1e-400',
  ' 7 ',
];

/** Whitespace that is not a letter to any model: what whitespace-only strings are made of. */
export const WHITESPACE = [' ', '\t', '\n', '\u00a0', '\u3000'];

/** Surrogate halves become lone UTF-16 code units; everything else a code point. */
function fromCode(cp: number): string {
  return cp >= 0xd800 && cp <= 0xdfff ? String.fromCharCode(cp) : String.fromCodePoint(cp);
}

function char(r: () => number): string {
  const [lo, hi] = RANGES[Math.floor(r() * RANGES.length)] ?? [0x61, 0x7a];
  return fromCode(lo + Math.floor(r() * (hi - lo + 1)));
}

/** The i-th hostile string from `r`: mostly short random Unicode, sometimes the edge cases. */
export function hostile(r: () => number, numeric: boolean): string {
  const x = r();
  if (x < 0.05) return '';
  if (x < 0.1)
    return WHITESPACE[Math.floor(r() * WHITESPACE.length)]?.repeat(1 + Math.floor(r() * 20)) ?? ' ';
  if (numeric && x < 0.4) return ODD_NUMBERS[Math.floor(r() * ODD_NUMBERS.length)] ?? '';
  if (numeric && x < 0.6) return String((r() - 0.5) * 10 ** Math.floor(r() * 12));
  const n = x < 0.95 ? 1 + Math.floor(r() * 24) : 100 + Math.floor(r() * 2000);
  let s = '';
  for (let i = 0; i < n; i++) s += char(r);
  return s;
}

/**
 * Every class `hostile` draws from, each at least once, in a fixed order: the empty string;
 * each whitespace character alone and 20 times; from each Unicode range its first and last
 * character, a short string and a 2,000-character string spread over the range; for number
 * fields every odd spelling and a number of every magnitude `hostile` makes (10^0 to 10^11,
 * both signs); and text mixing every range, short and 2,000 characters long.
 */
export function edgeCases(numeric: boolean): string[] {
  const spread = ([lo, hi]: [number, number], n: number, phase: number) =>
    Array.from({ length: n }, (_, i) => fromCode(lo + ((i * 7919 + phase) % (hi - lo + 1)))).join(
      '',
    );
  const out = [''];
  for (const w of WHITESPACE) out.push(w, w.repeat(20));
  for (const range of RANGES) {
    out.push(fromCode(range[0]), fromCode(range[1]), spread(range, 8, 1), spread(range, 2000, 3));
  }
  if (numeric) {
    out.push(...ODD_NUMBERS);
    for (let e = 0; e < 12; e++) out.push(String(0.49 * 10 ** e), String(-0.37 * 10 ** e));
  }
  const mixed = (n: number) =>
    Array.from({ length: n }, (_, i) =>
      spread(RANGES[i % RANGES.length] ?? [0x61, 0x7a], 1, i),
    ).join('');
  out.push(mixed(24), mixed(2000));
  return out;
}

/** A 100 kB paste (of repeated hostile text). */
export function bigPaste(r: () => number): string {
  let s = '';
  while (s.length < 100_000) s += hostile(r, false) || 'x';
  return s.slice(0, 100_000);
}

/** Printable text for real key presses (keyboard.type cannot send lone surrogates or controls). */
export function typable(r: () => number): string {
  const pool = ['a', 'Z', 'é', 'ß', '漢', 'ع', 'ש', '😀', ' ', '1', '-', '.', 'ñ', 'ø'];
  const n = 1 + Math.floor(r() * 10);
  let s = '';
  for (let i = 0; i < n; i++) s += pool[Math.floor(r() * pool.length)] ?? 'a';
  return s;
}
