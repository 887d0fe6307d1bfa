/**
 * Chapter 2's models: the word-level NNLM of Bengio et al. (2003), trained by our autodiff on
 * the State of the Union addresses, and the Kneser-Ney bigram lookup the page shows beside it.
 * Scores are measured by running the exported files; the Kneser-Ney baselines (bigram and
 * trigram, full models in TypeScript) are scored on exactly the same examples.
 */
import type { BaselineScore, BuiltModel, ModelCard } from '../card';
import { windowIo, type BuildOptions, type ModelId } from '../contract';
import type { Examples } from '../positions';
import { meanNll, scoreCard } from '../train/score';
import { train } from '../train/trainer';
import { SOURCE } from './corpus';
import { strided, wordsData, WORDS, type WordsData } from './data';
import { KneserNey } from './kneser-ney';
import { topBigram, topBigramGraph } from './ngram';
import { buildNnlm, parameterCount, withLoss, type NnlmConfig } from './nnlm';

/** Training predictions scored for the card's train loss (all 1.6 million would take minutes). */
const TRAIN_SAMPLE = 100_000;
/** --quick (tests): every score on samples this size, so a quick build takes seconds. */
const QUICK_SAMPLE = 5_000;

/** The predictions each score is measured on: whole held-out and test splits (samples when quick). */
export interface ScoringSets {
  train: Examples;
  heldOut: Examples;
  test: Examples;
}

const scoringCache = new Map<boolean, ScoringSets>();
export function scoringSets(d: WordsData, quick: boolean): ScoringSets {
  let sets = scoringCache.get(quick);
  if (!sets) {
    sets = quick
      ? {
          train: strided(d.train, QUICK_SAMPLE),
          heldOut: strided(d.heldOut, QUICK_SAMPLE),
          test: strided(d.test, QUICK_SAMPLE),
        }
      : { train: strided(d.train, TRAIN_SAMPLE), heldOut: d.heldOut, test: d.test };
    scoringCache.set(quick, sets);
  }
  return sets;
}
/** Held-out predictions scored at each point of the loss curve. */
const CURVE_SAMPLE = 10_000;
/** Next words per context kept exactly by the bigram lookup. */
const TOP_K = 10;

export const NNLM_CONFIG: NnlmConfig = {
  vocab: WORDS.vocab,
  context: WORDS.context,
  embed: 32,
  hidden: 128,
  tied: true,
  direct: true,
  embedInit: 0.2,
  seed: 1,
};

const SCHEDULE = { steps: 12000, batch: 256, lr: 0.01, lrMin: 0.0005, seed: 7, evalEvery: 1000 };
/** --quick (tests): a few steps only, so that two quick builds of every model stay within a test timeout. */
const QUICK_SCHEDULE = { steps: 40, batch: 64, lr: 0.01, lrMin: 0.001, seed: 7, evalEvery: 20 };

export function describeData(d: WordsData): ModelCard['data'] {
  const s = d.split;
  const words = (xs: typeof s.train): number => xs.reduce((n, a) => n + a.tokens, 0);
  return {
    source: [SOURCE],
    description:
      `The ${s.train.length + s.heldOut.length + s.test.length} State of the Union addresses (${s.train[0]?.year}-${s.train.at(-1)?.year}), ` +
      `split by address 80/10/10 with a seeded shuffle: no held-out or test address has a sentence in training. ` +
      `Tokenized into ${words(s.train)} training tokens (lowercase words, clitics split, punctuation as tokens, numbers as <num>/<year>/<ord>); ` +
      `the vocabulary is the ${d.vocab.size - 2} most frequent training tokens plus <s> and <unk>, which covers ` +
      `${(100 * (1 - d.heldOutOov)).toFixed(1)}% of held-out tokens. Each sentence is one sequence: its context starts padded with <s> ` +
      `and its last prediction is <s>. The train loss is measured on ${TRAIN_SAMPLE} training predictions spread evenly over the split.`,
    items: { train: s.train.length, heldOut: s.heldOut.length, test: s.test.length },
    tokens: {
      train: d.train.targets.length,
      heldOut: d.heldOut.targets.length,
      test: d.test.targets.length,
    },
    splitSeed: s.splitSeed,
  };
}

/** Train / held-out / test scores of an exported window model (io) on the shared positions. */
function scoreFile(onnx: Uint8Array, io: ModelCard['io'], sets: ScoringSets) {
  return scoreCard(onnx, io, sets, { chunk: 4096 });
}

