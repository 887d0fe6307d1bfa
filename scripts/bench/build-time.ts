/**
 * Work chapter 5's figures do in Node or in one call rather than per keystroke, timed here
 * instead of in tests (a wall-clock bound in a test fails on a busy machine and proves
 * nothing): the head gallery's build-time measurement (target: under 5 s, so that it stays a
 * small part of a build) and figure 5.3's ranking of a 5,000-word distribution by sampling.ts
 * pickToken, at the figure's default settings, against a plain comparator sort of the same numbers (target: at least twice as fast;
 * the plain sort took longer than the model's step). Medians of `runs`.
 */
import { measureGallery } from '../../src/components/ch5/gallery/build';
import { Rng } from '../../src/models/rng';
import { generateGptMeta } from '../../src/components/ch5/generate/meta';
import { pickToken } from '../../src/models/sample';
import { wordsData } from '../../src/models/words/data';
import { summarize, type Summary } from './stats';

export const GALLERY_TARGET_MS = 5000;
export const SAMPLING_TARGET_RATIO = 2;

export interface BuildTimeBench {
  galleryMs: Summary;
  galleryMet: boolean;
  /** ms per 50 draws from a 5,000-word distribution with many ties. */
  samplingFastMs: Summary;
  samplingPlainMs: Summary;
  samplingSpeedup: number;
  samplingMet: boolean;
}

function must(s: Summary | null): Summary {
  if (!s) throw new Error('build-time bench: no finite sample');
  return s;
}

export async function buildTimeBench(runs = 3): Promise<BuildTimeBench> {
  wordsData(); // the corpus is shared with chapter 2's figures in a build: not the gallery's cost
  const gallery: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await measureGallery();
    gallery.push(Math.round(performance.now() - t0));
  }

  const r = new Rng(3);
  const probs = Float32Array.from({ length: 5000 }, () => Math.floor(r.next() * 50) / 50);
  const plain = Array.from(probs); // a plain array takes pickToken's comparator-sort path
  const timed = (p: ArrayLike<number>) => {
    const rng = new Rng(1);
    const t0 = performance.now();
    const { t, k, p: topP } = generateGptMeta.defaults; // figure 5.3's settings
    for (let i = 0; i < 50; i++)
      pickToken(p, { temperature: t, topK: k, topP }, rng, (id) => id !== 1);
    return performance.now() - t0;
  };
  timed(probs);
  timed(plain);
  const fast: number[] = [];
  const slow: number[] = [];
  for (let i = 0; i < Math.max(5, runs); i++) {
    fast.push(timed(probs));
    slow.push(timed(plain));
  }
  const galleryMs = must(summarize(gallery));
  const samplingFastMs = must(summarize(fast));
  const samplingPlainMs = must(summarize(slow));
  const samplingSpeedup = Math.round((samplingPlainMs.median / samplingFastMs.median) * 100) / 100;
  return {
    galleryMs,
    galleryMet: galleryMs.median < GALLERY_TARGET_MS,
    samplingFastMs,
    samplingPlainMs,
    samplingSpeedup,
    samplingMet: samplingSpeedup >= SAMPLING_TARGET_RATIO,
  };
}
