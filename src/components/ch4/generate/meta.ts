/** Figure "generate": text streamed from the character LSTM, one character at a time. */
import { CHAPTER_4 } from '../../ui/chapters';
import { intParam, numParam, type FigureMeta } from '../../ui/meta';

export interface GenerateState {
  /** The reader's prompt: the model reads it, then continues it. */
  prompt: string;
  /** Temperature: 0 = always the most likely character, 1 = the model as trained. */
  t: number;
  /** Top-k: draw only among the k most likely characters; 0 = all. */
  k: number;
  /** Seed of the random draws. */
  seed: number;
  /** Characters to generate. */
  n: number;
}

export const T_MAX = 2;
export const K_MAX = 20;
export const MAX_SEED = 0xffffffff;
export const N_MAX = 2000;
/** The longest prompt read; longer ones are cut (with a message). */
export const PROMPT_MAX = 400;

export const generateMeta: FigureMeta<GenerateState> = {
  id: 'generate',
  number: '4.2',
  title: 'Generating text one character at a time',
  caption:
    'The character LSTM reads the prompt one character at a time, carrying its state, then continues it: each new character is drawn from P(next | everything so far) and fed back in. Temperature sharpens or flattens each distribution, top-k keeps only the k likeliest characters, and the seed fixes the draws, so the same settings always give the same text.',
  chapter: CHAPTER_4,
  models: ['lstm-chars'],
  runtime: 'onnxruntime',
  defaults: { prompt: 'The state of the Union', t: 0.8, k: 0, seed: 1, n: 400 },
  embedHeight: 570,
  teaching: {
    shows:
      'A recurrent network writing: the state carried from character to character is all it knows of the text so far, and each character is a draw from its prediction.',
    lesson:
      'Start from a prompt the class chooses and generate with the same seed at temperature zero, a half, one and above one; read the results aloud and ask what changes and what stays (spelling, words, sentence shape).',
    exercise:
      'Find a prompt after which the model reliably opens and closes a quotation or a parenthesis. How far back must it remember to close it?',
  },
  parse(q) {
    const d = this.defaults;
    const prompt = q.get('prompt');
    return {
      prompt: prompt === null ? d.prompt : prompt.slice(0, PROMPT_MAX),
      t: Math.round(numParam(q, 't', d.t, 0, T_MAX) * 100) / 100,
      k: intParam(q, 'k', d.k, 0, K_MAX),
      seed: intParam(q, 'seed', d.seed, 0, MAX_SEED),
      n: intParam(q, 'n', d.n, 1, N_MAX),
    };
  },
  serialize(s) {
    return new URLSearchParams({
      prompt: s.prompt,
      t: String(s.t),
      k: String(s.k),
      seed: String(s.seed),
      n: String(s.n),
    });
  },
};
