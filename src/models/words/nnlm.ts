/**
 * Bengio et al. (2003)'s neural probabilistic language model, at the scale of words:
 *
 *   x      = [C(w_{t-n}); ...; C(w_{t-1})]        the context's embeddings, concatenated
 *   h      = tanh(x W1 + b1)                       the hidden layer
 *   logits = h W2 + b2            (untied)         one score per vocabulary word
 *   logits = (h W2 + b2) C^T + b  (tied)           ... or scored against the same table C
 *   (+ x Wd inside the brackets with Bengio's optional direct connections)
 *   P(w_t | context) = softmax(logits)
 *
 * The tied output reuses the embedding table as the output layer (Press & Wolf 2017; Inan et
 * al. 2017): a word is predicted by how well the hidden state, projected back to embedding
 * size, lines up with that word's own vector. It halves the parameters that grow with the
 * vocabulary, which is what keeps the exported file under 1 MB. This one file defines the
 * model for training (loss) and for the page (probs, and the hidden layer for figures).
 */
import { Graph, type Tensor } from '../graph/graph';
import * as op from '../graph/ops';
import { Rng } from '../rng';

export interface NnlmConfig {
  /** Vocabulary size V (including `<s>` and `<unk>`). */
  vocab: number;
  /** Context length n: how many previous words the model reads. */
  context: number;
  /** Embedding size d. */
  embed: number;
  /** Hidden units H. */
  hidden: number;
  /** Output layer tied to the embedding table C. */
  tied: boolean;
  /**
   * Bengio et al.'s direct connections: the embeddings also reach the output linearly, next to
   * the tanh layer (logits = x Wd + h W2 + b2; tied: projected to d first).
   */
  direct: boolean;
  /** Standard deviation of the initial embeddings. */
  embedInit: number;
  seed: number;
}

export interface Nnlm {
  graph: Graph;
  config: NnlmConfig;
  /** int64 [B, n]: ids of the previous words. */
  ctx: Tensor;
  /** float [B, H]: the tanh layer. */
  hidden: Tensor;
  /** float [B, V]. */
  logits: Tensor;
  /** float [B, V]. */
  probs: Tensor;
  params: Tensor[];
}

/**
 * @param logPrior optional [V] log unigram frequencies for the output bias: the untrained model
 *   then starts at the unigram model (loss ~ its entropy) instead of uniform (ln V), and the
 *   first steps are spent on context instead of on word frequencies.
 */
export function buildNnlm(
  config: NnlmConfig,
  float: 'float32' | 'float64' = 'float32',
  logPrior?: ArrayLike<number>,
): Nnlm {
  const { vocab: V, context: n, embed: d, hidden: H, tied } = config;
  const rng = new Rng(config.seed);
  const g = new Graph('nnlm', float);
  const normal = (size: number, scale: number): number[] =>
    Array.from({ length: size }, () => rng.normal() * scale);
  const zeros = (size: number): number[] => new Array<number>(size).fill(0);

  // Initialisation: small embeddings (with a tied output, large ones make the first steps
  // swing the output wildly); W1 scaled by the tanh gain 5/3 over sqrt(fan-in) and over the
  // embeddings' size, so pre-activations start with standard deviation ~5/3: unsaturated;
  // a small output layer, so that the first predictions are close to uniform (loss ~ ln V).
  const s = config.embedInit;
  const C = g.param('C', [V, d], normal(V * d, s)); // [V, d]
  const W1 = g.param('W1', [n * d, H], normal(n * d * H, 5 / 3 / Math.sqrt(n * d) / s)); // [n d, H]
  const b1 = g.param('b1', [H], zeros(H)); // [H]
  const out = tied ? d : V;
  const W2 = g.param('W2', [H, out], normal(H * out, 0.01)); // [H, d] or [H, V]
  const prior = logPrior ? Array.from(logPrior) : zeros(V);
  if (prior.length !== V) throw new Error(`logPrior has ${prior.length} entries for ${V} words`);
  const b2 = g.param('b2', [out], tied ? zeros(out) : prior); // [d] or [V]
  const params = [C, W1, b1, W2, b2];

  const ctx = g.input('ctx', 'int64', ['B', n]);
  const x = g.label(op.reshape(op.gather(C, ctx), ['B', n * d]), 'x'); // [B, n d]
  const hidden = g.label(op.tanh(op.add(op.matmul(x, W1), b1)), 'hidden'); // [B, H]
  let logits = op.add(op.matmul(hidden, W2), b2); // [B, d] tied, [B, V] untied
  if (config.direct) {
    const Wd = g.param('Wd', [n * d, out], normal(n * d * out, 0.01)); // [n d, d] or [n d, V]
    params.push(Wd);
    logits = op.add(logits, op.matmul(x, Wd)); // + [B, n d] @ [n d, out]
  }
  if (tied) {
    const bOut = g.param('b', [V], prior); // [V]
    params.push(bOut);
    logits = op.add(op.matmul(logits, op.transpose(C, [1, 0])), bOut); // [B, d] @ [d, V] -> [B, V]
  }
  g.label(logits, 'logits');
  const probs = op.softmax(logits, -1); // [B, V]
  return { graph: g, config, ctx, hidden, logits, probs, params };
}

/** The training graph's extra parts: targets [B, 1] and the mean cross-entropy. */
export function withLoss(m: Nnlm): { targets: Tensor; loss: Tensor } {
  const targets = m.graph.input('targets', 'int64', ['B', 1]);
  return { targets, loss: op.crossEntropy(m.logits, targets) };
}

export function parameterCount(m: Nnlm): number {
  return m.params.reduce((s, p) => s + p.size, 0);
}