/** p(target) of every held-out and test example under a counting model. */
function countProbs(kn: KneserNey, data: Examples): Float64Array {
  const width = data.contexts.length / data.targets.length;
  return Float64Array.from(data.targets, (t, i) =>
    kn.prob(data.contexts.subarray(i * width, (i + 1) * width), t),
  );
}

/**
 * Bengio et al.'s mixture: lambda P_nnlm + (1 - lambda) P_kn3, with lambda chosen on the
 * held-out split (a grid of 0.05 steps) and then scored on test.
 */
function mixture(
  nnlm: { p: { heldOut: Float64Array; test: Float64Array } },
  kn: { heldOut: Float64Array; test: Float64Array },
): BaselineScore {
  const mix = (a: Float64Array, b: Float64Array, l: number): number =>
    meanNll(a.map((p, i) => l * p + (1 - l) * (b[i] as number)));
  let best = { lambda: 0.5, loss: Infinity };
  for (let k = 1; k < 20; k++) {
    const lambda = k / 20;
    const loss = mix(nnlm.p.heldOut, kn.heldOut, lambda);
    if (loss < best.loss) best = { lambda, loss };
  }
  const testLoss = mix(nnlm.p.test, kn.test, best.lambda);
  return {
    id: 'nnlm+kn3',
    title: 'NNLM and Kneser-Ney trigram, mixed',
    description:
      `${best.lambda} x P_nnlm + ${(1 - best.lambda).toFixed(2)} x P_kn3, the mixture weight chosen on the held-out split ` +
      `(so its held-out score is slightly optimistic; test is not). Bengio et al. (2003) report the same kind of mixture.`,
    heldOutLoss: best.loss,
    heldOutPerplexity: Math.exp(best.loss),
    testLoss,
    testPerplexity: Math.exp(testLoss),
  };
}

interface Baselines {
  bigram: KneserNey;
  scores: BaselineScore[];
  /** The trigram's p(target) on the held-out and test examples, for the mixture. */
  trigram: { heldOut: Float64Array; test: Float64Array };
}

const cachedBaselines = new Map<ScoringSets, Baselines>();

/** The full Kneser-Ney bigram and trigram, trained on the training addresses and scored. */
export function baselines(d: WordsData, sets: ScoringSets, log: (l: string) => void): Baselines {
  const hit = cachedBaselines.get(sets);
  if (hit) return hit;
  const scores: BaselineScore[] = [];
  let bigram: KneserNey | undefined;
  let trigram: Baselines['trigram'] = { heldOut: new Float64Array(), test: new Float64Array() };
  for (const order of [2, 3]) {
    const kn = new KneserNey(order, d.vocab.size, d.train.contexts, d.train.targets);
    const probs = { heldOut: countProbs(kn, sets.heldOut), test: countProbs(kn, sets.test) };
    if (order === 2) bigram = kn;
    else trigram = probs;
    const heldOutLoss = meanNll(probs.heldOut);
    const testLoss = meanNll(probs.test);
    const name = order === 2 ? 'bigram' : 'trigram';
    log(`  Kneser-Ney ${name}: held-out perplexity ${Math.exp(heldOutLoss).toFixed(2)}`);
    scores.push({
      id: `kn${order}`,
      title: `Kneser-Ney ${name}`,
      description:
        `Interpolated modified Kneser-Ney ${name} (Chen & Goodman 1998; discounts from count-of-counts), counted on the same ` +
        `training addresses with the same vocabulary and scored on the same predictions (src/models/words/kneser-ney.ts).`,
      heldOutLoss,
      heldOutPerplexity: Math.exp(heldOutLoss),
      testLoss,
      testPerplexity: Math.exp(testLoss),
    });
  }
  const result = { bigram: bigram as KneserNey, scores, trigram };
  cachedBaselines.set(sets, result);
  return result;
}

