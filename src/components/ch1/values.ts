/**
 * Chapter 1's numbers for the prose, computed at build time (Node only): a fact about a name
 * under a model, with the figure's own scoring, and facts about the bigram's count table.
 */
import { scoreName } from '../../models/names/lm';
import { VOCAB } from '../../models/names/vocab';
import { loadCard, nodePredict } from '../../models/runtime/node';

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
