/** Compact numbers for chapter-3 figures: 3 significant digits, a real minus sign, e-notation when tiny or huge. */
const MINUS = '\u2212';

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
  return s.startsWith('-') ? MINUS + s.slice(1) : s;
}
