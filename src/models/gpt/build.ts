/**
 * Chapter 5's GPTs, one per corpus, each trained once and shipped twice from one definition
 * (model.ts, graphs.ts):
 *
 *   gpt-names, gpt-words             the inspect graph (sequence: log-probs at every position
 *                                    and every head's attention), which the cards are scored on
 *   gpt-names-step, gpt-words-step   the generate graph (step, with a key/value cache)
 *
 * Both corpora keep their chapter's split, vocabulary and positions (positions.ts), so the
 * GPTs join the ladders: chapter 1's names models and chapter 2's and 4's word models.
 */
import type { BuiltModel } from '../card';
import type { BuildOptions, ModelId } from '../contract';
import { card as namesCard, splits } from '../names/build';
import { V as NAMES_V } from '../names/vocab';
import {
  packedRows,
  predictionCount,
  sequenceAt,
  sequenceCount,
  sequencesOf,
  type Sequences,
} from '../positions';
import { copyParams } from '../train/recurrent';
import { scoreCard } from '../train/score';
import { withDropout } from '../train/dropout';
import { packedSet } from '../train/packed';
import type { TrainSet } from '../train/step';
import { train } from '../train/trainer';
import { baselines, describeData, scoringSets } from '../words/build';
import { wordsData } from '../words/data';
import { generateGraph, inspectGraph } from './graphs';
import { gpt, type GptConfig } from './model';

export const GPT_NAMES_CONFIG: GptConfig = {
  vocab: NAMES_V,
  context: 16,
  layers: 4,
  heads: 4,
  width: 64,
  mlp: 256,
  embedInit: 0.1,
  seed: 3,
  // About 6,700 training names: without dropout the held-out loss turns up after 1,600 steps
  // at 1.998 nats (above the LSTM's 1.974); with 0.2 it was still falling at 4,000 (1.923).
  dropout: 0.2,
};

export const GPT_WORDS_CONFIG: GptConfig = {
  vocab: 5000,
  context: 64,
  layers: 4,
  heads: 4,
  width: 64,
  mlp: 128,
  embedInit: 0.1,
  seed: 3,
};

const SCHEDULES = {
  names: {
    full: { steps: 4000, batch: 64, lr: 0.003, lrMin: 0.0001, seed: 7, evalEvery: 100 },
    quick: { steps: 60, batch: 32, lr: 0.003, lrMin: 0.0003, seed: 7, evalEvery: 30 },
  },
  words: {
    full: { steps: 6000, batch: 32, lr: 0.003, lrMin: 0.0001, seed: 7, evalEvery: 500 },
    quick: { steps: 30, batch: 16, lr: 0.003, lrMin: 0.0003, seed: 7, evalEvery: 15 },
  },
} as const;

/** Every k-th sequence, so that a sample spreads over every address of the split. */
function everyKth(s: Sequences, k: number): Sequences {
  const list: number[][] = [];
  for (let i = 0; i < sequenceCount(s); i += k) list.push(Array.from(sequenceAt(s, i)));
  return sequencesOf(list);
}

/** Sequences whose predictions fit in one window of `context` (n + 1 <= context). */
function fitting(s: Sequences, context: number): Sequences {
  const list: number[][] = [];
  for (let i = 0; i < sequenceCount(s); i++) {
    const q = sequenceAt(s, i);
    if (q.length + 1 <= context) list.push(Array.from(q));
  }
  return sequencesOf(list);
}

const sizeOf = (c: GptConfig) =>
  `${c.layers} layers of ${c.heads} heads, width ${c.width}, MLP ${c.mlp}, context ${c.context}`;

interface Pair {
  inspect: BuiltModel;
  step: BuiltModel;
}

const built = new Map<string, Promise<Pair>>();

