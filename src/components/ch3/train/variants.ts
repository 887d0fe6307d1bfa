/**
 * Chapter 3's four training figures: one island (TrainLab) with a different view each. Their
 * metas live here so the island can pick one by id (islands take only serialisable props).
 */
import type { Init } from '../../../models/names/mlp-lab';
import { trainMeta } from './train-meta';

export type Variant = 'train-mlp' | 'gradient-flow' | 'zero-init' | 'activations';

export const VARIANT_METAS = {
  'train-mlp': trainMeta({
    id: 'train-mlp',
    number: '3.2',
    embedHeight: 570,
    title: 'Train it yourself',
    caption:
      'The chapter-1 MLP trains in your browser: onnxruntime runs the forward and backward graph our autodiff built, and the optimizer takes the step in TypeScript. The faint dashed line is the same run made with onnxruntime-node when this page was built; with the same seed, yours follows it. The samples use the same random draws every time, so only the weights change them.',
  }),
  'gradient-flow': trainMeta({
    id: 'gradient-flow',
    number: '3.3',
    embedHeight: 850,
    title: 'Where the gradient goes',
    caption:
      'Top: for the latest minibatch, the size of the gradient in each row of the embedding table C, with how many times each character appears in the batch’s contexts. A character that does not appear gets exactly zero. Bottom: the gradient norm of each parameter over training (log scale).',
  }),
  'zero-init': trainMeta({
    id: 'zero-init',
    number: '3.4',
    embedHeight: 750,
    title: 'Why not start from zero?',
    caption:
      'Three copies of the MLP trained on the same minibatches: random initialisation, every parameter zero, and every weight in a matrix equal. The grids show the first 48 hidden units (columns) on 12 held-out examples (rows): with equal weights every column is the same, and gradient descent keeps it so.',
  }),
  activations: trainMeta({
    id: 'activations',
    number: '3.5',
    embedHeight: 780,
    title: 'Activations over training',
    caption:
      'Histograms of the hidden layer’s pre-activations and tanh outputs on the current minibatch (bars), against the same at step 0 (outline). Units piled up at ±1 are saturated: tanh′ = 1 − h² is nearly 0 there, and so is every gradient that passes through them. Try a large learning rate.',
  }),
} as const;

export const VARIANT_INITS: Record<Variant, readonly Init[]> = {
  'train-mlp': ['random'],
  'gradient-flow': ['random'],
  'zero-init': ['random', 'zero', 'constant'],
  activations: ['random'],
};

/** Steps trained at build time for the static render, and the evaluation interval. */
export const BUILD_STEPS = 1000;
export const EVERY = 50;
