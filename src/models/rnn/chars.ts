/**
 * Chapter 4's character model: an LSTM on the State of the Union, character by character, for
 * generation (figure 4.2) and the neuron finder (figure 4.3). Node only.
 *
 * Data: chapter 2's split of the addresses (words/corpus.ts, WORDS.splitSeed), but the raw
 * text, normalised (char-vocab.ts; case kept), each address preceded by `<s>`. The vocabulary is
 * every character seen at least MIN_COUNT times in the training addresses; rarer ones are
 * `<unk>` in training (the page names and skips them).
 *
 * Training: truncated backprop through time on rows of ROW characters drawn at random offsets
 * of the training text, each row from the zero state (train/recurrent.ts `unrolled`), as the
 * names models are trained. Export: the step graph (token + h, c -> probs, h_next, c_next and
 * the hidden state and gates), weights in float16.
 *
 * Scoring: the step file streams held-out passages (SEGMENT characters from a passage's first
 * character, zero state), predicting every character after the first: the card's loss in nats
 * and bits per character. The same pass finds the neurons (char-features.ts).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { BuiltModel, NeuronScore } from '../card';
import { NEXT, TENSOR, type BuildOptions, type StepIo } from '../contract';
import { copyParams, stepGraph, unrolled } from '../train/recurrent';
import { NodeSession, type Feed } from '../train/session';
import type { TrainSet } from '../train/step';
import { train } from '../train/trainer';
import { loadAddresses, SOURCE, splitAddresses } from '../words/corpus';
import { WORDS } from '../words/data';
import { CHAR_FEATURES, correlation } from './char-features';
import { CharVocab, normalizeText, START_ID } from './char-vocab';
import { recurrentLm, type RecurrentConfig } from './model';

/** A character must occur this often in the training addresses to get an id. */
export const MIN_COUNT = 20;
/** Characters per training row (truncated BPTT length). */
export const ROW = 64;
/** Characters per scored passage, and passages per split sample. */
export const SEGMENT = 400;
export const PASSAGES = { train: 128, heldOut: 256, test: 128 } as const;

export interface CharSplit {
  /** Normalised text of each address, oldest first. */
  train: string[];
  heldOut: string[];
  test: string[];
  items: { train: number; heldOut: number; test: number };
}

let cachedSplit: CharSplit | undefined;
/** Chapter 2's address split, as raw normalised text. */
export function charSplit(): CharSplit {
  if (cachedSplit) return cachedSplit;
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve(`${SOURCE}/package.json`)), 'data');
  const split = splitAddresses(loadAddresses(), WORDS.splitSeed);
  const text = (id: string): string =>
    normalizeText(
      (JSON.parse(readFileSync(join(dir, `${id}.json`), 'utf8')) as { text: string }).text,
    ).trim();
  cachedSplit = {
    train: split.train.map((a) => text(a.id)),
    heldOut: split.heldOut.map((a) => text(a.id)),
    test: split.test.map((a) => text(a.id)),
    items: { train: split.train.length, heldOut: split.heldOut.length, test: split.test.length },
  };
  return cachedSplit;
}

/** The vocabulary, counted on the training addresses. */
export function charVocab(split = charSplit()): CharVocab {
  const counts = new Map<string, number>();
  for (const t of split.train) for (const c of t) counts.set(c, (counts.get(c) ?? 0) + 1);
  return CharVocab.fromCounts(counts, MIN_COUNT);
}

/** Every address's ids, each after `<s>`, end to end. */
function streamIds(texts: readonly string[], vocab: CharVocab): Int32Array {
  const ids: number[] = [];
  for (const t of texts) {
    ids.push(START_ID);
    for (const id of vocab.encodeAll(t)) ids.push(id);
  }
  return Int32Array.from(ids);
}

/** Rows of ROW characters at every offset of a stream: tokens ids[r..r+ROW), targets one on. */
function offsetSet(ids: Int32Array, row: number, offsets?: Int32Array): TrainSet {
  const count = offsets ? offsets.length : ids.length - row - 1;
  const at = (r: number): number => (offsets ? (offsets[r] as number) : r);
  return {
    count,
    feeds(rows) {
      const n = rows.length;
      const tokens = new Array<number>(n * row);
      const targets = new Array<number>(n * row);
      for (let b = 0; b < n; b++) {
        const o = at(rows[b] as number);
        for (let t = 0; t < row; t++) {
          tokens[b * row + t] = ids[o + t] as number;
          targets[b * row + t] = ids[o + t + 1] as number;
        }
      }
      return {
        tokens: { dtype: 'int64', data: tokens, dims: [n, row] },
        targets: { dtype: 'int64', data: targets, dims: [n, row] },
        weights: { dtype: 'float32', data: new Array<number>(n * row).fill(1), dims: [n, row] },
      };
    },
    positions: (rows) => rows.length * row,
  };
}

