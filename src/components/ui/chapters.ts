/**
 * The book's chapters as figures link to them: the embed pages' "From <chapter>" line, the
 * figure registry (figures.json) and every figure's meta read them from here.
 */
export interface Chapter {
  href: string;
  title: string;
}

export const CHAPTER_1: Chapter = {
  href: '/chapters/01-probability/',
  title: 'The chain rule of probability',
};

export const CHAPTER_2: Chapter = {
  href: '/chapters/02-nnlm/',
  title: 'Words become vectors: a neural language model',
};

export const CHAPTER_3: Chapter = {
  href: '/chapters/03-backprop/',
  title: 'Backpropagation: the chain rule of calculus',
};

export const CHAPTER_4: Chapter = {
  href: '/chapters/04-recurrent/',
  title: 'Recurrent networks: memory through time',
};

export const CHAPTER_5: Chapter = {
  href: '/chapters/05-attention/',
  title: 'Attention and the Transformer',
};
