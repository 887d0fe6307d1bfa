/**
 * Every figure's meta, and its number and chapter by id, without the components: what the build's
 * cross-references (src/markdown/remark-apparatus.mjs, wired in astro.config.mjs) read, so that
 * "[@fig:score-name]" prints the number the figure itself shows. The metas are the ones the
 * registry (figures.ts) uses; tests/unit/apparatus.test.ts checks the two list the same ids.
 * Code that needs every meta but no component (Node scripts, unit tests) takes FIGURE_METAS.
 */
import type { FigureMeta } from './ui/meta';
import { bigramTableMeta } from './ch1/bigram-table/meta';
import { sampleNamesMeta } from './ch1/sample-names/meta';
import { scoreNameMeta } from './ch1/score-name/meta';
import {
  corpusGlanceMeta,
  embeddingMeta,
  hiddenMeta,
  lossCurvesMeta,
  nextWordMeta,
} from './ch2/meta';
import { backpropGraphMeta } from './ch3/backprop-graph/meta';
import { VARIANT_METAS } from './ch3/train/variants';
import { gatesMeta } from './ch4/gates/meta';
import { unrolledMeta } from './ch4/unrolled/meta';
import { ladderMeta } from './ch4/ladder/meta';
import { vanishingMeta } from './ch4/vanishing-gradients/meta';
import { generateMeta } from './ch4/generate/meta';
import { neuronsMeta } from './ch4/neurons/meta';
import { oneHeadMeta } from './ch5/one-head/meta';
import { positionsMeta } from './ch5/positions/meta';
import { headsMeta } from './ch5/heads/meta';
import { headGalleryMeta } from './ch5/gallery/meta';
import { generateGptMeta } from './ch5/generate/meta';
import { ladderAllMeta } from './ch5/ladder/meta';

/** Every figure's meta, in registry order. */
export const FIGURE_METAS: readonly FigureMeta<unknown>[] = [
  bigramTableMeta,
  scoreNameMeta,
  sampleNamesMeta,
  corpusGlanceMeta,
  lossCurvesMeta,
  nextWordMeta,
  embeddingMeta,
  hiddenMeta,
  backpropGraphMeta,
  ...Object.values(VARIANT_METAS),
  unrolledMeta,
  generateMeta,
  neuronsMeta,
  gatesMeta,
  vanishingMeta,
  ladderMeta,
  oneHeadMeta,
  positionsMeta,
  headsMeta,
  headGalleryMeta,
  generateGptMeta,
  ladderAllMeta,
] as FigureMeta<unknown>[];

/** id -> { number: "1.2", href: the chapter's path }. */
export const FIGURE_NUMBERS: Record<string, { number: string; href: string }> = Object.fromEntries(
  FIGURE_METAS.map((m) => [m.id, { number: m.number, href: m.chapter.href }]),
);
