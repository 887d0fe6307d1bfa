/**
 * The graphs made from one GPT definition (model.ts), sharing parameter names and values:
 *
 *   inspectGraph(model)   tokens [B, T] -> logprobs [B, T, V] + attention [B, L, H, T, T], and
 *                         with targets and weights, the training loss (train/recurrent.ts
 *                         sequenceLoss): trained as it is, exported without the loss
 *   generateGraph(model)  token [B] + k0, v0, k1, v1, ... [B, H, P, d] -> probs [B, V], the
 *                         caches one position longer (k0_next, ...), attention [B, L, H, P + 1]
 */
import {
  NEXT,
  TENSOR,
  sequenceIo,
  stepIo,
  type SequenceIo,
  type StateSpec,
  type StepIo,
} from '../contract';
import { Graph, type Tensor } from '../graph/graph';
import * as op from '../graph/ops';
import { sequenceInputs, sequenceLoss } from '../train/recurrent';
import { headWidth, type Gpt, type GptDef } from './model';

/** The extra inputs of a training graph on packed rows (train/packed.ts feeds them). */
export const PACKED = { positions: 'positions', mask: 'mask' } as const;

export interface InspectGraph {
  graph: Graph;
  /** Training only: the dropout mask inputs, each [B, T, C] (train/dropout.ts feeds them). */
  masks: string[];
  def: GptDef;
  params: Tensor[];
  loss: Tensor;
  outputs: { logprobs: Tensor; attention: Tensor };
  io: SequenceIo;
}

export function inspectGraph(
  model: Gpt,
  float: 'float32' | 'float64' = 'float32',
  opts: { dropout?: boolean; packed?: boolean } = {},
): InspectGraph {
  const g = new Graph(opts.dropout ? 'gpt_train' : 'gpt_inspect', float);
  const def = model(g);
  const { tokens, targets, weights } = sequenceInputs(g);
  const masks: string[] = [];
  const dropout = opts.dropout
    ? (x: Tensor, site: string): Tensor => {
        const name = `drop.${site}`;
        masks.push(name);
        return op.mul(x, g.input(name, g.float, [...x.shape]));
      }
    : undefined;
  const packed = opts.packed
    ? {
        positions: g.input(PACKED.positions, 'int64', ['B', 'T']),
        mask: g.input(PACKED.mask, g.float, ['B', 'T', 'T']),
      }
    : undefined;
  const { logits, attention } = def.sequence(tokens, {
    ...(dropout ? { dropout } : {}),
    ...(packed ? { packed } : {}),
  });
  const logprobs = op.logSoftmax(logits, -1);
  const { vocab, context, layers, heads } = def.config;
  return {
    graph: g,
    masks,
    def,
    params: def.params,
    loss: sequenceLoss(logprobs, targets, weights),
    outputs: { logprobs, attention },
    io: sequenceIo(context, vocab, { attention: ['B', layers, heads, 'T', 'T'] }),
  };
}

export interface GenerateGraph {
  graph: Graph;
  outputs: Record<string, Tensor>;
  io: StepIo;
}

/** The state names of layer l's cache. */
export const cacheNames = (l: number) => ({ keys: `k${l}`, values: `v${l}` });

export function generateGraph(model: Gpt): GenerateGraph {
  const g = new Graph('gpt_generate');
  const def = model(g);
  const { vocab, layers, heads } = def.config;
  const d = headWidth(def.config);
  const token = g.input(TENSOR.token, 'int64', ['B']);
  const specs: StateSpec[] = [];
  const caches = Array.from({ length: layers }, (_, l) => {
    const n = cacheNames(l);
    specs.push(
      { name: n.keys, shape: ['B', heads, 'P', d] },
      { name: n.values, shape: ['B', heads, 'P', d] },
    );
    return {
      keys: g.input(n.keys, g.float, ['B', heads, 'P', d]),
      values: g.input(n.values, g.float, ['B', heads, 'P', d]),
    };
  });
  const out = def.step(token, caches);
  const outputs: Record<string, Tensor> = { [TENSOR.probs]: op.softmax(out.logits, -1) };
  out.caches.forEach((c, l) => {
    const n = cacheNames(l);
    outputs[`${n.keys}${NEXT}`] = c.keys;
    outputs[`${n.values}${NEXT}`] = c.values;
  });
  outputs['attention'] = out.attention;
  return {
    graph: g,
    outputs,
    io: stepIo(vocab, specs, { attention: ['B', layers, heads, 'P1'] }),
  };
}
