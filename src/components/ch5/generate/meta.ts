/** Figure "generate-gpt": words streamed from the GPT's step graph, with its key/value cache. */
import { CHAPTER_5 } from '../../ui/chapters';
import { intParam, numParam, type FigureMeta } from '../../ui/meta';

export interface GenerateGptState {
  /** The reader's prompt: the model reads its last sentence, then continues it. */
  prompt: string;
  /** Temperature: 0 = always the most likely token, 1 = the model as trained. */
  t: number;
  /** Top-k: draw only among the k most likely tokens; 0 = all. */
  k: number;
  /** Top-p (nucleus): draw only among the likeliest tokens holding this much probability. */
  p: number;
  /** Seed of the random draws. */
  seed: number;
  /** Tokens (words and punctuation) to generate. */
  n: number;
}

export const T_MAX = 2;
export const K_MAX = 500;
export const MAX_SEED = 0xffffffff;
export const N_MAX = 500;
/** The longest prompt read; longer ones are cut (with a message). */
export const PROMPT_MAX = 600;

const round2 = (x: number): number => Math.round(x * 100) / 100;

export const generateGptMeta: FigureMeta<GenerateGptState> = {
  id: 'generate-gpt',
  number: '5.3',
  title: 'Generating words with a key/value cache',
  caption:
    'The GPT reads the last sentence of the prompt word by word, keeping each layer’s keys and values in a cache, so each new word costs one step instead of rereading the whole text. Every next word is drawn from P(next | the sentence so far): temperature sharpens or flattens the distribution, top-k keeps the k likeliest words, top-p the likeliest words holding that share of the probability, and the seed fixes the draws. A drawn ⟨s⟩ ends the sentence and the next one starts from an empty cache, as the model was trained; a sentence longer than the model’s positions is continued from its last half window.',
  chapter: CHAPTER_5,
  models: ['gpt-words-step'],
  runtime: 'onnxruntime',
  defaults: { prompt: 'Tonight I ask the Congress to', t: 0.8, k: 40, p: 0.95, seed: 1, n: 80 },
  embedHeight: 670,
  teaching: {
    shows:
      'A Transformer writing one word at a time: the keys and values of the words already read are kept, so only the new word runs through the network, and each word is a draw from the model’s prediction.',
    lesson:
      'Generate from one prompt with the same seed at temperature zero, then with a small top-k, then with a small and a large top-p; read the results aloud and ask which setting gives repetition, which gives nonsense, and why.',
    exercise:
      'Generate more than a window of words without a sentence end and watch the cache fill up. What does the model lose when it rereads only the last half window, and what would a longer context cost per word?',
  },
  parse(q) {
    const d = this.defaults;
    const prompt = q.get('prompt');
    return {
      prompt: prompt === null ? d.prompt : prompt.slice(0, PROMPT_MAX),
      t: round2(numParam(q, 't', d.t, 0, T_MAX)),
      k: intParam(q, 'k', d.k, 0, K_MAX),
      p: round2(numParam(q, 'p', d.p, 0.05, 1)),
      seed: intParam(q, 'seed', d.seed, 0, MAX_SEED),
      n: intParam(q, 'n', d.n, 1, N_MAX),
    };
  },
  serialize(s) {
    return new URLSearchParams({
      prompt: s.prompt,
      t: String(s.t),
      k: String(s.k),
      p: String(s.p),
      seed: String(s.seed),
      n: String(s.n),
    });
  },
};
