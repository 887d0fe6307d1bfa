/**
 * Figure 5.3's generation, the same at build time (onnxruntime-node) and in the page
 * (onnxruntime-web): the reader's prompt read by chapter 2's tokenizer and vocabulary, words
 * drawn from the GPT's step graph (models/gpt/generate.ts), and the text as the figure shows it.
 * Browser-safe.
 */
import {
  appendWords,
  generateWords,
  promptSentence,
  type GptStep,
} from '../../../models/gpt/generate';
import type { ModelCard } from '../../../models/card';
import type { State } from '../../../models/runtime/run';
import { BOUNDARY_ID, type Vocabulary } from '../../../models/words/vocab';
import { PROMPT_MAX, type GenerateGptState } from './meta';

export interface GptText {
  /** The generated text, as appended to the prompt (a leading space where one belongs). */
  text: string;
  /** Tokens generated (words, punctuation, sentence ends). */
  tokens: number;
  /** Sentences the model ended (drawn `<s>`). */
  sentences: number;
  /** Times the full cache was emptied and the last half window read again. */
  reencodes: number;
}

export const EMPTY_TEXT: GptText = { text: '', tokens: 0, sentences: 0, reencodes: 0 };

/** The prompt as shown (cut to PROMPT_MAX characters). */
export const promptShown = (prompt: string): string => prompt.slice(0, PROMPT_MAX);

export async function generateText(
  step: GptStep,
  zero: () => State,
  context: number,
  vocab: Vocabulary,
  s: GenerateGptState,
  hooks: {
    progress?: (data: GptText) => void;
    stopped?: () => boolean;
    pause?: () => Promise<void>;
  } = {},
): Promise<{ data: GptText; stopped: boolean }> {
  const prompt = promptShown(s.prompt);
  const read = promptSentence(vocab, prompt);
  let full = prompt;
  let start = read.ids.length === 0;
  let data: GptText = { ...EMPTY_TEXT };
  let reencodes = 0;
  const result = await generateWords(
    step,
    zero,
    context,
    read.ids,
    { temperature: s.t, topK: s.k, topP: s.p, seed: s.seed, length: s.n },
    {
      onToken: (id) => {
        ({ text: full, start } = appendWords(full, [vocab.word(id)], start));
        data = {
          text: full.slice(prompt.length),
          tokens: data.tokens + 1,
          sentences: data.sentences + (id === BOUNDARY_ID ? 1 : 0),
          reencodes,
        };
        hooks.progress?.(data);
      },
      onReencode: (count) => {
        reencodes = count;
        data = { ...data, reencodes };
        hooks.progress?.(data);
      },
      ...(hooks.stopped ? { stopped: hooks.stopped } : {}),
      ...(hooks.pause ? { pause: hooks.pause } : {}),
    },
  );
  return { data: { ...data, reencodes: result.reencodes }, stopped: result.stopped };
}

/** The positions the GPT reads (its card's config.context): the cache's capacity. */
export function cardContext(card: Pick<ModelCard, 'id' | 'config'>): number {
  const c = card.config['context'];
  if (typeof c !== 'number' || !Number.isInteger(c) || c < 2)
    throw new Error(`card ${card.id} has no context in its config`);
  return c;
}
