/**
 * Every model the book ships, in build order. `npm run models` builds these; a chapter that
 * adds models adds its builders here.
 */
import { NAMES_MODELS, type BuildOptions, type BuiltModel } from './names/build';
import { WORDS_MODELS } from './words/build';

export interface ModelSpec {
  id: string;
  build: (opts: BuildOptions) => Promise<BuiltModel>;
}

export const MODELS: readonly ModelSpec[] = [...NAMES_MODELS, ...WORDS_MODELS];