async function trainGpt(
  corpus: 'names' | 'words',
  config: GptConfig,
  seqs: { train: Sequences; heldOut: Sequences },
  opts: BuildOptions,
) {
  const model = gpt(config);
  const rate = config.dropout ?? 0;
  // Trained on packed rows (several sentences to a row, each seeing only itself: the same
  // predictions as one sentence per row, at a fraction of the cost), with dropout masks fed as
  // inputs (train/dropout.ts); shipped as the plain inspect graph, weights copied by name.
  const trainable = inspectGraph(model, 'float32', { dropout: rate > 0, packed: true });
  const rows = (s: Sequences, r: number): TrainSet => {
    const set = packedSet(packedRows(s, config.context));
    return rate > 0 ? withDropout(set, trainable.masks, config.width, r, config.seed) : set;
  };
  const schedule = SCHEDULES[corpus][opts.quick ? 'quick' : 'full'];
  const curve = corpus === 'words' ? everyKth(seqs.heldOut, opts.quick ? 64 : 8) : seqs.heldOut;
  const result = await train(
    trainable,
    { train: rows(seqs.train, rate), heldOut: rows(curve, 0) },
    {
      ...schedule,
      keepBest: true,
      log: opts.log,
      trainSample: rows(everyKth(seqs.train, corpus === 'words' ? (opts.quick ? 512 : 64) : 1), 0),
    },
  );
  const m = inspectGraph(model);
  copyParams(trainable.graph, m.graph);
  const gen = generateGraph(model);
  copyParams(m.graph, gen.graph);
  const weights = corpus === 'words' ? 'float16' : 'float32';
  const inspectOnnx = m.graph.toOnnx({ outputs: m.outputs, params: 'initializers', weights });
  const stepOnnx = gen.graph.toOnnx({ outputs: gen.outputs, params: 'initializers', weights });
  const parameters = m.params.reduce((n, p) => n + p.size, 0);
  return { m, gen, schedule, result, inspectOnnx, stepOnnx, parameters, weights };
}

function common(t: Awaited<ReturnType<typeof trainGpt>>, config: GptConfig) {
  return {
    family: 'gpt',
    config: {
      ...config,
      ...t.schedule,
      batchSeed: t.schedule.seed,
      seed: config.seed,
      tied: true,
      optimizer: 'adam',
      schedule: 'cosine',
      stopping: 'lowest held-out loss',
      keptStep: t.result.keptStep ?? t.schedule.steps,
      weights: t.weights,
    },
    parameters: t.parameters,
    lossCurve: t.result.curve,
    training: {
      steps: t.schedule.steps,
      seconds: t.result.seconds,
      stepsPerSecond: t.result.stepsPerSecond,
      optimizer: 'Adam (β1 0.9, β2 0.999), cosine learning rate, no warm-up',
    },
  };
}

function buildNames(opts: BuildOptions): Promise<Pair> {
  return (async () => {
    const s = splits();
    const config = GPT_NAMES_CONFIG;
    const t = await trainGpt('names', config, s.seqs, opts);
    const notes = {
      positions:
        "Chapter 1's split and positions: each name is read from its start ('.'), and the last prediction is the end '.'. " +
        `Every name fits the context of ${config.context} characters, so nothing is cut.`,
      stopping:
        'The model kept is the evaluation, every 100 steps, with the lowest held-out loss (the test split stays unseen).',
      training:
        `Trained on rows of ${config.context} characters holding several names each, every name attending only to itself ` +
        `from position 0 (the same predictions as one name per row, which a unit test checks), with dropout ${config.dropout ?? 0} ` +
        'on the embeddings and on each attention and MLP output. Without dropout the held-out loss turned up after 1,600 ' +
        'steps at 1.998 nats: about 6,700 training names are few for 200,000 parameters.',
    };
    const base = common(t, config);
    const inspect = await namesCard(
      'gpt-names',
      t.inspectOnnx,
      {
        title: 'GPT, names',
        summary: `A decoder-only Transformer (${sizeOf(config)}) that reads a name and scores every next character at once.`,
        ...base,
        notes,
      },
      t.m.io,
    );
    const step = await namesCard(
      'gpt-names-step',
      t.stepOnnx,
      {
        title: 'GPT, names, one character at a time',
        summary: `The same GPT as gpt-names, as a step graph with a key/value cache: one character in, the next character's probabilities out.`,
        ...base,
        notes: {
          ...notes,
          cache:
            "The same weights as gpt-names. Each step appends this position's keys and values to a cache " +
            '(k0, v0, ... per layer, [B, heads, P, d]) instead of reading the whole name again; its metrics are ' +
            'measured by streaming every name through the step graph.',
        },
      },
      t.gen.io,
    );
    opts.log(
      `  gpt-names: held-out ${inspect.card.metrics.heldOutLoss.toFixed(4)} nats (step ${step.card.metrics.heldOutLoss.toFixed(4)})`,
    );
    return { inspect, step };
  })();
}

