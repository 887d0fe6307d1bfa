/**
 * Every model the book ships, in build order. `npm run models` builds these; a chapter that
 * adds models adds its builders here.
 */
import type { BuiltModel } from '../card';
import type { BuildOptions, ModelId } from '../contract';
import { GPT_MODELS } from '../gpt/build';
import { NAMES_MODELS } from '../names/build';
import { RNN_MODELS } from '../rnn/build';
import { buildChars } from '../rnn/chars';
import { buildWordLstm } from '../rnn/words';
import { WORDS_MODELS } from '../words/build';

export interface ModelSpec {
  id: ModelId;
  build: (opts: BuildOptions) => Promise<BuiltModel>;
}

export const MODELS: readonly ModelSpec[] = [
  ...NAMES_MODELS,
  ...WORDS_MODELS,
  ...RNN_MODELS,
  { id: 'lstm-words', build: buildWordLstm },
  { id: 'lstm-chars', build: buildChars },
  ...GPT_MODELS,
];
