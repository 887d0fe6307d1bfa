/**
 * Every head's attention for one text, as chapter 5's figures hold it: the inspect graph's
 * `attention` output [1, L, H, T, T] read into a plain [L, H, T, T] array, by whichever runtime
 * (onnxruntime-node at build time, onnxruntime-web in the page). Also a compact packing of it
 * (one byte per weight, base64) for the build-time render's props. Browser-safe.
 */
import type { Out } from '../../models/contract';

export interface Attention {
  layers: number;
  heads: number;
  /** Sequence length: every map is T x T. */
  T: number;
  /** [L, H, T, T], row i of map (l, h) at ((l * H + h) * T + i) * T. */
  data: Float32Array;
}

/** A sequence model's call: tokens [B][T] -> the outputs asked for. */
export type SequenceRun = (
  tokens: readonly (readonly number[])[],
  outputs: readonly string[],
) => Promise<Record<string, Out>>;

export const ATTENTION = 'attention';

/** Run the model on one row of ids and keep only its attention. */
export async function readAttention(run: SequenceRun, ids: readonly number[]): Promise<Attention> {
  const out = (await run([ids], [ATTENTION]))[ATTENTION];
  if (!out) throw new Error('the model returned no attention');
  const [B, L, H, T, T2] = out.dims;
  if (B !== 1 || T !== ids.length || T2 !== ids.length || !L || !H)
    throw new Error(`attention of shape [${out.dims.join(', ')}] for ${ids.length} tokens`);
  return { layers: L, heads: H, T, data: out.data };
}

/** Offset of row i of head (l, h). */
export function rowAt(a: Attention, l: number, h: number, i: number): number {
  return ((l * a.heads + h) * a.T + i) * a.T;
}

/** Query i's weights over keys 0..i under head (l, h). */
export function rowOf(a: Attention, l: number, h: number, i: number): Float32Array {
  const at = rowAt(a, l, h, i);
  return a.data.subarray(at, at + i + 1);
}

const toBase64 = (bytes: Uint8Array): string => {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
};

/** One byte per weight (weight x 255, rounded): what the build-time render needs, compactly. */
export function packAttention(a: Attention): {
  layers: number;
  heads: number;
  T: number;
  bytes: string;
} {
  const bytes = new Uint8Array(a.data.length);
  for (let i = 0; i < bytes.length; i++)
    bytes[i] = Math.round(Math.min(1, Math.max(0, a.data[i] ?? 0)) * 255);
  return { layers: a.layers, heads: a.heads, T: a.T, bytes: toBase64(bytes) };
}

export type PackedAttention = ReturnType<typeof packAttention>;

export function unpackAttention(p: PackedAttention): Attention {
  const s = atob(p.bytes);
  const data = new Float32Array(s.length);
  for (let i = 0; i < s.length; i++) data[i] = s.charCodeAt(i) / 255;
  return { layers: p.layers, heads: p.heads, T: p.T, data };
}
