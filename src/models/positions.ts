/**
 * The positions every model of a corpus is trained and scored on, whatever its io kind.
 *
 * A split is a list of sequences of token ids (a name's characters; a sentence's words), with
 * no boundary markers. Id 0 is the boundary in every vocabulary of the book ('.' for names,
 * `<s>` for words). A sequence of n tokens gives n + 1 predictions: each token, then the
 * boundary that ends it; the context of prediction i is the boundary followed by tokens 0..i-1,
 * and nothing from the sequence before (sentence boundaries are hard).
 *
 *   window    context = the last n ids of (boundary x n, tokens 0..i-1)   [today's Examples]
 *   sequence  input row (boundary, tokens 0..n-1) -> targets (tokens 0..n-1, boundary); a row
 *             longer than the model's maxLength is cut into windows (see sequenceRows)
 *   step      the same row, fed one token at a time from the zero state
 *
 * So a window model, a sequence model and a step model of one corpus are scored on exactly the
 * same predictions: the ladder compares like with like. Browser-safe.
 */

export const BOUNDARY_ID = 0;

/** Sequences, flat: sequence k is ids[offsets[k] .. offsets[k + 1]). */
export interface Sequences {
  ids: Int32Array;
  /** Length count + 1, starting at 0. */
  offsets: Int32Array;
}

/** (context, next id) pairs, flat: contexts [N * context], targets [N]. */
export interface Examples {
  contexts: Int32Array;
  targets: Int32Array;
}

export function sequencesOf(list: readonly (readonly number[])[]): Sequences {
  const offsets = new Int32Array(list.length + 1);
  list.forEach((s, k) => (offsets[k + 1] = (offsets[k] as number) + s.length));
  const ids = new Int32Array(offsets[list.length] as number);
  list.forEach((s, k) => ids.set(s, offsets[k] as number));
  return { ids, offsets };
}

export function sequenceCount(s: Sequences): number {
  return s.offsets.length - 1;
}

export function sequenceAt(s: Sequences, k: number): Int32Array {
  return s.ids.subarray(s.offsets[k] as number, s.offsets[k + 1] as number);
}

/** Number of predictions: every token plus one end per sequence. */
export function predictionCount(s: Sequences): number {
  return s.ids.length + sequenceCount(s);
}

/** The window model's view of the positions: one (context, target) row per prediction. */
export function windowExamples(s: Sequences, context: number): Examples {
  const n = predictionCount(s);
  const contexts = new Int32Array(n * context); // zeros: the boundary pads every context
  const targets = new Int32Array(n);
  let row = 0;
  for (let k = 0; k < sequenceCount(s); k++) {
    const seq = sequenceAt(s, k);
    for (let i = 0; i <= seq.length; i++, row++) {
      // the context ids are seq[i - context .. i - 1]; before the start, the boundary (0)
      for (let j = 0; j < context; j++) {
        const src = i - context + j;
        if (src >= 0) contexts[row * context + j] = seq[src] as number;
      }
      targets[row] = i < seq.length ? (seq[i] as number) : BOUNDARY_ID;
    }
  }
  return { contexts, targets };
}

/**
 * Rows of a sequence model's input, all `length` long: tokens [N * length] (boundary, then the
 * sequence), targets [N * length] (the sequence, then the boundary), weights [N * length]: 1
 * where the position is a prediction to count, 0 for padding (and for positions a longer
 * sequence's previous window already counted).
 *
 * A sequence whose n + 1 predictions fit in `length` is one row. A longer one is cut into
 * windows of `length` with a stride of `stride` (default length / 2): the first window counts
 * all its positions, each later window counts only its last `stride`, so every prediction is
 * counted exactly once, with at least length - stride tokens of context, and each row is
 * independent (no state carried between rows: truncated backprop through time, in training).
 */
export interface SequenceRows {
  length: number;
  tokens: Int32Array;
  targets: Int32Array;
  weights: Float32Array;
  /** Number of rows. */
  count: number;
  /** Number of positions with weight 1: equals predictionCount of the sequences. */
  positions: number;
}

