/**
 * Chapter 1's models, built from scratch: unigram and bigram counts (smoothing chosen on the
 * held-out split) and the MLP trained by our own autodiff. Each returns its ONNX bytes and the
 * model card minus the file facts, which the models CLI adds after writing.
 */
import type { BuiltModel, CardDraft } from '../card';
import { windowIo, type BuildOptions, type IoSpec, type ModelId } from '../contract';
import type { Graph, Tensor } from '../graph/graph';
import { windowExamples, type Examples, type Sequences } from '../positions';
import { meanNll, scoreCard, targetProbs } from '../train/score';
import { train } from '../train/trainer';
import { bigramCounts, bigramGraph, smoothedLogProbs, unigramGraph } from './counts';
import { loadNames, nameSequences, SOURCES, type NamesCorpus } from './data';
import { buildMlp, MLP_CONFIG, withLoss } from './mlp';
import { CONTEXT, V, VOCAB } from './vocab';

export interface Splits {
  corpus: NamesCorpus;
  /** The positions every names model is scored on (positions.ts). */
  seqs: { train: Sequences; heldOut: Sequences; test: Sequences };
  /** The window models' (context, next) rows of those positions. */
  train: Examples;
  heldOut: Examples;
  test: Examples;
}

const IO = windowIo(CONTEXT, V);
/** Every split in one run: the names splits are small (at most ~180,000 predictions). */
const WHOLE = { chunk: Number.MAX_SAFE_INTEGER };

let cached: Splits | undefined;
/** Chapter 1's splits, shared by every names model (chapter 4's recurrent ones too). */
export function splits(): Splits {
  if (!cached) {
    const corpus = loadNames();
    const seqs = {
      train: nameSequences(corpus.train),
      heldOut: nameSequences(corpus.heldOut),
      test: nameSequences(corpus.test),
    };
    cached = {
      corpus,
      seqs,
      train: windowExamples(seqs.train, CONTEXT),
      heldOut: windowExamples(seqs.heldOut, CONTEXT),
      test: windowExamples(seqs.test, CONTEXT),
    };
  }
  return cached;
}

/**
 * A names model's card: the data facts, and metrics from scoreCard on chapter 1's positions
 * (whatever the model's io kind: a window model reads its rows, a step model streams each name).
 */
export async function card(
  id: ModelId,
  onnx: Uint8Array,
  draft: Pick<CardDraft, 'title' | 'summary' | 'family' | 'config' | 'parameters' | 'lossCurve'> &
    Partial<CardDraft>,
  io: IoSpec = IO,
): Promise<BuiltModel> {
  const s = splits();
  const { metrics } = await scoreCard(onnx, io, s.seqs, WHOLE);
  const c = s.corpus;
  return {
    id,
    onnx,
    card: {
      id,
      io,
      data: {
        source: [...SOURCES],
        description:
          `${c.raw} first names from the two lists, lowercased; ${c.duplicates} names in both lists kept once; ` +
          `${c.dropped.length} names with characters other than a-z (${c.dropped.slice(0, 3).join(', ')}, ...) left out. ` +
          `Split by name, 80/10/10, with a seeded shuffle.`,
        items: { train: c.train.length, heldOut: c.heldOut.length, test: c.test.length },
        tokens: {
          train: s.train.targets.length,
          heldOut: s.heldOut.targets.length,
          test: s.test.targets.length,
        },
        splitSeed: c.splitSeed,
      },
      vocabulary: [...VOCAB],
      metrics,
      ...draft,
    },
  };
}

/** Pick the add-alpha smoothing with the lowest held-out loss. */
async function bestAlpha(
  make: (alpha: number) => { graph: Graph; probs: Tensor },
  log: (l: string) => void,
): Promise<number> {
  let best = { alpha: 1, loss: Infinity };
  for (const alpha of [0.01, 0.03, 0.1, 0.3, 1, 3]) {
    const { graph, probs } = make(alpha);
    const onnx = graph.toOnnx({ outputs: { probs }, params: 'initializers' });
    const loss = meanNll(await targetProbs(onnx, IO, splits().seqs.heldOut, WHOLE));
    log(`  alpha ${alpha}: held-out loss ${loss.toFixed(4)}`);
    if (loss < best.loss) best = { alpha, loss };
  }
  return best.alpha;
}

