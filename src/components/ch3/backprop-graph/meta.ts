/** Figure "backprop-graph": step through a forward and a backward pass on a drawn graph. */
import { CHAPTER_3 } from '../../ui/chapters';
import { intParam, numParam, type FigureMeta } from '../../ui/meta';
import type { ExampleKind } from './trace';

export interface BackpropGraphState {
  ex: ExampleKind;
  /** 0 = nothing computed yet; 1..n forward (one op each); n+1..2n backward. -1 = everything. */
  step: number;
  /** The expression's inputs. */
  a: number;
  b: number;
  c: number;
  d: number;
  /** Which training example (index into the figure's list) the MLP runs on. */
  i: number;
}

export const MAX_EXAMPLE = 15;
const EXPR_LIMIT = 10;

export const backpropGraphMeta: FigureMeta<BackpropGraphState> = {
  id: 'backprop-graph',
  number: '3.1',
  title: 'Forward, then backward, through a computational graph',
  caption:
    'Each box is one node of the graph our builder made (read from Graph.nodes, laid out automatically). Step forward and every node gets its value; step backward and every node gets ∂L/∂(its value), while each edge carries the consumer’s local derivative times the gradient from above. “Check” compares one gradient with a finite difference from two extra forward runs.',
  chapter: CHAPTER_3,
  models: [],
  runtime: 'onnxruntime',
  defaults: { ex: 'expr', step: -1, a: 1.5, b: -0.8, c: 2, d: 0.5, i: 3 },
  embedHeight: 970,
  teaching: {
    shows:
      'A small computational graph stepped through by hand: the forward pass gives every node its value, the backward pass its gradient, each edge its local derivative.',
    lesson:
      'Step the graph together on the board: students predict the next gradient from the one above and the local derivative before clicking.',
    exercise:
      'Pick one input and compute its gradient by the chain rule on paper, then use Check to compare with the finite difference the figure computes.',
  },
  parse(q) {
    const d = this.defaults;
    const ex = q.get('ex');
    const num = (k: 'a' | 'b' | 'c' | 'd'): number =>
      Math.round(numParam(q, k, d[k], -EXPR_LIMIT, EXPR_LIMIT) * 1000) / 1000;
    return {
      ex: ex === 'mlp' || ex === 'expr' ? ex : d.ex,
      step: intParam(q, 'step', d.step, -1, 200),
      a: num('a'),
      b: num('b'),
      c: num('c'),
      d: num('d'),
      i: intParam(q, 'i', d.i, 0, MAX_EXAMPLE),
    };
  },
  serialize(s) {
    const q = new URLSearchParams({ ex: s.ex, step: String(s.step) });
    if (s.ex === 'expr') for (const k of ['a', 'b', 'c', 'd'] as const) q.set(k, String(s[k]));
    else q.set('i', String(s.i));
    return q;
  },
};
