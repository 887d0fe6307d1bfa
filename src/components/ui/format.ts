/**
 * Number and character formatting for figures. Every function returns readable text for any
 * input: non-finite numbers become "∞" / "−∞" / "—", never "NaN" or "Infinity".
 */

const MINUS = '\u2212';

function signed(text: string): string {
  return text.startsWith('-') ? MINUS + text.slice(1) : text;
}

/** A probability: 4 significant digits, scientific below 0.001 ("3.21e−5"). */
export function fmtProb(p: number): string {
  if (!Number.isFinite(p)) return '—';
  if (p === 0) return '0';
  if (p >= 0.001)
    return p
      .toPrecision(4)
      .replace(/(\.\d*?)0+$/, '$1')
      .replace(/\.$/, '');
  const [m = '0', e = '0'] = p.toExponential(2).split('e');
  return `${m}e${signed(e)}`;
}

/** A fixed-point number ("4.39", "−17.86"), with ∞ for infinities. */
export function fmtFixed(x: number, digits = 2): string {
  if (Number.isNaN(x)) return '—';
  if (x === Infinity) return '∞';
  if (x === -Infinity) return `${MINUS}∞`;
  return signed(x.toFixed(digits));
}

/** An integer with thousands separators ("32,033"). */
export function fmtInt(x: number): string {
  return Number.isFinite(x) ? signed(Math.round(x).toLocaleString('en-US')) : '—';
}

/**
 * A compact number for charts and graph nodes: 3 significant digits, a real minus sign,
 * e-notation when tiny or huge ("1.23e−5"); NaN is "—".
 */
export function num(x: number, digits = 3): string {
  if (Number.isNaN(x)) return '—';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : `${MINUS}∞`;
  if (x === 0) return '0';
  const a = Math.abs(x);
  let s: string;
  if (a >= 1e-3 && a < 1e5) {
    s = x.toPrecision(digits);
    if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  } else {
    const [m = '0', e = '0'] = x.toExponential(digits - 1).split('e');
    s = `${m}e${e.startsWith('-') ? MINUS + e.slice(1) : e.replace('+', '')}`;
  }
  return signed(s);
}

/** How to show one character of the reader's input in a message. */
export function showChar(ch: string): string {
  if (ch === ' ') return 'space';
  if (ch === '\t') return 'tab';
  if (ch === '\n' || ch === '\r') return 'line break';
  if (ch === '.') return '“.”';
  const cp = ch.codePointAt(0) ?? 0;
  // Invisible or lone-surrogate characters: name them by code point.
  if (/\p{C}|\p{Z}/u.test(ch) || (cp >= 0xd800 && cp <= 0xdfff))
    return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return ch;
}

/** "7, 😀, 漢" — at most `max` characters, then "and N more". */
export function listChars(chars: readonly string[], max = 12): string {
  const shown = chars.slice(0, max).map(showChar).join(', ');
  return chars.length > max ? `${shown} and ${chars.length - max} more` : shown;
}

/**
 * The note every word figure shows when the reader typed words outside a model's vocabulary:
 * "Not in the vocabulary, read as <unk>: zorblax, quux." (the first `max` named, then counted).
 */
export function unknownWordsNote(
  words: readonly string[],
  opts: { vocabSize?: number; max?: number } = {},
): string {
  const size = opts.vocabSize === undefined ? '' : ` ${fmtInt(opts.vocabSize)}-word`;
  return `Not in the${size} vocabulary, read as <unk>: ${listChars(words, opts.max ?? 8)}.`;
}

/** Show a character inside the figure ('.' is the boundary marker). */
export function glyph(ch: string): string {
  return ch === '.' ? '·' : ch;
}
