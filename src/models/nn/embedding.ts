/**
 * An embedding: row `id` of a table (V, D) for each integer id.
 */
import type { Tensor } from '../graph/graph';
import * as op from '../graph/ops';
import type { Params } from './params';

export interface Embedding {
  /** (V, D) */
  table: Tensor;
}

export function embeddingParams(p: Params, vocab: number, dim: number, std = 1): Embedding {
  return { table: p.normal('table', [vocab, dim], std) };
}

/** ids int64 (...) -> (..., D). The gradient adds up into the rows that were picked. */
export function embedding(ids: Tensor, w: Embedding): Tensor {
  return op.gather(w.table, ids);
}
