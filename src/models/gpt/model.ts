/**
 * Chapter 5's decoder-only Transformer (a GPT), written once. From the one definition come
 * three graphs with the same parameter names and values:
 *
 *   sequence(tokens)   tokens [B, T] -> logits [B, T, V] and every head's attention
 *                      [B, L, H, T, T]: the training graph (with a loss) and the page's
 *                      inspect graph, for any T <= context
 *   step(token, cache) token [B] + keys and values [B, H, P, d] per layer -> logits [B, V] and
 *                      the cache one position longer: the page's generate graph
 *
 *   x      = C[w_t] + P[t]                                  token and position embeddings
 *   x     += attention(layerNorm(x))                        per layer: heads look back
 *   x     += mlp(layerNorm(x))                              per layer: each position alone
 *   logits = layerNorm(x) C^T + b                           tied to the same table C
 *
 * Attention is plain MatMul + additive causal mask + Softmax (nn/attention.ts).
 */
import type { Graph, Tensor } from '../graph/graph';
import * as op from '../graph/ops';
import * as nn from '../nn';
import { Rng } from '../rng';

export interface GptConfig {
  vocab: number;
  /** The longest text the model reads at once (positions 0 .. context - 1). */
  context: number;
  layers: number;
  heads: number;
  /** Residual stream width C. */
  width: number;
  /** Hidden width of each MLP block. */
  mlp: number;
  /** Standard deviation of the initial token and position embeddings. */
  embedInit: number;
  seed: number;
  /**
   * Dropout rate while training (0: none). Applied to the embeddings and to each block's
   * attention and MLP outputs before they join the residual stream; never in the shipped graphs.
   */
  dropout?: number;
}

/**
 * Where training drops units: `site` names the place ('emb', 'block0.att', 'block0.mlp', ...);
 * the training graph multiplies x by a mask it is fed (train/dropout.ts), the shipped graphs pass none.
 */
export type Dropout = (x: Tensor, site: string) => Tensor;

export interface SequenceOptions {
  dropout?: Dropout;
  /**
   * Training on packed rows (positions.ts packedRows): each position's index within its own
   * sequence, int64 [B, T], and the additive mask [B, T, T] that keeps each sequence to itself.
   * Without it: positions 0 .. T-1 and the causal mask, one sequence per row.
   */
  packed?: { positions: Tensor; mask: Tensor };
}

export interface GptDef {
  config: GptConfig;
  params: Tensor[];
  /** tokens int64 [B, T] -> logits [B, T, V], attention [B, L, H, T, T] */
  sequence(tokens: Tensor, opts?: SequenceOptions): { logits: Tensor; attention: Tensor };
  /**
   * token int64 [B] and, per layer, the keys and values of the P positions so far, [B, H, P, d]
   * each (P symbolic 'P') -> logits [B, V], the caches one longer ('P1'), attention [B, L, H, P+1]
   */
  step(
    token: Tensor,
    caches: { keys: Tensor; values: Tensor }[],
  ): { logits: Tensor; caches: { keys: Tensor; values: Tensor }[]; attention: Tensor };
}

export type Gpt = (g: Graph) => GptDef;

/** Head width d = C / H. */
export function headWidth(c: GptConfig): number {
  return c.width / c.heads;
}

