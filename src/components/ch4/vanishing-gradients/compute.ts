/**
 * Figure 4.5's numbers for a text, the same at build time (onnxruntime-node) and in the page
 * (onnxruntime-web): the reader's text read as a name (chapter 1's vocabulary), then one run of
 * each cell's gradient graph (models/rnn/gradients.ts). Browser-safe.
 */
import { encodeName, type EncodedName } from '../../../models/names/vocab';
import { bpttNorms, GRAD_STEPS, type BpttResult } from '../../../models/rnn/bptt';
import type { GraphRunner } from '../../../models/train/step';

/** Letters read at most: the graph's positions less the start marker. */
export const MAX_LETTERS = GRAD_STEPS - 1;

export const CELLS = ['rnn', 'gru', 'lstm'] as const;
export type Cell = (typeof CELLS)[number];

export interface Vanishing {
  /** The raw text these numbers are for. */
  text: string;
  encoded: EncodedName;
  /** The letters read (after lowercasing, skipping and truncation). */
  read: string;
  /** Letters beyond MAX_LETTERS left out. */
  cut: number;
  cells: Partial<Record<Cell, BpttResult>>;
}

export async function vanishing(
  runners: Partial<Record<Cell, GraphRunner>>,
  text: string,
): Promise<Vanishing> {
  const encoded = encodeName(text);
  const ids = encoded.ids.slice(0, MAX_LETTERS);
  const cells: Vanishing['cells'] = {};
  for (const cell of CELLS) {
    const r = runners[cell];
    if (r) cells[cell] = await bpttNorms(r, ids);
  }
  return {
    text,
    encoded,
    read: encoded.text.slice(0, MAX_LETTERS),
    cut: Math.max(0, encoded.ids.length - MAX_LETTERS),
    cells,
  };
}
