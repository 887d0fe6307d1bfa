/**
 * The model contract: what a shipped model is, as the trainer, the exporter, both runtimes,
 * the figures and the benchmarks all read it. A card's `io` says which of three kinds of model
 * it is and the shapes of its tensors; nothing else in the runtime knows about a chapter.
 *
 *   window    ctx int64 [B, n]          -> probs float32 [B, V]        (chapters 1-3: counts, MLP, NNLM)
 *   sequence  tokens int64 [B, T]       -> logprobs float32 [B, T, V]  (every position at once)
 *             plus named internals, e.g. attention [B, L, H, T, T] or hidden [B, T, D]
 *   step      token int64 [B] + state   -> probs float32 [B, V] + next state
 *             (streaming: a recurrent cell, or a GPT step with a key/value cache)
 *
 * Browser-safe: no Node imports.
 */

/** Every model the book ships, by id (public/models/<id>.onnx and <id>.json). */
export const MODEL_IDS = [
  'unigram',
  'bigram',
  'mlp',
  'nnlm',
  'ngram',
  'rnn',
  'gru',
  'lstm',
  'lstm-words',
  'lstm-chars',
  'gpt-names',
  'gpt-names-step',
  'gpt-words',
  'gpt-words-step',
] as const;
export type ModelId = (typeof MODEL_IDS)[number];

export function isModelId(x: string | null | undefined): x is ModelId {
  return (MODEL_IDS as readonly string[]).includes(x ?? '');
}

/** A fixed size, or a name for a size known only at run time ('B' for the batch, 'T'). */
export type Dim = number | string;

export interface TensorSpec {
  name: string;
  dtype: 'int64' | 'float32';
  shape: Dim[];
}

interface IoBase {
  /** Vocabulary size: the last axis of every probability output. */
  vocab: number;
  /** The ONNX signature, in full (checked against the file by `npm run models:check`). */
  inputs: TensorSpec[];
  outputs: TensorSpec[];
}

/** ctx [B, context] -> probs [B, vocab]; more outputs [B, ...] are internals (the NNLM's hidden). */
export interface WindowIo extends IoBase {
  kind: 'window';
  context: number;
}

/** tokens [B, T] (T <= maxLength) -> logprobs [B, T, vocab] for the next token at every position. */
export interface SequenceIo extends IoBase {
  kind: 'sequence';
  maxLength: number;
}

/** One state tensor of a step model: fed as `name`, returned as `${name}${NEXT}`. */
export interface StateSpec {
  name: string;
  /** Its shape, batch first: ['B', 64] for a hidden state, ['B', 4, 0..., 16] for a cache. */
  shape: Dim[];
}

/** token [B] + state -> probs [B, vocab] + next state; zeros are the state before the first token. */
export interface StepIo extends IoBase {
  kind: 'step';
  state: StateSpec[];
}

export type IoSpec = WindowIo | SequenceIo | StepIo;
export type IoKind = IoSpec['kind'];

/** The tensor names of the contract. */
export const TENSOR = {
  ctx: 'ctx',
  tokens: 'tokens',
  token: 'token',
  probs: 'probs',
  logprobs: 'logprobs',
} as const;
/** Suffix of a step model's next-state outputs. */
export const NEXT = '_next';

/** Outputs [B, ...] besides the probabilities: what a figure can look inside. */
export type Internals = Record<string, Dim[]>;

function internalSpecs(internals: Internals): TensorSpec[] {
  return Object.entries(internals).map(([name, shape]) => ({ name, dtype: 'float32', shape }));
}

export function windowIo(context: number, vocab: number, internals: Internals = {}): WindowIo {
  return {
    kind: 'window',
    context,
    vocab,
    inputs: [{ name: TENSOR.ctx, dtype: 'int64', shape: ['B', context] }],
    outputs: [
      { name: TENSOR.probs, dtype: 'float32', shape: ['B', vocab] },
      ...internalSpecs(internals),
    ],
  };
}

