/**
 * Numbers for the prose, computed at build time (Node only): a field of a model card, read and
 * formatted. Chapters add their own facts on top (ch1/values.ts, ch2/CorpusValue.astro, ...).
 * Nothing in a chapter's text is typed by hand.
 */
import type { ModelId } from '../../models/contract';
import { loadCard } from '../../models/runtime/node';
import { fmtFixed, fmtInt } from './format';

export type Transform = 'none' | 'bits' | 'exp' | 'exp2' | 'percent' | 'inverse';
export type Format = 'fixed' | 'int';

/** Read "metrics.heldOutPerplexity" out of a card; throws on a typo so the build catches it. */
export function atPath(obj: unknown, dotted: string): unknown {
  let cur: unknown = obj;
  for (const key of dotted.split('.')) {
    if (typeof cur !== 'object' || cur === null || !Object.hasOwn(cur, key)) {
      throw new Error(`no field "${dotted}" (stopped at "${key}")`);
    }
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

const TRANSFORMS: Record<Transform, (x: number) => number> = {
  none: (x) => x,
  bits: (x) => x / Math.LN2, // nats -> bits
  exp: Math.exp, // loss (nats) -> perplexity
  exp2: (x) => 2 ** x,
  percent: (x) => 100 * x,
  inverse: (x) => 1 / x, // probability -> "1 in N"
};

export function formatValue(
  x: unknown,
  opts: {
    digits?: number | undefined;
    transform?: Transform | undefined;
    format?: Format | undefined;
  },
): string {
  if (typeof x === 'string') return x;
  if (typeof x !== 'number') throw new Error(`value is ${typeof x}, not a number`);
  const y = TRANSFORMS[opts.transform ?? 'none'](x);
  return opts.format === 'int' ? fmtInt(y) : fmtFixed(y, opts.digits ?? 2);
}

export async function cardValue(model: ModelId, path: string): Promise<unknown> {
  return atPath(await loadCard(model), path);
}
