/**
 * Numbers for the prose, computed at build time: a field of a model card, or a fact about a
 * name under a model. Nothing in a chapter's text is typed by hand.
 */
import { scoreName } from '../../models/names/lm';
import { loadCard, nodePredict } from '../../models/runtime/node';
import { VOCAB } from '../../models/names/vocab';
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

export async function cardValue(model: string, path: string): Promise<unknown> {
  return atPath(await loadCard(model), path);
}

export type NameField =
  'prob' | 'logProbBits' | 'logProbNats' | 'perplexity' | 'firstProb' | 'endProb';

/** A number about `name` under `model`, from the same scoring code the figure uses. */
export async function nameValue(model: string, name: string, field: NameField): Promise<number> {
  const s = await scoreName(await nodePredict(model), name);
  switch (field) {
    case 'prob':
      return Math.exp(s.logProbNats);
    case 'logProbBits':
      return s.logProbBits;
    case 'logProbNats':
      return s.logProbNats;
    case 'perplexity':
      return s.perplexity;
    case 'firstProb':
      return s.predictions[0]?.p ?? NaN;
    case 'endProb':
      return s.predictions.at(-1)?.p ?? NaN;
  }
}

export type TableFact = 'count' | 'rowTotal' | 'zeroCells' | 'cells' | 'maxCount' | 'maxPair';

/** Facts about a card's count table (`tables.counts`); row/col are characters ('.' = boundary). */
export async function tableFact(
  model: string,
  fact: TableFact,
  row = '.',
  col = '.',
): Promise<number | string> {
  const counts = (await loadCard(model)).tables?.['counts'];
  if (!counts) throw new Error(`${model} card has no tables.counts`);
  const r = VOCAB.indexOf(row);
  const c = VOCAB.indexOf(col);
  if (r < 0 || c < 0) throw new Error(`"${row}${col}" is not a pair of vocabulary characters`);
  const cells = counts.flatMap((xs, i) =>
    xs.map((n, j) => ({ n, pair: `${VOCAB[i]}${VOCAB[j]}` })),
  );
  const max = cells.reduce((a, b) => (b.n > a.n ? b : a));
  switch (fact) {
    case 'count':
      return counts[r]?.[c] ?? NaN;
    case 'rowTotal':
      return (counts[r] ?? []).reduce((a, b) => a + b, 0);
    case 'zeroCells':
      return cells.filter((x) => x.n === 0).length;
    case 'cells':
      return cells.length;
    case 'maxCount':
      return max.n;
    case 'maxPair':
      return max.pair;
  }
}
