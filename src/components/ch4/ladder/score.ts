/**
 * Figure 4.6's scoring: the reader's text, read the way each corpus's models read it, scored
 * by any model of the contract, the same at build time (onnxruntime-node) and in the page.
 *
 * A text becomes sequences (a name; or the sentences of a phrase) and each sequence is scored
 * on positions.ts's predictions: every token, then the boundary that ends it (a name always
 * ends; a sentence only when the reader closed it with . ? or !). So the reader's text is
 * scored on the same kind of predictions as the held-out numbers of the cards.
 *   window    one batch of (context, target) rows, the context padded with the boundary (id 0)
 *   sequence  one batch of rows (boundary, tokens...) for the whole text, every position at
 *             once; a sequence longer than the model's positions is cut into windows that
 *             overlap by half, as positions.ts's sequenceRows does for the held-out numbers
 *   step      each sequence streamed from the zero state, one token per call
 * Browser-safe.
 */
import type { Predict } from '../../../models/contract';
import { sequenceRows, sequencesOf } from '../../../models/positions';
import { MAX_SCORED_CHARS } from '../../../models/names/lm';
import { BOUNDARY, encodeName, VOCAB as NAME_VOCAB } from '../../../models/names/vocab';
import type { State, StepResult } from '../../../models/runtime/run';
import { MAX_PHRASE_CHARS } from '../../../models/words/lm';
import {
  BOUNDARY as WORD_BOUNDARY,
  UNK,
  sentences,
  tokenize,
} from '../../../models/words/tokenizer';
import type { Vocabulary } from '../../../models/words/vocab';

/** A model as the ladder runs it: either kind of the contract. */
export type Scorer =
  | { kind: 'window'; context: number; predict: Predict }
  | {
      kind: 'sequence';
      /** The most positions one row may hold (the card's io.maxLength). */
      maxLength: number;
      /** Rows [B][T] -> logprobs [B * T * V]. */
      run: (rows: number[][]) => Promise<Float32Array>;
    }
  | {
      kind: 'step';
      step: (token: readonly number[], state: State) => Promise<StepResult>;
      initial: () => State;
    };

/** One sequence of token ids (no boundaries), and whether its end is predicted too. */
export interface Seq {
  ids: number[];
  end: boolean;
}

/** P(target) of every prediction of every sequence, in order: each token, then the end. */
export async function sequenceProbs(
  scorer: Scorer,
  seqs: readonly Seq[],
  vocab: number,
): Promise<number[][]> {
  const targets = seqs.map((s) => (s.end ? [...s.ids, 0] : [...s.ids]));
  const pick = (row: ArrayLike<number>, offset: number, target: number): number => {
    const p = row[offset + target];
    return typeof p === 'number' && Number.isFinite(p) ? p : NaN;
  };
  if (scorer.kind === 'window') {
    const n = scorer.context;
    const contexts: number[][] = [];
    for (const [k, s] of seqs.entries()) {
      const padded = [...new Array<number>(n).fill(0), ...s.ids];
      (targets[k] as number[]).forEach((_, i) => contexts.push(padded.slice(i, i + n)));
    }
    const out = contexts.length ? await scorer.predict(contexts) : new Float32Array(0);
    if (out.length !== contexts.length * vocab)
      throw new Error(`model returned ${out.length} probabilities for ${contexts.length} rows`);
    let row = 0;
    return targets.map((ts) => ts.map((t) => pick(out, vocab * row++, t)));
  }
  if (scorer.kind === 'sequence') return sequenceScores(scorer, seqs, targets, vocab);
  const result: number[][] = [];
  for (const [k, s] of seqs.entries()) {
    const ts = targets[k] as number[];
    const probs: number[] = [];
    let state = scorer.initial();
    for (let i = 0; i < ts.length; i++) {
      const out = await scorer.step([i === 0 ? 0 : (s.ids[i - 1] as number)], state);
      if (out.probs.length !== vocab)
        throw new Error(`model returned ${out.probs.length} probabilities; expected ${vocab}`);
      probs.push(pick(out.probs, 0, ts[i] as number));
      state = out.state;
    }
    result.push(probs);
  }
  return result;
}

/**
 * A sequence model on every sequence in one run: sequenceRows' rows (a sequence longer than
 * maxLength - 1 tokens in windows overlapping by half, each prediction counted once), no longer
 * than the longest sequence needs. The end of an open sentence is computed and left out.
 */
async function sequenceScores(
  scorer: Extract<Scorer, { kind: 'sequence' }>,
  seqs: readonly Seq[],
  targets: number[][],
  vocab: number,
): Promise<number[][]> {
  if (seqs.length === 0) return [];
  const longest = Math.max(...seqs.map((s) => s.ids.length + 1));
  const rows = sequenceRows(
    sequencesOf(seqs.map((s) => s.ids)),
    Math.min(scorer.maxLength, longest),
  );
  const L = rows.length;
  const batch = Array.from({ length: rows.count }, (_, b) =>
    Array.from(rows.tokens.subarray(b * L, (b + 1) * L)),
  );
  const out = await scorer.run(batch);
  if (out.length !== rows.count * L * vocab)
    throw new Error(
      `model returned ${out.length} log-probabilities for ${rows.count} rows of ${L}`,
    );
  // Counted positions come in prediction order, sequence by sequence.
  const flat: number[] = [];
  for (let i = 0; i < rows.count * L; i++) {
    if (rows.weights[i] !== 1) continue;
    const lp = out[i * vocab + (rows.targets[i] as number)];
    flat.push(typeof lp === 'number' && Number.isFinite(lp) ? Math.exp(lp) : NaN);
  }
  let at = 0;
  return seqs.map((s, k) => {
    const probs = flat.slice(at, at + s.ids.length + 1);
    at += s.ids.length + 1;
    return probs.slice(0, (targets[k] as number[]).length);
  });
}

