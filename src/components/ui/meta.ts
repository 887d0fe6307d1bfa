/**
 * What every figure declares about itself, shared by the chapter, the embed pages and the
 * islands (so this file must stay free of .astro imports and Node-only code).
 */
import type { ModelId } from '../../models/contract';
import type { Chapter } from './chapters';

export interface FigureMeta<S> {
  id: string;
  /** "1.2": chapter.figure. */
  number: string;
  title: string;
  caption: string;
  chapter: Chapter;
  /** Model ids the figure runs, e.g. ['unigram', 'bigram', 'mlp'] or ['nnlm', 'ngram']. */
  models: readonly ModelId[];
  /**
   * How it computes in the page: 'onnxruntime' runs graphs (its model files, or graphs it builds
   * itself) in onnxruntime-web and shows the status strip (build-time render / loading / live on
   * WASM or WebGPU / error); 'page' is plain TypeScript over data that came with the page.
   */
  runtime: 'onnxruntime' | 'page';
  defaults: S;
  /**
   * The height in CSS pixels of the iframe the Embed box offers: enough for the figure in its
   * default state, its caption and the link back at 900 px wide (measured; tests/e2e/embed-host
   * checks it). Hosts that run the listener script fit the iframe to the figure instead.
   */
  embedHeight: number;
  /** For teachers (the "For teachers" page): in the book's words, no number a model produced. */
  teaching: Teaching;
  /** URL query -> state. Anything missing or malformed falls back to the default. */
  parse(query: URLSearchParams): S;
  /** State -> URL query; parse(serialize(s)) equals s. */
  serialize(state: S): URLSearchParams;
}

export interface Teaching {
  /** What the figure shows, in a sentence or two. */
  shows: string;
  /** A way to use it in a lesson. */
  lesson: string;
  /** An exercise a student does with the live figure. */
  exercise: string;
}

/** An integer parameter, clamped; NaN/absent gives the fallback. */
export function intParam(
  q: URLSearchParams,
  key: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = q.get(key);
  const n = raw === null || raw.trim() === '' ? NaN : Number(raw);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, Math.trunc(n))) : fallback;
}

/** A real-valued parameter, clamped; NaN/absent gives the fallback. */
export function numParam(
  q: URLSearchParams,
  key: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = q.get(key);
  const n = raw === null || raw.trim() === '' ? NaN : Number(raw);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback;
}