export function sequenceIo(
  maxLength: number,
  vocab: number,
  internals: Internals = {},
): SequenceIo {
  return {
    kind: 'sequence',
    maxLength,
    vocab,
    inputs: [{ name: TENSOR.tokens, dtype: 'int64', shape: ['B', 'T'] }],
    outputs: [
      { name: TENSOR.logprobs, dtype: 'float32', shape: ['B', 'T', vocab] },
      ...internalSpecs(internals),
    ],
  };
}

export function stepIo(vocab: number, state: StateSpec[], internals: Internals = {}): StepIo {
  return {
    kind: 'step',
    vocab,
    state,
    inputs: [
      { name: TENSOR.token, dtype: 'int64', shape: ['B'] },
      ...state.map((s): TensorSpec => ({ name: s.name, dtype: 'float32', shape: s.shape })),
    ],
    outputs: [
      { name: TENSOR.probs, dtype: 'float32', shape: ['B', vocab] },
      ...state.map((s): TensorSpec => ({
        name: `${s.name}${NEXT}`,
        dtype: 'float32',
        shape: s.shape,
      })),
      ...internalSpecs(internals),
    ],
  };
}

/** The outputs a figure may ask for besides the probabilities and the next state. */
export function internalNames(io: IoSpec): string[] {
  const fixed = new Set<string>([TENSOR.probs, TENSOR.logprobs]);
  if (io.kind === 'step') for (const s of io.state) fixed.add(`${s.name}${NEXT}`);
  return io.outputs.map((o) => o.name).filter((n) => !fixed.has(n));
}

/**
 * Problems with an io spec (empty when it is well-formed): the names and shapes the contract
 * fixes for its kind. A card that fails this cannot be run by the runtime.
 */
export function ioProblems(io: IoSpec): string[] {
  const problems: string[] = [];
  const has = (list: TensorSpec[], name: string, dtype: TensorSpec['dtype'], rank: number) => {
    const t = list.find((x) => x.name === name);
    if (!t) problems.push(`${io.kind}: no ${name}`);
    else if (t.dtype !== dtype || t.shape.length !== rank)
      problems.push(`${io.kind}: ${name} should be ${dtype} of rank ${rank}`);
    else if (t.shape[rank - 1] !== io.vocab && (name === TENSOR.probs || name === TENSOR.logprobs))
      problems.push(`${io.kind}: ${name}'s last axis is not the vocabulary (${io.vocab})`);
  };
  if (!(Number.isInteger(io.vocab) && io.vocab > 0))
    problems.push('vocab must be a positive integer');
  if (io.kind === 'window') {
    if (!(Number.isInteger(io.context) && io.context >= 0))
      problems.push('window: context must be a whole number');
    has(io.inputs, TENSOR.ctx, 'int64', 2);
    has(io.outputs, TENSOR.probs, 'float32', 2);
  } else if (io.kind === 'sequence') {
    if (!(Number.isInteger(io.maxLength) && io.maxLength > 0))
      problems.push('sequence: maxLength must be a positive integer');
    has(io.inputs, TENSOR.tokens, 'int64', 2);
    has(io.outputs, TENSOR.logprobs, 'float32', 3);
  } else {
    has(io.inputs, TENSOR.token, 'int64', 1);
    has(io.outputs, TENSOR.probs, 'float32', 2);
    for (const s of io.state) {
      has(io.inputs, s.name, 'float32', s.shape.length);
      has(io.outputs, `${s.name}${NEXT}`, 'float32', s.shape.length);
    }
  }
  return problems;
}

/**
 * One batched call of a window model. contexts: [B][context] vocabulary ids. Resolves to a
 * row-major Float32Array [B * V]: row b is P(next | contexts[b]).
 */
export type Predict = (contexts: number[][]) => Promise<Float32Array>;

/** A tensor as the runtimes hand it back: row-major data and its dims. */
export interface Out {
  data: Float32Array;
  dims: number[];
}

/** What a model's builder returns: its ONNX bytes and its card, less the file facts. */
export interface BuildOptions {
  /** A reduced configuration (a few hundred steps) for tests. */
  quick: boolean;
  log: (line: string) => void;
}