export function gpt(config: GptConfig): Gpt {
  const { vocab, context, layers, heads, width, mlp } = config;
  if (width % heads !== 0) throw new Error(`gpt: ${heads} heads do not divide width ${width}`);
  return (g) => {
    // A fresh store from the same seed: every graph gets the same names and initial values.
    const p = new nn.Params(g, new nn.ParamStore(new Rng(config.seed)));
    const emb = nn.embeddingParams(p.scope('emb'), vocab, width, config.embedInit);
    const pos = p.normal('pos', [context, width], config.embedInit);
    // Residual projections start small, so that the stream begins near the embeddings
    // (GPT-2 scales them by 1 / sqrt(2 L)).
    const small = 1 / Math.sqrt(2 * layers);
    const blocks = Array.from({ length: layers }, (_, l) => {
      const b = p.scope(`block${l}`);
      const att: nn.Attention = {
        qkv: nn.linearParams(b.scope('att').scope('qkv'), width, 3 * width),
        proj: nn.linearParams(b.scope('att').scope('proj'), width, width, {
          std: small / Math.sqrt(width),
        }),
      };
      const ff: nn.Mlp = {
        fc: nn.linearParams(b.scope('mlp').scope('fc'), width, mlp),
        proj: nn.linearParams(b.scope('mlp').scope('proj'), mlp, width, {
          std: small / Math.sqrt(mlp),
        }),
      };
      return {
        ln1: nn.layerNormParams(b.scope('ln1'), width),
        att,
        ln2: nn.layerNormParams(b.scope('ln2'), width),
        ff,
      };
    });
    const lnF = nn.layerNormParams(p.scope('lnf'), width);
    const bias = p.scope('out').zeros('bias', [vocab]);
    const tableT = op.transpose(emb.table, [1, 0]); // (C, V)
    const params = g.params.map((q) => q.tensor);

    const head = (x: Tensor): Tensor => op.add(op.matmul(nn.layerNorm(x, lnF), tableT), bias);
    const mlpOf = (x: Tensor, l: number, drop: Dropout = (u) => u): Tensor => {
      const b = blocks[l] as (typeof blocks)[number];
      return op.add(x, drop(nn.mlp(nn.layerNorm(x, b.ln2), b.ff), `block${l}.mlp`));
    };

    return {
      config,
      params,
      sequence(tokens, opts = {}) {
        const drop: Dropout = opts.dropout ?? ((u) => u);
        const T = op.slice(op.shapeOf(tokens), 1, 2, 0); // [1] int64
        const t = tokens.shape[1] as string | number;
        const order = g.constant([...Array(context).keys()], [context], 'int64');
        const positions = opts.packed?.positions ?? op.sliceLeading(order, T, [t]); // 0 .. T-1
        const mask = opts.packed
          ? op.unsqueeze(opts.packed.mask, [1]) // (B, 1, T, T): the same for every head
          : op.sliceLeading(op.causalMask(g, context), op.concat([T, T], 0), [t, t]);
        let x = drop(op.add(nn.embedding(tokens, emb), op.gather(pos, positions)), 'emb'); // (B, T, C)
        const maps: Tensor[] = [];
        blocks.forEach((b, l) => {
          const a = nn.selfAttention(nn.layerNorm(x, b.ln1), heads, b.att, { mask });
          maps.push(op.unsqueeze(a.weights, [1])); // (B, 1, H, T, T)
          x = mlpOf(op.add(x, drop(a.out, `block${l}.att`)), l, drop);
        });
        return { logits: head(x), attention: op.concat(maps, 1) };
      },
      step(token, caches) {
        const P = op.slice(op.shapeOf(caches[0]?.keys as Tensor), 2, 3, 0); // [1] int64
        // (B, 1, C): this token at position P
        let x = op.unsqueeze(op.add(nn.embedding(token, emb), op.gather(pos, P)), [1]);
        const next: { keys: Tensor; values: Tensor }[] = [];
        const maps: Tensor[] = [];
        blocks.forEach((b, l) => {
          const cache = caches[l];
          if (!cache) throw new Error(`gpt step: no cache for layer ${l}`);
          const a = nn.selfAttention(nn.layerNorm(x, b.ln1), heads, b.att, {
            cache: { ...cache, length: 'P1' },
          });
          next.push({ keys: a.keys, values: a.values });
          maps.push(op.unsqueeze(a.weights, [1])); // (B, 1, H, 1, P+1)
          x = mlpOf(op.add(x, a.out), l);
        });
        const attention = op.squeeze(op.concat(maps, 1), [3]); // (B, L, H, P+1)
        return { logits: op.squeeze(head(x), [1]), caches: next, attention };
      },
    };
  };
}
