/**
 * The nn/ layers as whole blocks, checked with the same float64 finite-difference harness as
 * the single ops: recurrent cells unrolled over two steps with shared weights (so the check
 * covers backpropagation through time, where a weight's gradient is the sum over steps), and
 * one causal self-attention block with two heads.
 */
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../src/models/graph/graph';
import * as op from '../../src/models/graph/ops';
import * as nn from '../../src/models/nn';
import { gpt } from '../../src/models/gpt/model';
import { Rng } from '../../src/models/rng';
import { gradcheck, TOLERANCE, type Case } from './gradcheck-harness';

const B = 2;
const T = 2;
const C = 3;
const H = 4;

/** Loss input: the hidden state of every step, (B, T, H), so both steps feed the loss. */
const stacked = (hs: Tensor[]): Tensor =>
  op.concat(
    hs.map((h) => op.unsqueeze(h, [1])),
    1,
  );

const cases: Record<string, Case> = {
  'RNN cell, two steps, shared weights': {
    build: ({ g, p }) => {
      const w = nn.rnnParams(new nn.Params(g, new nn.ParamStore(new Rng(3)), 'rnn.'), C, H);
      const states = nn.unroll(p([B, T, C]), { h: p([B, H], { scale: 0.5 }) }, (xt, s) =>
        nn.rnnCell(xt, s, w),
      );
      return stacked(states.map((s) => s.h));
    },
  },
  'GRU cell, two steps, shared weights': {
    build: ({ g, p }) => {
      const w = nn.gruParams(new nn.Params(g, new nn.ParamStore(new Rng(4)), 'gru.'), C, H);
      // Give the biases non-zero values so that their gradients are checked away from 0 too.
      g.setParamValues(
        w.b,
        Array.from({ length: 3 * H }, (_, k) => Math.sin(k)),
      );
      const states = nn.unroll(p([B, T, C]), { h: p([B, H], { scale: 0.5 }) }, (xt, s) =>
        nn.gruCell(xt, s, w),
      );
      return stacked(states.map((s) => s.h));
    },
  },
  'LSTM cell, two steps, shared weights, loss from both steps': {
    build: ({ g, p }) => {
      const w = nn.lstmParams(new nn.Params(g, new nn.ParamStore(new Rng(5)), 'lstm.'), C, H);
      const state0 = { h: p([B, H], { scale: 0.5 }), c: p([B, H], { scale: 0.5 }) };
      const states = nn.unroll(p([B, T, C]), state0, (xt, s) => nn.lstmCell(xt, s, w));
      // One set of weights however many steps: the steps share them.
      expect(g.params.map((q) => q.tensor.name).filter((n) => n.startsWith('lstm.'))).toEqual([
        'lstm.wx',
        'lstm.wh',
        'lstm.b',
      ]);
      const last = states[T - 1] as nn.LstmStep;
      // Both steps' h, and the last cell state c.
      return op.concat([stacked(states.map((s) => s.h)), op.unsqueeze(last.c, [1])], 1);
    },
  },
  'causal self-attention, 2 heads, [B=2, T=4, C=8]': {
    build: ({ g, p }) => {
      const w = nn.attentionParams(new nn.Params(g, new nn.ParamStore(new Rng(6)), 'attn.'), 8);
      g.setParamValues(
        w.qkv.bias!,
        Array.from({ length: 24 }, (_, k) => 0.3 * Math.cos(k)),
      );
      return nn.causalSelfAttention(p([2, 4, 8]), 2, w).out;
    },
  },
  'layerNorm + MLP (gelu) block with a residual': {
    build: ({ g, p }) => {
      const ps = new nn.Params(g, new nn.ParamStore(new Rng(7)), 'block.');
      const ln = nn.layerNormParams(ps.scope('ln'), 6);
      const m = nn.mlpParams(ps.scope('mlp'), 6);
      g.setParamValues(ln.gain, [1.2, 0.7, 1, 0.9, 1.4, 0.8]);
      const x = p([2, 3, 6]);
      return op.add(x, nn.mlp(nn.layerNorm(x, ln), m));
    },
  },
  'reshapeTail with a symbolic batch and length, (B, T, 6) -> (B, T, 2, 3)': {
    build: ({ p, feed }) => {
      const x = feed(
        'x',
        {
          dtype: 'float64',
          data: Array.from({ length: 36 }, (_, k) => Math.sin(k)),
          dims: [2, 3, 6],
        },
        ['B', 'T', 6],
      );
      const y = op.reshapeTail(op.mul(x, p([6])), 2, [2, 3]); // (B, T, 2, 3), symbolic B and T
      return op.reduceSum(op.mul(y, p([3])), [0, 1]); // (2, 3)
    },
  },
  'a whole GPT (2 layers, 2 heads, width 8), symbolic length, every parameter': {
    build: ({ g, feed }) => {
      const model = gpt({
        vocab: 7,
        context: 5,
        layers: 2,
        heads: 2,
        width: 8,
        mlp: 12,
        embedInit: 0.5,
        seed: 4,
      })(g);
      // Biases and gains away from their initial 0 and 1, so their gradients are checked too.
      const rng = new Rng(8);
      for (const q of g.params)
        if (/bias|gain/.test(q.tensor.name))
          g.setParamValues(
            q.tensor,
            Array.from({ length: q.tensor.size }, () => 1 + 0.3 * rng.normal()),
          );
      const tokens = feed(
        'tokens',
        { dtype: 'int64', data: [0, 3, 1, 6, 0, 2, 2, 5], dims: [2, 4] },
        ['B', 'T'],
      );
      const { logits, attention } = model.sequence(tokens);
      // Attention weighted by a fixed (T, T) pattern (each row of weights sums to 1, so a plain
      // sum would carry no gradient), summed to (L, H); logits summed to (V).
      const r = feed(
        'r',
        {
          dtype: 'float64',
          data: Array.from({ length: 16 }, (_, k) => Math.cos(3 * k)),
          dims: [4, 4],
        },
        ['T', 'T'],
      );
      const heads = op.reduceSum(op.mul(attention, r), [0, 3, 4]); // (L, H)
      return op.concat([op.reduceSum(logits, [0, 1]), op.reshape(heads, [4])], 0);
    },
  },
};

describe('nn blocks: gradients match float64 finite differences', () => {
  for (const [name, c] of Object.entries(cases)) {
    it(name, async () => {
      const err = await gradcheck(name, c);
      if (process.env.GRADCHECK_VERBOSE) console.log(name, err);
      expect(err).toBeLessThanOrEqual(TOLERANCE);
    });
  }
});