function buildWords(opts: BuildOptions): Promise<Pair> {
  return (async () => {
    const d = wordsData();
    const config: GptConfig = { ...GPT_WORDS_CONFIG, vocab: d.vocab.size };
    const t = await trainGpt('words', config, d.seqs, opts);
    const sets = opts.quick
      ? {
          train: everyKth(d.seqs.train, 512),
          heldOut: everyKth(d.seqs.heldOut, 64),
          test: everyKth(d.seqs.test, 64),
        }
      : { train: everyKth(d.seqs.train, 16), heldOut: d.seqs.heldOut, test: d.seqs.test };
    const scores = await scoreCard(t.inspectOnnx, t.m.io, sets);
    // The step graph, streamed, on the held-out sentences that fit one window: the same
    // predictions from the same weights, so the two files must agree.
    const short = everyKth(fitting(d.seqs.heldOut, config.context), opts.quick ? 64 : 8);
    const viaSeq = await scoreCard(t.inspectOnnx, t.m.io, {
      train: short,
      heldOut: short,
      test: short,
    });
    const viaStep = await scoreCard(t.stepOnnx, t.gen.io, {
      train: short,
      heldOut: short,
      test: short,
    });
    let maxDiff = 0;
    viaSeq.p.heldOut.forEach((p, i) => {
      maxDiff = Math.max(maxDiff, Math.abs(Math.log(p) - Math.log(viaStep.p.heldOut[i] as number)));
    });
    const base = baselines(d, scoringSets(d, opts.quick), opts.log);
    const { width: C, vocab: V, context } = config;
    const notes = {
      positions:
        'Every sentence is read from its start (<s>) and ends by predicting <s>: the same ' +
        `${d.heldOut.targets.length} held-out predictions as chapter 2's NNLM and Kneser-Ney models and chapter 4's LSTM. ` +
        `A sentence longer than the context of ${context} words is read in windows of ${context} that overlap by half: ` +
        `each prediction after the first window sees at least ${context / 2} words (the LSTM sees the whole sentence).`,
      training:
        `Trained on rows of ${context} words holding several sentences each, every sentence attending only to itself ` +
        'from position 0 (the same predictions as one sentence per row, which a unit test checks, at half the cost: ' +
        `a sentence is ${(predictionCount(d.seqs.train) / sequenceCount(d.seqs.train)).toFixed(1)} predictions on average). No dropout.`,
      size:
        `${t.parameters} parameters stored as float16. The output is tied to the embedding table: logits = layerNorm(x) C^T + b; ` +
        `an untied ${C} x ${V} output matrix alone would hold ${C * V} parameters.`,
      agreement:
        `The step graph (gpt-words-step) streamed over ${short.offsets.length - 1} held-out sentences that fit one window gives ` +
        `log-probabilities within ${maxDiff.toExponential(1)} of this graph's.`,
      curve:
        'Loss-curve held-out points are measured on every 8th held-out sentence; train points are running means of the batch losses.',
    };
    const base2 = common(t, config);
    const cardOf = (
      id: ModelId,
      onnx: Uint8Array,
      io: typeof t.m.io | typeof t.gen.io,
      title: string,
      summary: string,
    ): BuiltModel => ({
      id,
      onnx,
      card: {
        id,
        title,
        summary,
        io,
        data: describeData(d),
        vocabulary: [...d.vocab.words],
        metrics: scores.metrics,
        baselines: base.scores,
        ...base2,
        notes,
      },
    });
    opts.log(
      `  gpt-words: held-out perplexity ${scores.metrics.heldOutPerplexity.toFixed(2)}; step agrees within ${maxDiff.toExponential(1)}`,
    );
    return {
      inspect: cardOf(
        'gpt-words',
        t.inspectOnnx,
        t.m.io,
        'GPT, words',
        `A decoder-only Transformer (${sizeOf(config)}) that reads up to ${context} words and scores every one of ${V} words as the next, at every position at once.`,
      ),
      step: cardOf(
        'gpt-words-step',
        t.stepOnnx,
        t.gen.io,
        'GPT, words, one word at a time',
        `The same GPT as gpt-words, as a step graph with a key/value cache: one word in, the next word's probabilities out.`,
      ),
    };
  })();
}

function pair(corpus: 'names' | 'words', opts: BuildOptions): Promise<Pair> {
  const key = `${corpus}:${opts.quick ? 'quick' : 'full'}`;
  let p = built.get(key);
  if (!p) built.set(key, (p = corpus === 'names' ? buildNames(opts) : buildWords(opts)));
  return p;
}

export const GPT_MODELS = [
  { id: 'gpt-names', build: async (o: BuildOptions) => (await pair('names', o)).inspect },
  { id: 'gpt-names-step', build: async (o: BuildOptions) => (await pair('names', o)).step },
  { id: 'gpt-words', build: async (o: BuildOptions) => (await pair('words', o)).inspect },
  { id: 'gpt-words-step', build: async (o: BuildOptions) => (await pair('words', o)).step },
] as const satisfies readonly { id: ModelId; build: (o: BuildOptions) => Promise<BuiltModel> }[];