export async function buildWordNnlm(opts: BuildOptions): Promise<BuiltModel> {
  const d = wordsData();
  const sets = scoringSets(d, opts.quick);
  const base = baselines(d, sets, opts.log);
  const config = { ...NNLM_CONFIG };
  const m = buildNnlm(config);
  const { loss } = withLoss(m);
  const schedule = opts.quick ? QUICK_SCHEDULE : SCHEDULE;
  const curveSample = opts.quick ? QUICK_SAMPLE : CURVE_SAMPLE;
  const result = await train(
    { graph: m.graph, loss, params: m.params },
    { train: d.train, heldOut: strided(d.heldOut, curveSample) },
    { ...schedule, log: opts.log, trainSample: strided(d.train, curveSample) },
  );
  const onnx = m.graph.toOnnx({
    outputs: { probs: m.probs, hidden: m.hidden },
    params: 'initializers',
    weights: 'float16',
  });
  const parameters = parameterCount(m);
  const { vocab: V, context: n, embed, hidden: H } = config;
  const io = windowIo(n, V, { hidden: ['B', H] });
  const scores = await scoreFile(onnx, io, sets);
  const mixed = mixture(scores, base.trigram);
  opts.log(
    `  NNLM: held-out perplexity ${scores.metrics.heldOutPerplexity.toFixed(2)}; mixed with the trigram ${mixed.heldOutPerplexity.toFixed(2)}`,
  );
  return {
    id: 'nnlm',
    onnx,
    card: {
      id: 'nnlm',
      title: 'Neural language model (Bengio et al. 2003), words',
      summary: `The previous ${n} words, each a learned ${embed}-number vector, through a ${H}-unit tanh layer and a softmax over ${V} words.`,
      family: 'nnlm',
      io,
      data: describeData(d),
      vocabulary: [...d.vocab.words],
      config: {
        ...config,
        ...schedule,
        optimizer: 'adam',
        schedule: 'cosine',
        weights: 'float16',
        curveSample,
      },
      parameters,
      metrics: scores.metrics,
      lossCurve: result.curve,
      training: {
        steps: schedule.steps,
        seconds: result.seconds,
        stepsPerSecond: result.stepsPerSecond,
        optimizer: 'Adam (β1 0.9, β2 0.999), cosine learning rate',
      },
      baselines: [...base.scores, mixed],
      notes: {
        size:
          `${parameters} parameters stored as float16 (${(onnx.length / 1024).toFixed(0)} KiB): weights are cast to float32 when the ` +
          `model loads. The output layer is tied to the embedding table (logits = (h W2 + x Wd + b2) C^T + b): an untied ${H} x ${V} output ` +
          `matrix alone would hold ${H * V} parameters. The vocabulary is cut at ${V} words, which covers ` +
          `${(100 * (1 - d.heldOutOov)).toFixed(1)}% of held-out tokens.`,
        curve: `Loss-curve held-out points are measured on ${curveSample} held-out predictions spread evenly over the split; train points are running means of the batch losses.`,
        hidden: 'The second output, hidden [B, H], is the tanh layer, for figures.',
      },
    },
  };
}

export async function buildWordNgram(opts: BuildOptions): Promise<BuiltModel> {
  const d = wordsData();
  const sets = scoringSets(d, opts.quick);
  const base = baselines(d, sets, opts.log);
  const top = topBigram(base.bigram, TOP_K);
  const { graph, probs } = topBigramGraph(top, WORDS.context);
  const onnx = graph.toOnnx({ outputs: { probs }, params: 'initializers', weights: 'float32' });
  const V = d.vocab.size;
  const io = windowIo(WORDS.context, V);
  return {
    id: 'ngram',
    onnx,
    card: {
      id: 'ngram',
      title: `Kneser-Ney bigram, top ${TOP_K} next words`,
      summary: `The Kneser-Ney bigram's ${TOP_K} most likely next words after each word, with their exact probabilities.`,
      family: 'bigram',
      io,
      data: describeData(d),
      vocabulary: [...d.vocab.words],
      config: {
        order: 2,
        topK: TOP_K,
        context: WORDS.context,
        smoothing: 'interpolated modified Kneser-Ney',
        weights: 'float32',
      },
      parameters: V * (TOP_K * 2 + 2),
      metrics: (await scoreFile(onnx, io, sets)).metrics,
      lossCurve: [],
      baselines: base.scores,
      notes: {
        representation:
          `The full bigram has ${V} x ${V} probabilities; the page shows only the most likely next words. So this file keeps, for each ` +
          `previous word, its ${TOP_K} most likely next words and their exact Kneser-Ney probabilities (ids as float32, cast to int64 in ` +
          `the graph), and spreads the remaining probability over the other words in proportion to the Kneser-Ney unigram. Rows sum to 1 ` +
          `and the top ${TOP_K} are exactly the baseline's, so the page runs it like any other model (ctx in, probs out). It is a display ` +
          `device: its own perplexity (metrics) is worse than the full bigram's, which is the one reported as the baseline (baselines).`,
        size: `${(onnx.length / 1024).toFixed(0)} KiB: ${V} x ${TOP_K} ids and probabilities, plus a ${V}-entry unigram and rest weight, in float32.`,
      },
    },
  };
}

export const WORDS_MODELS = [
  { id: 'nnlm', build: buildWordNnlm },
  { id: 'ngram', build: buildWordNgram },
] as const satisfies readonly { id: ModelId; build: (o: BuildOptions) => Promise<BuiltModel> }[];
