/**
 * The figure registry: every interactive figure of the book, by id. The embed pages are
 * generated from it (src/pages/embed/[figure].astro); chapters import the same components.
 * Each entry: id, number, title, caption, models, default state, URL-state codec (meta), and
 * the .astro component that renders it at build time and hydrates it in the page, with the
 * props that pick it when one component draws several figures (chapter 3's training figures).
 */
import BigramTable from './ch1/bigram-table/BigramTable.astro';
import { bigramTableMeta } from './ch1/bigram-table/meta';
import SampleNames from './ch1/sample-names/SampleNames.astro';
import { sampleNamesMeta } from './ch1/sample-names/meta';
import ScoreName from './ch1/score-name/ScoreName.astro';
import { scoreNameMeta } from './ch1/score-name/meta';
import CorpusGlance from './ch2/corpus-glance/CorpusGlance.astro';
import Embeddings from './ch2/embed-explorer/Embeddings.astro';
import Hidden from './ch2/hidden/Hidden.astro';
import LossCurves from './ch2/loss-curves/LossCurves.astro';
import {
  corpusGlanceMeta,
  embeddingMeta,
  hiddenMeta,
  lossCurvesMeta,
  nextWordMeta,
} from './ch2/meta';
import NextWord from './ch2/next-word/NextWord.astro';
import BackpropGraph from './ch3/backprop-graph/BackpropGraph.astro';
import { backpropGraphMeta } from './ch3/backprop-graph/meta';
import TrainFigure from './ch3/train/TrainFigure.astro';
import { VARIANT_METAS, type Variant } from './ch3/train/variants';
import Gates from './ch4/gates/Gates.astro';
import { gatesMeta } from './ch4/gates/meta';
import Unrolled from './ch4/unrolled/Unrolled.astro';
import { unrolledMeta } from './ch4/unrolled/meta';
import Ladder from './ch4/ladder/Ladder.astro';
import { ladderMeta } from './ch4/ladder/meta';
import VanishingGradients from './ch4/vanishing-gradients/VanishingGradients.astro';
import { vanishingMeta } from './ch4/vanishing-gradients/meta';
import Generate from './ch4/generate/Generate.astro';
import { generateMeta } from './ch4/generate/meta';
import Neurons from './ch4/neurons/Neurons.astro';
import { neuronsMeta } from './ch4/neurons/meta';
import OneHead from './ch5/one-head/OneHead.astro';
import { oneHeadMeta } from './ch5/one-head/meta';
import Positions from './ch5/positions/Positions.astro';
import { positionsMeta } from './ch5/positions/meta';
import Heads from './ch5/heads/Heads.astro';
import { headsMeta } from './ch5/heads/meta';
import HeadGallery from './ch5/gallery/HeadGallery.astro';
import { headGalleryMeta } from './ch5/gallery/meta';
import GenerateGpt from './ch5/generate/GenerateGpt.astro';
import { generateGptMeta } from './ch5/generate/meta';
import LadderAll from './ch5/ladder/LadderAll.astro';
import { ladderAllMeta } from './ch5/ladder/meta';
import type { FigureMeta } from './ui/meta';

type Renders<P> = (props: P & { embed?: boolean }) => unknown;

export interface FigureEntry<S> extends FigureMeta<S> {
  /** Renders the figure with `props`; `embed` drops the embed button and reads state from the URL. */
  Component: Renders<Record<string, unknown>>;
  props: Record<string, unknown>;
}

function entry<S, P extends Record<string, unknown>>(
  meta: FigureMeta<S>,
  Component: Renders<P>,
  props: P,
): FigureEntry<S> {
  // Checked here against the component's own Props; stored untyped so entries share one type.
  return { ...meta, Component: Component as Renders<Record<string, unknown>>, props };
}

const train = (variant: Variant) => entry(VARIANT_METAS[variant], TrainFigure, { variant });

export const FIGURES = {
  // Chapter 1
  'bigram-table': entry(bigramTableMeta, BigramTable, {}),
  'score-name': entry(scoreNameMeta, ScoreName, {}),
  'sample-names': entry(sampleNamesMeta, SampleNames, {}),
  // Chapter 2
  'corpus-glance': entry(corpusGlanceMeta, CorpusGlance, {}),
  'loss-curves': entry(lossCurvesMeta, LossCurves, {}),
  'next-word': entry(nextWordMeta, NextWord, {}),
  embeddings: entry(embeddingMeta, Embeddings, {}),
  'hidden-layer': entry(hiddenMeta, Hidden, {}),
  // Chapter 3
  'backprop-graph': entry(backpropGraphMeta, BackpropGraph, {}),
  'train-mlp': train('train-mlp'),
  'gradient-flow': train('gradient-flow'),
  'zero-init': train('zero-init'),
  activations: train('activations'),
  // Chapter 4
  unrolled: entry(unrolledMeta, Unrolled, {}),
  generate: entry(generateMeta, Generate, {}),
  neurons: entry(neuronsMeta, Neurons, {}),
  gates: entry(gatesMeta, Gates, {}),
  'vanishing-gradients': entry(vanishingMeta, VanishingGradients, {}),
  ladder: entry(ladderMeta, Ladder, {}),
  // Chapter 5
  'one-head': entry(oneHeadMeta, OneHead, {}),
  positions: entry(positionsMeta, Positions, {}),
  heads: entry(headsMeta, Heads, {}),
  'head-gallery': entry(headGalleryMeta, HeadGallery, {}),
  'generate-gpt': entry(generateGptMeta, GenerateGpt, {}),
  'ladder-all': entry(ladderAllMeta, LadderAll, {}),
} as const;

export type FigureId = keyof typeof FIGURES;

export function isFigureId(id: string | undefined): id is FigureId {
  return id !== undefined && Object.hasOwn(FIGURES, id);
}
