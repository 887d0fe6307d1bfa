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

/** How far back the typical name's gradient reaches: figure 4.5's reference, at build time. */
export interface Typical {
  /** Held-out names with at least `lag` letters. */
  names: number;
  lag: number;
  /** Geometric mean over those names of ||dL/dh_{T-lag}|| / ||dL/dh_T||, per cell. */
  ratio: Partial<Record<Cell, number>>;
}

export async function typicalDecay(
  runners: Partial<Record<Cell, GraphRunner>>,
  heldOut: readonly string[],
  lag = 8,
): Promise<Typical> {
  const names = heldOut.filter((n) => n.length >= lag && n.length <= MAX_LETTERS);
  const ratio: Typical['ratio'] = {};
  for (const cell of CELLS) {
    const r = runners[cell];
    if (!r || names.length === 0) continue;
    let sum = 0;
    for (const n of names) {
      const { byLag } = await bpttNorms(r, encodeName(n).ids);
      sum += Math.log((byLag[lag] as number) / (byLag[0] as number));
    }
    ratio[cell] = Math.exp(sum / names.length);
  }
  return { names: names.length, lag, ratio };
}
