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
    teaching: {
      shows:
        "The chapter 1 MLP training in the browser with the book's own autodiff, its loss against a run made when the site was built, and samples as the weights change.",
      lesson:
        'Train with the defaults, then let groups change one setting each (learning rate, batch size, optimizer, seed) and compare curves.',
      exercise:
        'Find a learning rate at which the loss diverges or stalls, and one that trains faster than the default. What does the seed change, and what does it not?',
    },
    title: 'Train it yourself',
    caption:
      'The chapter-1 MLP trains in your browser: onnxruntime runs the forward and backward graph our autodiff built, and the optimizer takes the step in TypeScript. The faint dashed line is the same run made with onnxruntime-node when this page was built; with the same seed, yours follows it. The samples use the same random draws every time, so only the weights change them.',
  }),
  'gradient-flow': trainMeta({
    id: 'gradient-flow',
    number: '3.3',
    embedHeight: 850,
    teaching: {
      shows:
        "Where the gradient lands: its size in each row of the embedding table for the latest minibatch, and each parameter's gradient norm over training.",
      lesson:
        'Ask why some rows of the embedding table get no gradient at all, then check the counts of characters in the batch.',
      exercise:
        "With a small batch, find a step at which a character's row gets exactly zero gradient. Explain it from the chain rule.",
    },
    title: 'Where the gradient goes',
    caption:
      'Top: for the latest minibatch, the size of the gradient in each row of the embedding table C, with how many times each character appears in the batch’s contexts. A character that does not appear gets exactly zero. Bottom: the gradient norm of each parameter over training (log scale).',
  }),
  'zero-init': trainMeta({
    id: 'zero-init',
    number: '3.4',
    embedHeight: 750,
    teaching: {
      shows:
        'Three copies of the MLP trained on the same minibatches from random, all-zero and equal-weight starts, with the hidden units of each shown as a grid.',
      lesson:
        'Before training, ask the class what will happen to the all-zero and equal-weight copies; then train and read the grids.',
      exercise:
        'Explain why every column of the equal-weight grid stays identical however long it trains, and what breaks the symmetry in the random copy.',
    },
    title: 'Why not start from zero?',
    caption:
      'Three copies of the MLP trained on the same minibatches: random initialisation, every parameter zero, and every weight in a matrix equal. The grids show the first 48 hidden units (columns) on 12 held-out examples (rows): with equal weights every column is the same, and gradient descent keeps it so.',
  }),
  activations: trainMeta({
    id: 'activations',
    number: '3.5',
    embedHeight: 780,
    teaching: {
      shows:
        "Histograms of the hidden layer's pre-activations and tanh outputs over training, against the same at the first step.",
      lesson:
        'Train at the default learning rate and at a large one, and compare how many units pile up at plus or minus one.',
      exercise:
        "Find a learning rate at which most tanh outputs saturate. Using tanh' = 1 - h², explain what happens to the gradients that pass through them.",
    },
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