export async function buildUnigram(opts: BuildOptions): Promise<BuiltModel> {
  const s = splits();
  const counts = new Array<number>(V).fill(0);
  for (const t of s.train.targets) counts[t]! += 1;
  const make = (alpha: number): ReturnType<typeof unigramGraph> =>
    unigramGraph(smoothedLogProbs([counts], alpha)[0] as number[]);
  const alpha = await bestAlpha(make, opts.log);
  const { graph, probs } = make(alpha);
  return card('unigram', graph.toOnnx({ outputs: { probs }, params: 'initializers' }), {
    title: 'Unigram counts',
    summary: 'How often each character (or the end of a name) occurs, whatever came before.',
    family: 'unigram',
    config: { smoothing: 'add-alpha', alpha, context: 0 },
    parameters: V - 1,
    lossCurve: [],
    tables: { counts: [counts] },
  });
}

export async function buildBigram(opts: BuildOptions): Promise<BuiltModel> {
  const s = splits();
  const counts = bigramCounts(s.train.contexts, s.train.targets);
  const make = (alpha: number): ReturnType<typeof bigramGraph> =>
    bigramGraph(smoothedLogProbs(counts, alpha));
  const alpha = await bestAlpha(make, opts.log);
  const { graph, probs } = make(alpha);
  return card('bigram', graph.toOnnx({ outputs: { probs }, params: 'initializers' }), {
    title: 'Bigram counts',
    summary: 'How often each character follows the previous one, counted over the training names.',
    family: 'bigram',
    config: { smoothing: 'add-alpha', alpha, context: 1 },
    parameters: V * (V - 1),
    lossCurve: [],
    tables: { counts },
  });
}

export async function buildMlp3(opts: BuildOptions): Promise<BuiltModel> {
  const s = splits();
  const config = { ...MLP_CONFIG };
  const m = buildMlp(config);
  const { loss } = withLoss(m);
  const schedule = opts.quick
    ? { steps: 300, batch: 64, lr: 0.01, lrMin: 0.001, seed: 7, evalEvery: 100 }
    : { steps: 10000, batch: 256, lr: 0.01, lrMin: 0.0005, seed: 7, evalEvery: 250 };
  const result = await train({ graph: m.graph, loss, params: m.params }, s, {
    ...schedule,
    log: opts.log,
  });
  const parameters = m.params.reduce((n, p) => n + p.size, 0);
  return card('mlp', m.graph.toOnnx({ outputs: { probs: m.probs }, params: 'initializers' }), {
    title: 'Neural MLP (Bengio-style)',
    summary: `The previous ${config.context} characters, each a learned ${config.embed}-number vector, through a ${config.hidden}-unit tanh layer and a softmax.`,
    family: 'mlp',
    // Two seeds: one draws the initial weights, the other the minibatches.
    config: {
      ...config,
      ...schedule,
      seed: config.seed,
      batchSeed: schedule.seed,
      optimizer: 'adam',
      schedule: 'cosine',
    },
    parameters,
    lossCurve: result.curve,
    training: {
      steps: schedule.steps,
      seconds: result.seconds,
      stepsPerSecond: result.stepsPerSecond,
      optimizer: 'Adam (β1 0.9, β2 0.999), cosine learning rate',
    },
  });
}

export const NAMES_MODELS = [
  { id: 'unigram', build: buildUnigram },
  { id: 'bigram', build: buildBigram },
  { id: 'mlp', build: buildMlp3 },
] as const satisfies readonly { id: ModelId; build: (o: BuildOptions) => Promise<BuiltModel> }[];
