/**
 * Chapter 4's word-level LSTM on the State of the Union: chapter 2's split, vocabulary and
 * positions (every sentence from the zero state, as the NNLM's context starts padded with <s>),
 * so its held-out perplexity sits beside the NNLM's and the Kneser-Ney trigram's on the same
 * 198,213 predictions.
 *
 *   x_t    = C[w_t]                               embedding, (B, E)
 *   h, c   = lstm(x_t, h, c)                      (B, H) each
 *   logits = (h P + p) C^T + b                    tied to the same table C (Press & Wolf 2017)
 *
 * Trained on rows of ROW words (truncated backprop through time: a longer sentence is cut into
 * overlapping windows, positions.ts sequenceRows), exported as its step graph, float16 weights.
 * The card's figures come from the exported step graph streaming each sentence word by word.
 */
import type { BuiltModel } from '../card';
import type { BuildOptions } from '../contract';
import type { Tensor } from '../graph/graph';
import * as op from '../graph/ops';
import * as nn from '../nn';
import { sequenceAt, sequenceCount, sequenceRows, sequencesOf, type Sequences } from '../positions';
import { Rng } from '../rng';
import { scoreCard } from '../train/score';
import { copyParams, stepGraph, unrolled, type Recurrent } from '../train/recurrent';
import { sequenceSet } from '../train/step';
import { train } from '../train/trainer';
import { baselines, describeData, scoringSets } from '../words/build';
import { wordsData } from '../words/data';

/** Words per training row: most sentences fit; longer ones become windows with 16 words of context. */
const ROW = 32;

export interface WordLstmConfig {
  vocab: number;
  /** Embedding width E, also the width the state is projected to for the tied output. */
  embed: number;
  hidden: number;
  /** Standard deviation of the initial embeddings. */
  embedInit: number;
  seed: number;
}

export const WORD_LSTM_CONFIG: WordLstmConfig = {
  vocab: 5000,
  embed: 64,
  hidden: 128,
  embedInit: 0.1,
  seed: 11,
};

const SCHEDULE = { steps: 6000, batch: 64, lr: 0.01, lrMin: 0.0005, seed: 7, evalEvery: 500 };
const QUICK_SCHEDULE = { steps: 30, batch: 16, lr: 0.01, lrMin: 0.001, seed: 7, evalEvery: 15 };

/** The word LSTM as one step (train/recurrent.ts unrolls it and makes the page's step graph). */
export function wordLstm(config: WordLstmConfig): Recurrent {
  const { vocab, embed, hidden } = config;
  return (g) => {
    const p = new nn.Params(g, new nn.ParamStore(new Rng(config.seed)));
    const emb = nn.embeddingParams(p.scope('emb'), vocab, embed, config.embedInit);
    const lstm = nn.lstmParams(p.scope('lstm'), embed, hidden);
    const proj = nn.linearParams(p.scope('proj'), hidden, embed, { std: 0.1 / Math.sqrt(hidden) });
    const bias = p.scope('out').zeros('bias', [vocab]);
    const tableT = op.transpose(emb.table, [1, 0]); // (E, V)
    return {
      vocab,
      state: [
        { name: 'h', size: hidden },
        { name: 'c', size: hidden },
      ],
      params: g.params.map((q) => q.tensor),
      step(token, [h, c]) {
        const x = nn.embedding(token, emb); // (B, E)
        const s = nn.lstmCell(x, { h: h as Tensor, c: c as Tensor }, lstm);
        const logits = op.add(op.matmul(nn.linear(s.h, proj), tableT), bias); // (B, V)
        return {
          logits,
          state: [s.h, s.c],
          internals: { hidden: s.h, input: s.i, forget: s.f, output: s.o },
        };
      },
    };
  };
}

/** Every k-th sequence, so that a sample spreads over every address of the split. */
function everyKth(s: Sequences, k: number): Sequences {
  const list: number[][] = [];
  for (let i = 0; i < sequenceCount(s); i += k) list.push(Array.from(sequenceAt(s, i)));
  return sequencesOf(list);
}