/**
 * `count` passages of `length` characters spread evenly over some addresses' text (each
 * passage inside one address, starting at a multiple of `length`).
 */
export function passages(texts: readonly string[], count: number, length = SEGMENT): string[] {
  const all: string[] = [];
  for (const t of texts)
    for (let a = 0; a + length <= t.length; a += length) all.push(t.slice(a, a + length));
  if (all.length <= count) return all;
  return Array.from(
    { length: count },
    (_, k) => all[Math.floor((k * all.length) / count)] as string,
  );
}

/**
 * The neuron finder's passages: quotations and parentheses are rare (a few percent of held-out
 * passages have one), so every held-out passage with a quotation mark, a parenthesis or a
 * bracket is taken, and the rest of `count` spread evenly over the others.
 */
export function neuronPassages(
  texts: readonly string[],
  count: number,
  /** Exactly `count` passages, even if more have marks (the quick build's few). */
  cap = false,
): { texts: string[]; marked: number } {
  const all = passages(texts, Number.MAX_SAFE_INTEGER);
  const marked = all.filter((p) => /["()[\]]/.test(p));
  const rest = all.filter((p) => !/["()[\]]/.test(p));
  const n = Math.max(0, count - marked.length);
  const spread = Array.from(
    { length: Math.min(n, rest.length) },
    (_, k) => rest[Math.floor((k * rest.length) / Math.min(n, rest.length))] as string,
  );
  return {
    texts: [...marked, ...spread].slice(0, cap ? count : Math.max(count, marked.length)),
    marked: marked.length,
  };
}

export interface StreamResult {
  /** -ln p of every predicted character (each passage's second character on), passage by passage. */
  nll: Float64Array;
  /** Hidden state after each character [passage][t][H], when asked for. */
  hidden?: Float32Array[];
}

/**
 * Stream passages through a step model file in lockstep, from the zero state: each passage's
 * first character is read, then every next one is predicted and read. Passages must be
 * equally long and encodable without `<unk>` (encodeAll ids).
 */
export async function streamPassages(
  onnx: Uint8Array,
  io: StepIo,
  ids: readonly (readonly number[])[],
  opts: { hidden?: boolean } = {},
): Promise<StreamResult> {
  const session = await NodeSession.create(onnx);
  try {
    const B = ids.length;
    const T = ids[0]?.length ?? 0;
    const H = Number(io.state[0]?.shape[1]);
    const state: Record<string, Feed> = {};
    for (const s of io.state)
      state[s.name] = { dtype: 'float32', data: new Float32Array(B * H), dims: [B, H] };
    const nll = new Float64Array(B * (T - 1));
    const hidden = opts.hidden ? ids.map(() => new Float32Array(T * H)) : undefined;
    const wanted = [TENSOR.probs, ...io.state.map((s) => `${s.name}${NEXT}`)];
    if (hidden) wanted.push('hidden');
    const V = io.vocab;
    for (let t = 0; t < T; t++) {
      const token = ids.map((q) => q[t] as number);
      const out = await session.run(
        { [TENSOR.token]: { dtype: 'int64', data: token, dims: [B] }, ...state },
        wanted,
      );
      const probs = out[TENSOR.probs] as Float64Array;
      if (t + 1 < T)
        for (let b = 0; b < B; b++) {
          const next = ids[b]?.[t + 1] as number;
          nll[b * (T - 1) + t] = -Math.log(probs[b * V + next] as number);
        }
      if (hidden) {
        const h = out['hidden'] as Float64Array;
        for (let b = 0; b < B; b++)
          (hidden[b] as Float32Array).set(h.subarray(b * H, (b + 1) * H), t * H);
      }
      for (const s of io.state)
        state[s.name] = {
          dtype: 'float32',
          data: Float32Array.from(out[`${s.name}${NEXT}`] as Float64Array),
          dims: [B, H],
        };
    }
    return hidden ? { nll, hidden } : { nll };
  } finally {
    await session.release();
  }
}

const mean = (xs: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i] as number;
  return s / xs.length;
};

/**
 * The neuron finder: for each feature, the units whose hidden value (after each character)
 * correlates most with it over the passages, strongest first.
 */
export function findNeurons(
  texts: readonly string[],
  hidden: readonly Float32Array[],
  H: number,
  perFeature = 3,
): NeuronScore[] {
  const T = texts[0]?.length ?? 0;
  const N = texts.length * T;
  const found: NeuronScore[] = [];
  const unit = new Float64Array(N);
  const feats = CHAR_FEATURES.map((f) => Float64Array.from(texts.flatMap((t) => f.values(t))));
  const r = CHAR_FEATURES.map(() => new Float64Array(H));
  for (let u = 0; u < H; u++) {
    hidden.forEach((h, k) => {
      for (let t = 0; t < T; t++) unit[k * T + t] = h[t * H + u] as number;
    });
    feats.forEach((f, j) => ((r[j] as Float64Array)[u] = correlation(f, unit)));
  }
  CHAR_FEATURES.forEach((f, j) => {
    const rs = r[j] as Float64Array;
    const order = Array.from({ length: H }, (_, u) => u).sort(
      (a, b) => Math.abs(rs[b] as number) - Math.abs(rs[a] as number) || a - b,
    );
    for (const u of order.slice(0, perFeature))
      found.push({
        feature: f.id,
        label: f.label,
        unit: u,
        r: Number((rs[u] as number).toFixed(4)),
      });
  });
  return found;
}

const CONFIG = { embed: 32, hidden: 256, seed: 11 } as const;
const SCHEDULE = { steps: 800, batch: 32, lr: 0.008, lrMin: 0.0005, seed: 5, evalEvery: 100 };
const QUICK = { steps: 6, batch: 8, lr: 0.006, lrMin: 0.0003, seed: 5, evalEvery: 3 };
/** Held-out rows for the loss curve (unrolled graph, ROW characters each, evenly spaced). */
const CURVE_ROWS = 256;

export async function buildChars(opts: BuildOptions): Promise<BuiltModel> {
  const split = charSplit();
  const vocab = charVocab(split);
  const V = vocab.size;
  const config: RecurrentConfig = { cell: 'lstm', vocab: V, ...CONFIG };
  const model = recurrentLm(config);
  const m = unrolled(model, ROW);
  const trainIds = streamIds(split.train, vocab);
  const heldIds = streamIds(split.heldOut, vocab);
  const spread = (ids: Int32Array, n: number): Int32Array =>
    Int32Array.from({ length: n }, (_, k) => Math.floor((k * (ids.length - ROW - 1)) / n));
  const schedule = opts.quick ? QUICK : SCHEDULE;
  const curveRows = opts.quick ? 16 : CURVE_ROWS;
  const result = await train(
    m,
    {
      train: offsetSet(trainIds, ROW),
      heldOut: offsetSet(heldIds, ROW, spread(heldIds, curveRows)),
    },
    {
      ...schedule,
      log: opts.log,
      trainSample: offsetSet(trainIds, ROW, spread(trainIds, curveRows)),
    },
  );
  const step = stepGraph(model);
  copyParams(m.graph, step.graph);
  const onnx = step.graph.toOnnx({
    outputs: step.outputs,
    params: 'initializers',
    weights: 'float16',
  });
  const io = step.io;
  const parameters = m.params.reduce((n, p) => n + p.size, 0);

  // Scoring, and the neurons, on passages of each split.
  const count = (k: keyof typeof PASSAGES): number => (opts.quick ? 8 : PASSAGES[k]);
  const t0 = performance.now();
  const scored = async (texts: string[], k: keyof typeof PASSAGES) => {
    const ps = passages(texts, count(k));
    return {
      ps,
      res: await streamPassages(
        onnx,
        io,
        ps.map((p) => vocab.encodeAll(p)),
      ),
    };
  };
  const tr = await scored(split.train, 'train');
  const held = await scored(split.heldOut, 'heldOut');
  const te = await scored(split.test, 'test');
  const H = CONFIG.hidden;
  const finder = neuronPassages(split.heldOut, count('heldOut'), opts.quick);
  const finderRun = await streamPassages(
    onnx,
    io,
    finder.texts.map((p) => vocab.encodeAll(p)),
    { hidden: true },
  );
  const neurons = findNeurons(finder.texts, finderRun.hidden ?? [], H);
  const scoreSeconds = (performance.now() - t0) / 1000;
  const heldOutLoss = mean(held.res.nll);
  // Loss by position: within the training row length, and beyond it.
  const byPos = (from: number, to: number): number => {
    const xs: number[] = [];
    const T1 = SEGMENT - 1;
    for (let b = 0; b < held.ps.length; b++)
      for (let t = from; t < Math.min(to, T1); t++) xs.push(held.res.nll[b * T1 + t] as number);
    return mean(xs);
  };
  const early = byPos(0, ROW);
  const late = byPos(ROW, SEGMENT);
  opts.log(
    `  lstm-chars: held-out ${heldOutLoss.toFixed(4)} nats/char (${(heldOutLoss / Math.LN2).toFixed(3)} bits); ` +
      `positions < ${ROW}: ${early.toFixed(4)}, >= ${ROW}: ${late.toFixed(4)}; scoring ${scoreSeconds.toFixed(1)} s`,
  );
  const metrics = {
    trainLoss: mean(tr.res.nll),
    heldOutLoss,
    testLoss: mean(te.res.nll),
    trainPerplexity: Math.exp(mean(tr.res.nll)),
    heldOutPerplexity: Math.exp(heldOutLoss),
    testPerplexity: Math.exp(mean(te.res.nll)),
    uniformLoss: Math.log(V),
  };
  const bits = (x: number): number => Number((x / Math.LN2).toFixed(4));
  const predicted = (n: number): number => n * (SEGMENT - 1);
  const kb = (onnx.length / 1024).toFixed(0);
  return {
    id: 'lstm-chars',
    onnx,
    card: {
      id: 'lstm-chars',
      title: 'Character LSTM, State of the Union',
      summary: `Reads the addresses one character at a time (${V - 2} characters, case kept) into a ${H}-unit LSTM state and predicts the next character.`,
      family: 'lstm',
      io,
      data: {
        source: [SOURCE],
        description:
          `Every State of the Union address, split by address as in chapter 2 (80/10/10, split seed ${WORDS.splitSeed}); ` +
          `the raw text, normalised (NFC, curly quotes and dashes made plain, white space runs as one space), case kept. ` +
          `Characters seen fewer than ${MIN_COUNT} times in the training addresses are <unk>. ` +
          `Scored on samples of ${SEGMENT}-character passages spread evenly over each split (${PASSAGES.train} train, ` +
          `${PASSAGES.heldOut} held-out, ${PASSAGES.test} test), each streamed from the zero state, every character after the first predicted.`,
        items: split.items,
        tokens: {
          train: predicted(tr.ps.length),
          heldOut: predicted(held.ps.length),
          test: predicted(te.ps.length),
        },
        splitSeed: WORDS.splitSeed,
      },
      vocabulary: [...vocab.chars],
      config: {
        ...config,
        row: ROW,
        segment: SEGMENT,
        minCount: MIN_COUNT,
        ...schedule,
        seed: config.seed,
        batchSeed: schedule.seed,
        optimizer: 'adam',
        schedule: 'cosine',
        weights: 'float16',
        curveRows,
      },
      parameters,
      metrics,
      bitsPerChar: {
        train: bits(metrics.trainLoss),
        heldOut: bits(heldOutLoss),
        test: bits(metrics.testLoss),
      },
      lossCurve: result.curve,
      training: {
        steps: schedule.steps,
        seconds: result.seconds,
        stepsPerSecond: result.stepsPerSecond,
        optimizer: 'Adam (β1 0.9, β2 0.999), cosine learning rate',
      },
      neurons,
      notes: {
        size: `${parameters} parameters stored as float16 (${kb} KiB); weights are cast to float32 when the model loads.`,
        training:
          `Truncated backprop through time: rows of ${ROW} characters at random offsets of the training text, each from the zero state; ` +
          `${schedule.steps} steps of ${schedule.batch} rows (${schedule.steps * schedule.batch * ROW} characters, ` +
          `${((schedule.steps * schedule.batch * ROW) / trainIds.length).toFixed(2)} of a pass over the ${trainIds.length} training characters), one core.`,
        length:
          `Held-out loss by position in the passage: ${early.toFixed(3)} nats for the first ${ROW} characters, ` +
          `${late.toFixed(3)} after them (beyond the length of every training row).`,
        curve: `Loss-curve held-out points: ${curveRows} held-out rows of ${ROW} characters, evenly spaced (the unrolled graph); train points are running means of the batch losses.`,
        neurons:
          `The neuron finder: each unit's hidden value after each character of ${finder.texts.length} held-out passages ` +
          `(all ${finder.marked} with a quotation mark, parenthesis or bracket, the others spread evenly over the rest), ` +
          `correlated (Pearson) with simple features of the text so far; the 3 units with the largest |r| per feature.`,
        hidden:
          'Outputs hidden [B, H] (h after the character) and the gates input, forget, output [B, H], for figures.',
      },
    },
  };
}
