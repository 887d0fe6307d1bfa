/**
 * The model card: one JSON file beside each exported `public/models/<id>.onnx`.
 * Written by `npm run models`, checked by `npm run models:check`, read by chapters
 * (every number in the prose comes from here) and by figures.
 */
import type { IoSpec, ModelId } from './contract';

export interface LossPoint {
  step: number;
  train: number;
  heldOut?: number;
}

/** Another model scored on the same splits and vocabulary, for comparison (chapter 2). */
export interface BaselineScore {
  id: string;
  title: string;
  description: string;
  heldOutLoss: number;
  heldOutPerplexity: number;
  testLoss: number;
  testPerplexity: number;
}

/** A hidden unit that tracks a feature of the text (chapter 4's neuron finder). */
export interface NeuronScore {
  /** char-features.ts id */
  feature: string;
  label: string;
  unit: number;
  /** Pearson correlation of the unit's value with the feature on held-out text. */
  r: number;
}

export interface ModelCard {
  id: ModelId;
  title: string;
  /** What the model is, in one sentence, for captions. */
  summary: string;
  family: 'unigram' | 'bigram' | 'mlp' | string;
  /** What kind of model it is and its ONNX interface (the model contract, contract.ts). */
  io: IoSpec;
  data: {
    source: string[];
    description: string;
    /** Number of items (names, documents) in each split. */
    items: { train: number; heldOut: number; test: number };
    /** Number of predicted tokens in each split (characters + end markers for names). */
    tokens: { train: number; heldOut: number; test: number };
    splitSeed: number;
  };
  vocabulary: string[];
  config: Record<string, number | string | boolean>;
  parameters: number;
  metrics: {
    /** Mean negative log-likelihood in nats per predicted token. */
    trainLoss: number;
    heldOutLoss: number;
    testLoss: number;
    trainPerplexity: number;
    heldOutPerplexity: number;
    testPerplexity: number;
    /** ln(V): the loss of the uniform distribution, the baseline every model must beat. */
    uniformLoss: number;
  };
  lossCurve: LossPoint[];
  training?: { steps: number; seconds: number; stepsPerSecond: number; optimizer: string };
  file: { path: string; bytes: number; sha256: string; weights: 'float32' | 'float16' };
  /** Tables a figure draws directly, e.g. the bigram counts [V][V]. */
  tables?: Record<string, number[][]>;
  /** Models this one is compared with, scored on the same splits (e.g. a Kneser-Ney n-gram). */
  baselines?: BaselineScore[];
  /** Character models: the losses in bits per character (nats / ln 2). */
  bitsPerChar?: { train: number; heldOut: number; test: number };
  /** Units found by correlation with features of held-out text (chapter 4's character LSTM). */
  neurons?: NeuronScore[];
  /** Why the model is built the way it is, e.g. how it fits the size budget; keyed by topic. */
  notes?: Record<string, string>;
  tools: Record<string, string>;
}

/** A card as a model's builder writes it; the models CLI adds the file facts and tool versions. */
export type CardDraft = Omit<ModelCard, 'file' | 'tools'>;

/** What a model's builder returns: its ONNX bytes and its card draft. */
export interface BuiltModel {
  id: ModelId;
  onnx: Uint8Array;
  card: CardDraft;
}
