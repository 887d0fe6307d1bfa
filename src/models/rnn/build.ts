/**
 * Chapter 4's names ladder: a plain RNN, a GRU and an LSTM on chapter 1's names, with chapter
 * 1's split and scored on chapter 1's positions, so that their held-out loss sits in one table
 * with the unigram, the bigram and the MLP.
 *
 * Each model is trained on its unrolled graph (truncated backprop through time; a names row of
 * ROW positions holds a whole name, so nothing is truncated here: every row starts at the
 * name's start from the zero state, as the page does) and exported as its step graph, the
 * weights carried across by name (train/recurrent.ts). The card's metrics come from the step
 * graph streaming every name, one character at a time: the file the page runs.
 */
import type { BuiltModel } from '../card';
import type { BuildOptions, ModelId } from '../contract';
import { card, splits } from '../names/build';
import { V } from '../names/vocab';
import { sequenceRows } from '../positions';
import { copyParams, stepGraph, unrolled } from '../train/recurrent';
import { sequenceSet } from '../train/step';
import { train } from '../train/trainer';
import { recurrentLm, type CellKind, type RecurrentConfig } from './model';

/** Positions per training row: the longest name (13 letters) plus its end, and some room. */
const ROW = 16;

const TITLES: Record<CellKind, { title: string; summary: (c: RecurrentConfig) => string }> = {
  rnn: {
    title: 'Recurrent network (Elman)',
    summary: (c) =>
      `Reads a name one character at a time into a ${c.hidden}-number state, h = tanh(x W + h U + b), and predicts the next character from it.`,
  },
  gru: {
    title: 'Gated recurrent unit (GRU)',
    summary: (c) =>
      `A ${c.hidden}-number state that an update gate keeps or replaces and a reset gate reads selectively, one character at a time.`,
  },
  lstm: {
    title: 'Long short-term memory (LSTM)',
    summary: (c) =>
      `A ${c.hidden}-number cell state written through input, forget and output gates, one character at a time.`,
  },
};

/** The same size and schedule for the three cells: the ladder compares cells, not budgets. */
const CONFIG = { vocab: V, embed: 16, hidden: 64, seed: 4 } as const;

function buildCell(cell: CellKind, id: ModelId) {
  return async (opts: BuildOptions): Promise<BuiltModel> => {
    const s = splits();
    const config: RecurrentConfig = { ...CONFIG, cell };
    const model = recurrentLm(config);
    const m = unrolled(model, ROW);
    const data = {
      train: sequenceSet(sequenceRows(s.seqs.train, ROW)),
      heldOut: sequenceSet(sequenceRows(s.seqs.heldOut, ROW)),
    };
    const schedule = opts.quick
      ? { steps: 200, batch: 32, lr: 0.01, lrMin: 0.001, seed: 7, evalEvery: 100 }
      : { steps: 4000, batch: 64, lr: 0.004, lrMin: 0.0002, seed: 7, evalEvery: 100 };
    // 6,700 training names overfit within the schedule: the card's model is the evaluation
    // with the lowest held-out loss (early stopping; the test split stays unseen).
    const result = await train(m, data, { ...schedule, keepBest: true, log: opts.log });
    const step = stepGraph(model);
    copyParams(m.graph, step.graph);
    const onnx = step.graph.toOnnx({ outputs: step.outputs, params: 'initializers' });
    const parameters = m.params.reduce((n, p) => n + p.size, 0);
    return card(
      id,
      onnx,
      {
        title: TITLES[cell].title,
        summary: TITLES[cell].summary(config),
        family: cell,
        config: {
          ...config,
          row: ROW,
          ...schedule,
          seed: config.seed,
          batchSeed: schedule.seed,
          optimizer: 'adam',
          schedule: 'cosine',
          stopping: 'lowest held-out loss',
          keptStep: result.keptStep,
        },
        parameters,
        lossCurve: result.curve,
        notes: {
          schedule:
            'The same size, schedule and seed for the three cells, so that the ladder compares cells. ' +
            'The peak learning rate was chosen on the held-out split: 0.004 gave every cell a lower ' +
            'held-out loss than 0.01 (rnn 2.017, gru 2.038, lstm 1.999 nats at 0.01).',
          stopping:
            'About 6,700 training names are overfit within the schedule (the loss curve shows the held-out ' +
            'loss turning up): the model kept is the evaluation, every 100 steps, with the lowest held-out loss.',
        },
        training: {
          steps: schedule.steps,
          seconds: result.seconds,
          stepsPerSecond: result.stepsPerSecond,
          optimizer: 'Adam (β1 0.9, β2 0.999), cosine learning rate',
        },
      },
      step.io,
    );
  };
}

export const RNN_MODELS = [
  { id: 'rnn', build: buildCell('rnn', 'rnn') },
  { id: 'gru', build: buildCell('gru', 'gru') },
  { id: 'lstm', build: buildCell('lstm', 'lstm') },
] as const satisfies readonly { id: ModelId; build: (o: BuildOptions) => Promise<BuiltModel> }[];