export function sequenceRows(
  s: Sequences,
  length: number,
  stride = Math.max(1, length >> 1),
): SequenceRows {
  if (!(Number.isInteger(length) && length >= 1 && stride >= 1 && stride <= length))
    throw new Error(`sequenceRows: length ${length}, stride ${stride}`);
  // A window: the row covers positions a .. a + length - 1 and counts positions from .. to - 1.
  const windows: { seq: Int32Array; a: number; from: number; to: number }[] = [];
  for (let k = 0; k < sequenceCount(s); k++) {
    const seq = sequenceAt(s, k);
    const n = seq.length + 1;
    windows.push({ seq, a: 0, from: 0, to: Math.min(length, n) });
    for (let from = length; from < n; from += stride) {
      const to = Math.min(from + stride, n);
      windows.push({ seq, a: to - length, from, to });
    }
  }
  const N = windows.length;
  const tokens = new Int32Array(N * length);
  const targets = new Int32Array(N * length);
  const weights = new Float32Array(N * length);
  let positions = 0;
  windows.forEach(({ seq, a, from, to }, b) => {
    for (let t = 0; t < length; t++) {
      const p = a + t; // position in the sequence: input seq[p - 1] (the boundary at 0)
      if (p > seq.length) break;
      tokens[b * length + t] = p === 0 ? BOUNDARY_ID : (seq[p - 1] as number);
      targets[b * length + t] = p < seq.length ? (seq[p] as number) : BOUNDARY_ID;
      if (p >= from && p < to) {
        weights[b * length + t] = 1;
        positions++;
      }
    }
  });
  return { length, tokens, targets, weights, count: N, positions };
}

/**
 * Training rows with several sequences packed into each (for a Transformer, whose cost is per
 * row position, not per sequence): the same segments as sequenceRows (a sequence that fits is
 * one segment; a longer one, its windows), placed greedily one after another in rows of
 * `length`. `segments` numbers each position's segment within its row (-1: padding) and
 * `offsets` gives its position within the segment, so that the model can be made to see each
 * segment exactly as sequenceRows' row would show it: positions from 0, attending only within
 * its own segment (trainer: an additive mask, positions.ts packedMask).
 */
export interface PackedRows extends SequenceRows {
  segments: Int32Array;
  offsets: Int32Array;
}

export function packedRows(s: Sequences, length: number): PackedRows {
  const one = sequenceRows(s, length);
  // Each sequenceRows row is one segment: its used prefix is where tokens are defined.
  const segs: { row: number; used: number }[] = [];
  for (let r = 0; r < one.count; r++) {
    let used = 0;
    for (let t = 0; t < length; t++) {
      const i = r * length + t;
      // a position is used if it is counted, or lies before a counted one (a window's context)
      if ((one.weights[i] as number) > 0) used = t + 1;
    }
    segs.push({ row: r, used });
  }
  const rows: { row: number; used: number }[][] = [];
  let current: { row: number; used: number }[] = [];
  let fill = 0;
  for (const seg of segs) {
    if (fill + seg.used > length) {
      rows.push(current);
      current = [];
      fill = 0;
    }
    current.push(seg);
    fill += seg.used;
  }
  if (current.length) rows.push(current);
  const N = rows.length;
  const tokens = new Int32Array(N * length);
  const targets = new Int32Array(N * length);
  const weights = new Float32Array(N * length);
  const segments = new Int32Array(N * length).fill(-1);
  const offsets = new Int32Array(N * length);
  rows.forEach((list, b) => {
    let at = b * length;
    list.forEach((seg, k) => {
      const from = seg.row * length;
      tokens.set(one.tokens.subarray(from, from + seg.used), at);
      targets.set(one.targets.subarray(from, from + seg.used), at);
      weights.set(one.weights.subarray(from, from + seg.used), at);
      for (let t = 0; t < seg.used; t++) {
        segments[at + t] = k;
        offsets[at + t] = t;
      }
      at += seg.used;
    });
  });
  return {
    length,
    tokens,
    targets,
    weights,
    count: N,
    positions: one.positions,
    segments,
    offsets,
  };
}

/**
 * The additive attention mask [length, length] of packed row `row`: 0 where key j is in query
 * i's segment and j <= i, MASKED elsewhere (other segments, the future); a padding position
 * attends to itself only.
 */
export function packedMask(p: PackedRows, row: number, out: Float32Array, masked: number): void {
  const L = p.length;
  const seg = p.segments.subarray(row * L, (row + 1) * L);
  for (let i = 0; i < L; i++)
    for (let j = 0; j < L; j++) {
      const same = seg[i] === -1 ? i === j : seg[i] === seg[j] && j <= i;
      out[i * L + j] = same ? 0 : masked;
    }
}