export async function buildWordLstm(opts: BuildOptions): Promise<BuiltModel> {
  const d = wordsData();
  const config: WordLstmConfig = { ...WORD_LSTM_CONFIG, vocab: d.vocab.size };
  const model = wordLstm(config);
  const m = unrolled(model, ROW);
  const schedule = opts.quick ? QUICK_SCHEDULE : SCHEDULE;
  // Held-out loss on the curve: every 8th held-out sentence (every 64th when quick).
  const curve = everyKth(d.seqs.heldOut, opts.quick ? 64 : 8);
  const result = await train(
    m,
    {
      train: sequenceSet(sequenceRows(d.seqs.train, ROW)),
      heldOut: sequenceSet(sequenceRows(curve, ROW)),
    },
    {
      ...schedule,
      log: opts.log,
      trainSample: sequenceSet(sequenceRows(everyKth(d.seqs.train, opts.quick ? 512 : 64), ROW)),
    },
  );
  const step = stepGraph(model);
  copyParams(m.graph, step.graph);
  const onnx = step.graph.toOnnx({
    outputs: step.outputs,
    params: 'initializers',
    weights: 'float16',
  });
  // The card's train loss: every 16th training sentence (all 1.6 million predictions would
  // take minutes); held-out and test: every sentence (a sample when quick).
  const sets = opts.quick
    ? {
        train: everyKth(d.seqs.train, 512),
        heldOut: everyKth(d.seqs.heldOut, 64),
        test: everyKth(d.seqs.test, 64),
      }
    : { train: everyKth(d.seqs.train, 16), heldOut: d.seqs.heldOut, test: d.seqs.test };
  const scores = await scoreCard(onnx, step.io, sets);
  const base = baselines(d, scoringSets(d, opts.quick), opts.log);
  const parameters = m.params.reduce((n, p) => n + p.size, 0);
  const { embed: E, hidden: H, vocab: V } = config;
  opts.log(`  word LSTM: held-out perplexity ${scores.metrics.heldOutPerplexity.toFixed(2)}`);
  return {
    id: 'lstm-words',
    onnx,
    card: {
      id: 'lstm-words',
      title: 'LSTM language model, words',
      summary: `Reads a sentence one word at a time into a ${H}-number LSTM state and scores every one of ${V} words as the next, against the same ${E}-number word vectors it reads with.`,
      family: 'lstm',
      io: step.io,
      data: describeData(d),
      vocabulary: [...d.vocab.words],
      config: {
        ...config,
        row: ROW,
        tied: true,
        ...schedule,
        batchSeed: schedule.seed,
        seed: config.seed,
        optimizer: 'adam',
        schedule: 'cosine',
        weights: 'float16',
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
      baselines: base.scores,
      notes: {
        positions:
          'Every sentence is read from the zero state, starting from <s>, and ends by predicting <s>: the same ' +
          `${d.heldOut.targets.length} held-out predictions as chapter 2's NNLM and Kneser-Ney models, which see each sentence from ` +
          'its start too. Nothing is carried from one sentence to the next.',
        training:
          `Trained on rows of ${ROW} words: a sentence longer than that is cut into overlapping windows that each count ` +
          `their last ${ROW / 2} predictions (truncated backprop through time). The exported step graph reads any length.`,
        size:
          `${parameters} parameters stored as float16 (${(onnx.length / 1024).toFixed(0)} KiB). The output is tied to the ` +
          `embedding table: the state is projected to ${E} numbers and scored against every word's vector, ` +
          `logits = (h P + p) C^T + b; an untied ${H} x ${V} output matrix alone would hold ${H * V} parameters.`,
        curve: `Loss-curve held-out points are measured on every 8th held-out sentence; train points are running means of the batch losses. The train loss in metrics is measured on every 16th training sentence.`,
      },
    },
  };
}
