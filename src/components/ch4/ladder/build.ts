/**
 * Build-time data for figure 4.6 (Node only: never import from an island): the held-out table
 * from the cards, the ladder's model infos, and the reader's default texts scored with
 * onnxruntime-node.
 */
import type { ModelCard } from '../../../models/card';
import { initialState } from '../../../models/runtime/run';
import { loadCard, nodePredict, nodeSequence, nodeStep } from '../../../models/runtime/node';
import { Vocabulary } from '../../../models/words/vocab';
import { modelInfos } from '../../ui/build';
import type { ModelInfo } from '../../ui/models';
import { LADDER, ladderModels, type Corpus, type HeldOutRow, type Ladder } from './ladder';
import { scoreCorpus, type CorpusScores, type Scorer } from './score';

/** The held-out table of one corpus, in ladder order, every number from a card. */
export async function heldOutRows(corpus: Corpus, ladder: Ladder = LADDER): Promise<HeldOutRow[]> {
  return Promise.all(
    ladder[corpus].map(async (r): Promise<HeldOutRow> => {
      if ('model' in r) {
        const c = await loadCard(r.model);
        return {
          id: r.model,
          title: c.title,
          loss: c.metrics.heldOutLoss,
          perplexity: c.metrics.heldOutPerplexity,
          runs: true,
        };
      }
      const c = await loadCard(r.card);
      const b = c.baselines?.find((x) => x.id === r.baseline);
      if (!b) throw new Error(`card ${r.card} has no baseline ${r.baseline}`);
      return {
        id: b.id,
        title: b.title,
        loss: b.heldOutLoss,
        perplexity: b.heldOutPerplexity,
        runs: false,
      };
    }),
  );
}

/** The word vocabulary every words model of the ladder shares (checked: one list for all). */
export async function wordVocabulary(ladder: Ladder = LADDER): Promise<string[]> {
  const cards: ModelCard[] = await Promise.all(
    ladderModels('words', ladder).map((id) => loadCard(id)),
  );
  const first = cards[0];
  if (!first) throw new Error('the ladder has no words model');
  for (const c of cards)
    if (c.vocabulary.join('\n') !== first.vocabulary.join('\n'))
      throw new Error(`${c.id} does not share ${first.id}'s vocabulary`);
  return first.vocabulary;
}

/** A Scorer for model `id` on onnxruntime-node, whatever its io kind. */
export async function nodeScorer(id: string): Promise<Scorer> {
  const card = await loadCard(id);
  if (card.io.kind === 'window')
    return { kind: 'window', context: card.io.context, predict: await nodePredict(id) };
  if (card.io.kind === 'step') {
    const s = await nodeStep(id);
    return { kind: 'step', step: (t, st) => s.run(t, st), initial: () => initialState(s.io, 1) };
  }
  const s = await nodeSequence(id);
  return {
    kind: 'sequence',
    maxLength: s.io.maxLength,
    run: async (rows) => (await s.run(rows))['logprobs']?.data ?? new Float32Array(0),
  };
}

export interface LadderBuild {
  /** The rungs this figure shows. */
  ladder: Ladder;
  models: ModelInfo[];
  heldOut: Record<Corpus, HeldOutRow[]>;
  vocabulary: string;
  scores: Record<Corpus, CorpusScores>;
}

export async function buildLadder(
  state: { name: string; words: string },
  ladder: Ladder = LADDER,
): Promise<LadderBuild> {
  const models = await modelInfos(ladderModels(undefined, ladder));
  const vocabulary = await wordVocabulary(ladder);
  const scorers = async (corpus: Corpus) =>
    Object.fromEntries(
      await Promise.all(
        ladderModels(corpus, ladder).map(async (id) => [id, await nodeScorer(id)] as const),
      ),
    );
  const [names, words] = await Promise.all([scorers('names'), scorers('words')]);
  return {
    ladder,
    models,
    heldOut: {
      names: await heldOutRows('names', ladder),
      words: await heldOutRows('words', ladder),
    },
    vocabulary: vocabulary.join('\n'),
    scores: {
      names: await scoreCorpus(state.name, names, undefined),
      words: await scoreCorpus(state.words, words, new Vocabulary(vocabulary)),
    },
  };
}
