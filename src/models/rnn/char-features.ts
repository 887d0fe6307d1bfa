/**
 * Simple properties of a text at each character, for the neuron finder (figure 4.3): the
 * model's hidden units are correlated with these on held-out text (chars.ts, at build) and the
 * best-matching units are listed with their correlation. Each feature is a number per
 * character, computed from the text up to and including that character (what the state after
 * reading it could know). Browser-safe.
 */

export interface CharFeature {
  id: string;
  /** What it measures, in a few words. */
  label: string;
  values(text: string): number[];
}

const isLetter = (c: string): boolean => /\p{L}/u.test(c);
const isDigit = (c: string): boolean => c >= '0' && c <= '9';

function scan(text: string, f: (c: string, i: number) => number): number[] {
  return Array.from(text, f);
}

export const CHAR_FEATURES: readonly CharFeature[] = [
  {
    id: 'quote',
    label: 'inside a quotation (after an odd number of ")',
    values(text) {
      let open = false;
      return scan(text, (c) => {
        if (c === '"') open = !open;
        return open ? 1 : 0;
      });
    },
  },
  {
    id: 'paren',
    label: 'inside parentheses or brackets',
    values(text) {
      let depth = 0;
      return scan(text, (c) => {
        if (c === '(' || c === '[') depth++;
        const inside = depth > 0 ? 1 : 0;
        if ((c === ')' || c === ']') && depth > 0) depth--;
        return inside;
      });
    },
  },
  {
    id: 'word-position',
    label: 'position in the word (letters so far; 0 outside words)',
    values(text) {
      let n = 0;
      return scan(text, (c) => (n = isLetter(c) ? n + 1 : 0));
    },
  },
  {
    id: 'space',
    label: 'a space (between words)',
    values: (text) => scan(text, (c) => (c === ' ' ? 1 : 0)),
  },
  {
    id: 'sentence-start',
    label: 'after the end of a sentence (. ! ? and spaces)',
    values(text) {
      let after = false;
      return scan(text, (c) => {
        if (c === '.' || c === '!' || c === '?') after = true;
        else if (c !== ' ' && c !== '"' && c !== "'") after = false;
        return after ? 1 : 0;
      });
    },
  },
  {
    id: 'sentence-position',
    label: 'position in the sentence (characters since . ! ?)',
    values(text) {
      let n = 0;
      return scan(text, (c) => {
        n = c === '.' || c === '!' || c === '?' ? 0 : n + 1;
        return n;
      });
    },
  },
  {
    id: 'digit',
    label: 'a digit (in a number)',
    values: (text) => scan(text, (c) => (isDigit(c) ? 1 : 0)),
  },
  {
    id: 'comma',
    label: 'after a comma (until the next word begins)',
    values(text) {
      let after = false;
      return scan(text, (c) => {
        if (c === ',') after = true;
        else if (c !== ' ') after = false;
        return after ? 1 : 0;
      });
    },
  },
  {
    id: 'capital',
    label: 'in a word that began with a capital',
    values(text) {
      let cap = false;
      let prevLetter = false;
      return scan(text, (c) => {
        const letter = isLetter(c);
        if (letter && !prevLetter) cap = c !== c.toLowerCase();
        if (!letter) cap = false;
        prevLetter = letter;
        return cap ? 1 : 0;
      });
    },
  },
];

/** Pearson's correlation of two equally long series; 0 when either is constant. */
export function correlation(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += x[i] as number;
    sy += y[i] as number;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - mx;
    const dy = (y[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}