/** True when some sequence of `text` is longer than a sequence model's window (`maxLength`). */
export function windowed(text: LadderText, maxLength: number): boolean {
  return text.seqs.some((s) => s.ids.length + 1 > maxLength);
}

/** One predicted token as the figure lists it. */
export interface LadderToken {
  /** As shown: a letter, a word, or the end marker. */
  shown: string;
  /** The vocabulary token the models predict (`<unk>` for a word outside it). */
  token: string;
  /** What the reader typed, when the models saw `<unk>` instead. */
  typed?: string;
  /** Which sequence (sentence) it belongs to. */
  seq: number;
  /** True for the end of a name or sentence. */
  end: boolean;
}

/** The reader's text as the ladder reads it for one corpus. */
export interface LadderText {
  seqs: Seq[];
  tokens: LadderToken[];
  /** Characters no token took (words) or outside a-z (names). */
  dropped: string[];
  /** Letters lowercased (names). */
  lowercased: string[];
  /** Words outside the vocabulary, read as <unk>. */
  unknown: string[];
  /** Tokens (letters or words) left out after the limit. */
  cut: number;
  /** True when the text itself was cut at MAX_PHRASE_CHARS before reading. */
  cutChars: boolean;
}

/** At most this many words are scored (each step model call reads one). */
export const MAX_WORD_TOKENS = 120;
export const MAX_LETTERS = MAX_SCORED_CHARS;
export const END_NAME = '⟨end⟩';
export const END_SENTENCE = '⟨end of sentence⟩';

/** A name: letters a-z (lowercased), the rest skipped; always ends. */
export function readName(raw: string): LadderText {
  const e = encodeName(raw);
  const ids = e.ids.slice(0, MAX_LETTERS);
  const tokens: LadderToken[] = ids.map((id) => {
    const c = NAME_VOCAB[id] ?? BOUNDARY;
    return { shown: c, token: c, seq: 0, end: false };
  });
  tokens.push({ shown: END_NAME, token: BOUNDARY, seq: 0, end: true });
  return {
    seqs: [{ ids, end: true }],
    tokens,
    dropped: e.dropped,
    lowercased: e.lowercased,
    unknown: [],
    cut: Math.max(0, e.ids.length - MAX_LETTERS),
    cutChars: false,
  };
}

/** A phrase: chapter 2's tokenizer and vocabulary; each sentence from its start. */
export function readWords(vocab: Vocabulary, raw: string): LadderText {
  const cutChars = raw.length > MAX_PHRASE_CHARS;
  const { tokens: all, dropped } = tokenize(cutChars ? raw.slice(0, MAX_PHRASE_CHARS) : raw);
  const kept = all.slice(0, MAX_WORD_TOKENS);
  const split = sentences(kept);
  // The last sentence is closed only if the tokenizer would start a new one after it.
  const lastClosed = split.length > 0 && sentences([...kept, 'x']).length > split.length;
  const seqs: Seq[] = [];
  const tokens: LadderToken[] = [];
  const unknown = new Set<string>();
  split.forEach((words, k) => {
    const end = k < split.length - 1 || lastClosed;
    const ids = vocab.encode(words);
    seqs.push({ ids, end });
    words.forEach((w, i) => {
      const known = vocab.has(w);
      if (!known) unknown.add(w);
      tokens.push(
        known
          ? { shown: w, token: w, seq: k, end: false }
          : { shown: UNK, token: vocab.word(ids[i] as number), typed: w, seq: k, end: false },
      );
    });
    if (end) tokens.push({ shown: END_SENTENCE, token: WORD_BOUNDARY, seq: k, end: true });
  });
  return {
    seqs,
    tokens,
    dropped,
    lowercased: [],
    unknown: [...unknown],
    cut: all.length - kept.length,
    cutChars,
  };
}

/** Surprisal in bits of each prediction, flat in the order of `LadderText.tokens`. */
export async function surprisals(
  scorer: Scorer,
  text: LadderText,
  vocab: number,
): Promise<number[]> {
  const probs = await sequenceProbs(scorer, text.seqs, vocab);
  return probs.flat().map((p) => -Math.log2(p));
}

/** One corpus's panel: the text as read and each runnable model's surprisals (bits). */
export interface CorpusScores {
  /** The raw text these are for. */
  raw: string;
  text: LadderText;
  /** By model id, in the order of `text.tokens`. */
  bits: Record<string, number[]>;
}

/** Score `raw` under every scorer of one corpus (names: a-z; words: `vocab`). */
export async function scoreCorpus(
  raw: string,
  scorers: Readonly<Record<string, Scorer>>,
  vocab: Vocabulary | undefined,
): Promise<CorpusScores> {
  const text = vocab ? readWords(vocab, raw) : readName(raw);
  const size = vocab ? vocab.size : NAME_VOCAB.length;
  const bits: Record<string, number[]> = {};
  for (const [id, scorer] of Object.entries(scorers))
    bits[id] = await surprisals(scorer, text, size);
  return { raw, text, bits };
}
