/**
 * Bengio et al. (2003)'s neural language model, at the scale of characters: the previous
 * CONTEXT characters are looked up in a shared embedding table, concatenated, passed through a
 * tanh hidden layer, and a softmax over the vocabulary gives the next character's distribution.
 * This one file defines the model for training (loss + gradients) and for the page (probs).
 */
import { Graph, type Tensor } from '../graph/graph';
import * as op from '../graph/ops';
import { Rng } from '../rng';
import { CONTEXT, V } from './vocab';

export interface MlpConfig {
  context: number;
  embed: number;
  hidden: number;
  seed: number;
}

export const MLP_CONFIG: MlpConfig = { context: CONTEXT, embed: 10, hidden: 200, seed: 1 };

export interface Mlp {
  graph: Graph;
  /** int64 [B, context]: ids of the previous characters. */
  ctx: Tensor;
  /** float [B, V]. */
  logits: Tensor;
  probs: Tensor;
  params: Tensor[];
}

export function buildMlp(
  config: MlpConfig = MLP_CONFIG,
  float: 'float32' | 'float64' = 'float32',
): Mlp {
  const { context, embed, hidden } = config;
  const rng = new Rng(config.seed);
  const g = new Graph('mlp', float);
  const normal = (n: number, scale: number): number[] =>
    Array.from({ length: n }, () => rng.normal() * scale);

  // Initialisation: unit-normal embeddings; tanh-gain-scaled W1 (5/3 / sqrt(fan-in)) so the
  // hidden layer starts unsaturated; small W2 so the first predictions are near uniform.
  const C = g.param('C', [V, embed], normal(V * embed, 1));
  const W1 = g.param(
    'W1',
    [context * embed, hidden],
    normal(context * embed * hidden, 5 / 3 / Math.sqrt(context * embed)),
  );
  const b1 = g.param('b1', [hidden], normal(hidden, 0.01));
  const W2 = g.param('W2', [hidden, V], normal(hidden * V, 0.01));
  const b2 = g.param('b2', [V], new Array<number>(V).fill(0));

  const ctx = g.input('ctx', 'int64', ['B', context]);
  const emb = g.label(op.reshape(op.gather(C, ctx), ['B', context * embed]), 'emb'); // [B, context*embed]
  const pre = g.label(op.add(op.matmul(emb, W1), b1), 'preact'); // [B, hidden]
  const h = g.label(op.tanh(pre), 'h'); // [B, hidden]
  const logits = g.label(op.add(op.matmul(h, W2), b2), 'logits'); // [B, V]
  const probs = op.softmax(logits, -1); // [B, V]
  return { graph: g, ctx, logits, probs, params: [C, W1, b1, W2, b2] };
}

/** The training graph's extra parts: targets [B, 1], mean cross-entropy, and its gradients. */
export function withLoss(m: Mlp): { targets: Tensor; loss: Tensor } {
  const targets = m.graph.input('targets', 'int64', ['B', 1]);
  const loss = op.crossEntropy(m.logits, targets);
  return { targets, loss };
}
