/**
 * The figure registry: every interactive figure of the book, by id. The embed pages are
 * generated from it (src/pages/embed/[figure].astro); chapters import the same components.
 * Each entry: id, number, title, caption, models, default state, URL-state codec (meta), and
 * the .astro component that renders it at build time and hydrates it in the page.
 */
import BackpropGraph from './ch3/backprop-graph/BackpropGraph.astro';
import { backpropGraphMeta } from './ch3/backprop-graph/meta';
import Activations from './activations/Activations.astro';
import BigramTable from './ch1/bigram-table/BigramTable.astro';
import { VARIANT_METAS } from './ch3/train/variants';
import GradientFlow from './gradient-flow/GradientFlow.astro';
import { bigramTableMeta } from './ch1/bigram-table/meta';
import type { FigureMeta } from './ui/meta';
import SampleNames from './ch1/sample-names/SampleNames.astro';
import { sampleNamesMeta } from './ch1/sample-names/meta';
import TrainMlp from './train-mlp/TrainMlp.astro';
import ZeroInit from './zero-init/ZeroInit.astro';
import ScoreName from './ch1/score-name/ScoreName.astro';
import CorpusGlance from './ch2/corpus-glance/CorpusGlance.astro';
import Embeddings from './ch2/embed-explorer/Embeddings.astro';
import LossCurves from './ch2/loss-curves/LossCurves.astro';
import Hidden from './ch2/hidden/Hidden.astro';
import {
  corpusGlanceMeta,
  embeddingMeta,
  hiddenMeta,
  lossCurvesMeta,
  nextWordMeta,
} from './ch2/meta';
import NextWord from './ch2/next-word/NextWord.astro';
import { scoreNameMeta } from './ch1/score-name/meta';

export interface FigureEntry<S> extends FigureMeta<S> {
  /** Renders the figure; `embed` drops the embed button and reads state from the URL. */
  Component: (props: { embed?: boolean }) => unknown;
}

function entry<S>(meta: FigureMeta<S>, Component: FigureEntry<S>['Component']): FigureEntry<S> {
  return { ...meta, Component };
}

export const FIGURES = {
  'bigram-table': entry(bigramTableMeta, BigramTable),
  'score-name': entry(scoreNameMeta, ScoreName),
  'sample-names': entry(sampleNamesMeta, SampleNames),
  // Chapter 2
  'corpus-glance': entry(corpusGlanceMeta, CorpusGlance),
  'loss-curves': entry(lossCurvesMeta, LossCurves),
  'next-word': entry(nextWordMeta, NextWord),
  embeddings: entry(embeddingMeta, Embeddings),
  'hidden-layer': entry(hiddenMeta, Hidden),
  // Chapter 3
  'backprop-graph': entry(backpropGraphMeta, BackpropGraph),
  'train-mlp': entry(VARIANT_METAS['train-mlp'], TrainMlp),
  'gradient-flow': entry(VARIANT_METAS['gradient-flow'], GradientFlow),
  'zero-init': entry(VARIANT_METAS['zero-init'], ZeroInit),
  activations: entry(VARIANT_METAS.activations, Activations),
} as const;

export type FigureId = keyof typeof FIGURES;

export function isFigureId(id: string | undefined): id is FigureId {
  return id !== undefined && Object.hasOwn(FIGURES, id);
}
