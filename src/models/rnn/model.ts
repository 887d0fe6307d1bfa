/**
 * Chapter 4's recurrent language models, written once as one time step (train/recurrent.ts
 * builds the unrolled training graph and the page's step graph from it):
 *
 *   x_t = C[token]                           embedding          (B, E)
 *   state' = cell(x_t, state)                rnn | gru | lstm   (B, H) each
 *   logits = h' Wout + bout                                     (B, V)
 *
 * The state is what the model carries from one character to the next: h for the plain RNN and
 * the GRU, h and c for the LSTM. The internals are what chapter 4's figures show: the hidden
 * state, and each cell's gates.
 */
import type { Tensor } from '../graph/graph';
import * as nn from '../nn';
import { Rng } from '../rng';
import type { Recurrent } from '../train/recurrent';

export type CellKind = 'rnn' | 'gru' | 'lstm';

export interface RecurrentConfig {
  cell: CellKind;
  vocab: number;
  /** Embedding width E. */
  embed: number;
  /** State width H. */
  hidden: number;
  /** Draws the initial weights. */
  seed: number;
}

/** The recurrent model of `config`, as one step; every graph built from it shares its weights. */
export function recurrentLm(config: RecurrentConfig): Recurrent {
  const { cell, vocab, embed, hidden } = config;
  return (g) => {
    // A fresh store from the same seed: the unrolled and the step graph get the same names and
    // the same initial values.
    const p = new nn.Params(g, new nn.ParamStore(new Rng(config.seed)));
    const emb = nn.embeddingParams(p.scope('emb'), vocab, embed);
    const rnn = cell === 'rnn' ? nn.rnnParams(p.scope('rnn'), embed, hidden) : undefined;
    const gru = cell === 'gru' ? nn.gruParams(p.scope('gru'), embed, hidden) : undefined;
    const lstm = cell === 'lstm' ? nn.lstmParams(p.scope('lstm'), embed, hidden) : undefined;
    const out = nn.linearParams(p.scope('out'), hidden, vocab, { std: 0.1 });
    const state =
      cell === 'lstm'
        ? [
            { name: 'h', size: hidden },
            { name: 'c', size: hidden },
          ]
        : [{ name: 'h', size: hidden }];
    return {
      vocab,
      state,
      params: g.params.map((q) => q.tensor),
      step(token, [h, c]) {
        const x = nn.embedding(token, emb); // (B, E)
        const prev = h as Tensor;
        if (rnn) {
          const s = nn.rnnCell(x, { h: prev }, rnn);
          return { logits: nn.linear(s.h, out), state: [s.h], internals: { hidden: s.h } };
        }
        if (gru) {
          const s = nn.gruCell(x, { h: prev }, gru);
          return {
            logits: nn.linear(s.h, out),
            state: [s.h],
            internals: { hidden: s.h, update: s.z, reset: s.r },
          };
        }
        const s = nn.lstmCell(x, { h: prev, c: c as Tensor }, lstm as nn.LstmParams);
        return {
          logits: nn.linear(s.h, out),
          state: [s.h, s.c],
          internals: { hidden: s.h, input: s.i, forget: s.f, output: s.o },
        };
      },
    };
  };
}
