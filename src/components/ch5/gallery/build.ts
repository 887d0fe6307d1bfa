/**
 * Build-time measurement for figure 5.5 (Node only: never import from an island): every head of
 * the words GPT scored (./scores.ts) on a sample of held-out State of the Union sentences and on
 * repeated random tokens, with onnxruntime-node on the shipped inspect graph. Computed once per
 * build process (the chapter page and the embed page share it).
 */
import { sequenceAt, sequenceCount } from '../../../models/positions';
import { Rng } from '../../../models/rng';
import { loadCard, nodeSequence } from '../../../models/runtime/node';
import { wordsData } from '../../../models/words/data';
import { isPunctuation } from '../../../models/words/tokenizer';
import { BOUNDARY_ID, UNK_ID } from '../../../models/words/vocab';
import { readAttention } from '../attention';
import { WORDS_GPT } from '../build';
import {
  classify,
  emptyTallies,
  meanScores,
  repeatedSequence,
  secondHalf,
  SCORE_KINDS,
  tallyAttention,
  type HeadScores,
} from './scores';
import { GALLERY, type GalleryData } from './meta';

/**
 * One measurement of every head (uncached: the bench times it). Nothing in it depends on the
 * clock: the page is the same bytes every build, so the service worker's build id only changes
 * when something did.
 */
export async function measureGallery(): Promise<GalleryData> {
  const card = await loadCard(WORDS_GPT);
  const m = await nodeSequence(WORDS_GPT);
  const d = wordsData();
  if (d.vocab.words.join('\n') !== card.vocabulary.join('\n'))
    throw new Error(`${WORDS_GPT}'s vocabulary is not chapter 2's`);
  const layers = Number(card.config['layers']);
  const heads = Number(card.config['heads']);
  const shape = { layers, heads };
  const punct = (id: number) => isPunctuation(d.vocab.word(id));
  const skip = (id: number) => id === BOUNDARY_ID || id === UNK_ID;

  // Held-out sentences that fit the context with their <s>, spread evenly over the split.
  const held = d.seqs.heldOut;
  const fits: number[] = [];
  for (let k = 0; k < sequenceCount(held); k++) {
    const n = sequenceAt(held, k).length;
    if (n >= GALLERY.minTokens && n + 1 <= m.io.maxLength) fits.push(k);
  }
  const step = Math.max(1, fits.length / GALLERY.sentences);
  const chosen = Array.from(
    { length: Math.min(GALLERY.sentences, fits.length) },
    (_, i) => fits[Math.floor(i * step)] as number,
  );
  const text = emptyTallies(shape);
  let queries = 0;
  for (const k of chosen) {
    const ids = [BOUNDARY_ID, ...sequenceAt(held, k)];
    const a = await readAttention(m.run, ids);
    tallyAttention(text, a.data, shape, ids, punct, skip);
    queries += ids.length - 1;
  }

  // The standard induction test: n random (not punctuation, not special) words, twice.
  const pool: number[] = [];
  for (let id = GALLERY.poolFrom; id < Math.min(card.io.vocab, GALLERY.poolTo); id++)
    if (!punct(id) && !skip(id)) pool.push(id);
  const rng = new Rng(GALLERY.seed);
  const repeated = emptyTallies(shape);
  const n = Math.min(GALLERY.repeatLength, Math.floor((m.io.maxLength - 1) / 2));
  for (let r = 0; r < GALLERY.repeats; r++) {
    const ids = repeatedSequence(pool, n, () => rng.next());
    const a = await readAttention(m.run, ids);
    tallyAttention(repeated, a.data, shape, ids, punct, skip, secondHalf(n));
  }

  const scores: HeadScores[] = text.map((t, k) => ({
    layer: Math.floor(k / heads),
    head: k % heads,
    text: meanScores(t),
    repeated: meanScores(repeated[k] as (typeof repeated)[number]).induction,
  }));
  const round = (x: number) => (Number.isFinite(x) ? Math.round(x * 1e4) / 1e4 : null);
  const data: GalleryData = {
    sample: {
      sentences: chosen.length,
      of: sequenceCount(held),
      queries,
      repeats: GALLERY.repeats,
      repeatLength: n,
    },
    heads: scores.map((s) => {
      const c = classify(s, GALLERY.threshold);
      return {
        layer: s.layer,
        head: s.head,
        scores: Object.fromEntries(
          SCORE_KINDS.map((k) => [k, round(k === 'induction' ? s.repeated : s.text[k])]),
        ) as GalleryData['heads'][number]['scores'],
        inductionText: round(s.text.induction),
        kind: c.kind,
      };
    }),
  };
  return data;
}

let cached: Promise<GalleryData> | undefined;

/** The gallery's measurement, once per build process. */
export function galleryAtBuild(): Promise<GalleryData> {
  cached ??= measureGallery();
  cached.catch(() => (cached = undefined));
  return cached;
}
