/**
 * The book's glossary: one entry per term the chapters use, in the book's own words, with the
 * chapter section that introduces it. The single source for the Glossary page
 * (src/content/docs/glossary.mdx) and for the definitions shown on hover and focus where a
 * chapter marks a term, `[perplexity](gloss:perplexity)` (src/markdown/remark-glossary.mjs:
 * an id not listed here fails the build).
 *
 * `section` is the introducing heading's text, as written in the chapter (its anchor is
 * derived from it the way Starlight derives heading ids; tests/unit/glossary.test.ts checks
 * that the heading exists). Without `section`, the term is introduced in the chapter's opening
 * paragraphs.
 */
import { slug } from 'github-slugger';

export interface GlossaryEntry {
  /** The anchor on the Glossary page and the key a chapter writes after `gloss:`. */
  id: string;
  /** The term as the Glossary lists it. */
  term: string;
  /** One or two sentences, plain text. */
  definition: string;
  /** The chapter's file name without extension, e.g. '01-probability'. */
  chapter: '01-probability' | '02-nnlm' | '03-backprop' | '04-recurrent' | '05-attention';
  section?: string;
}

const CH1 = '01-probability';
const CH2 = '02-nnlm';
const CH3 = '03-backprop';
const CH4 = '04-recurrent';
const CH5 = '05-attention';

export const GLOSSARY: readonly GlossaryEntry[] = [
  {
    id: 'language-model',
    term: 'language model',
    definition:
      'A model that gives every possible text a probability, in practice by predicting each next token from the ones before it.',
    chapter: CH1,
  },
  {
    id: 'corpus',
    term: 'corpus',
    definition:
      'The collection of text a model is trained and measured on: in this book, a list of first names and a set of addresses.',
    chapter: CH1,
  },
  {
    id: 'chain-rule-of-probability',
    term: 'chain rule of probability',
    definition:
      'The identity that writes the probability of a whole sequence as a product: the first item’s probability, times the second’s given the first, and so on to the end.',
    chapter: CH1,
    section: 'One probability, many factors',
  },
  {
    id: 'unigram',
    term: 'unigram model',
    definition:
      'The simplest counting model: it predicts each symbol from how often it occurs overall, ignoring everything before it.',
    chapter: CH1,
    section: 'Counting: the unigram and the bigram',
  },
  {
    id: 'bigram',
    term: 'bigram model',
    definition:
      'A counting model that predicts the next symbol from the one just before it, using how often each pair occurs in the training text.',
    chapter: CH1,
    section: 'Counting: the unigram and the bigram',
  },
  {
    id: 'n-gram',
    term: 'n-gram model',
    definition:
      'A counting model that looks back n − 1 symbols: a bigram looks back one, a trigram two. Longer contexts quickly become too rare to count.',
    chapter: CH2,
    section: 'Why counting runs out',
  },
  {
    id: 'smoothing',
    term: 'smoothing',
    definition:
      'Moving a little probability onto events the training counts never saw, so that no possible text gets probability zero. Add-α smoothing adds α to every count.',
    chapter: CH1,
    section: 'Smoothing: never say never',
  },
  {
    id: 'kneser-ney',
    term: 'Kneser-Ney smoothing',
    definition:
      'A strong smoothing method for n-gram counts: it takes a fixed amount off every seen count and hands it to a shorter context’s estimate, which counts in how many different contexts a word appears.',
    chapter: CH2,
    section: 'Why counting runs out',
  },
  {
    id: 'log-probability',
    term: 'log-probability',
    definition:
      'The logarithm of a probability. Logs turn the chain rule’s long product into a sum, which is easier to compute with and never underflows.',
    chapter: CH1,
    section: 'Log-probability, surprisal and perplexity',
  },
  {
    id: 'surprisal',
    term: 'surprisal',
    definition:
      'How surprising an outcome is: minus the log of its probability. A certain outcome has surprisal 0; the rarer the outcome, the larger it is.',
    chapter: CH1,
    section: 'Log-probability, surprisal and perplexity',
  },
  {
    id: 'nat',
    term: 'nat',
    definition:
      'The unit of surprisal or loss measured with natural logarithms. One nat is about 1.44 bits.',
    chapter: CH1,
    section: 'Log-probability, surprisal and perplexity',
  },
  {
    id: 'bit',
    term: 'bit',
    definition:
      'The unit of surprisal measured with base-2 logarithms: an outcome of probability one half carries one bit.',
    chapter: CH1,
    section: 'Log-probability, surprisal and perplexity',
  },
  {
    id: 'loss',
    term: 'loss',
    definition:
      'The single number training tries to make small. Here it is the average surprisal of the correct next token over the training examples.',
    chapter: CH1,
    section: 'Log-probability, surprisal and perplexity',
  },
  {
    id: 'perplexity',
    term: 'perplexity',
    definition:
      'The exponential of the average surprisal per token: the number of equally likely choices the model is, on average, hesitating between. Lower is better.',
    chapter: CH1,
    section: 'Log-probability, surprisal and perplexity',
  },
  {
    id: 'held-out',
    term: 'held-out set',
    definition:
      'Text kept out of training and used only to measure a model, so that a good score cannot come from memorising the training text.',
    chapter: CH1,
    section: 'Log-probability, surprisal and perplexity',
  },
  {
    id: 'temperature',
    term: 'temperature',
    definition:
      'A setting used when sampling: below 1 it sharpens each predicted distribution towards its likeliest choices, above 1 it flattens it towards uniform.',
    chapter: CH1,
    section: 'Running the chain rule forwards',
  },
  {
    id: 'mlp',
    term: 'MLP (multilayer perceptron)',
    definition:
      'A neural network made of layers that each multiply their input by a weight matrix, add a bias and apply a nonlinearity such as tanh.',
    chapter: CH1,
    section: 'A preview: a neural network with a longer memory',
  },
  {
    id: 'weights',
    term: 'weights (parameters)',
    definition:
      'The numbers inside a model that training adjusts: here the embedding table, the layers’ matrices and their bias vectors.',
    chapter: CH1,
    section: 'A preview: a neural network with a longer memory',
  },
  {
    id: 'tanh',
    term: 'tanh',
    definition:
      'The hyperbolic tangent, an S-shaped function squeezing any number into the range from −1 to 1; the nonlinearity of the book’s hidden layers.',
    chapter: CH1,
    section: 'A preview: a neural network with a longer memory',
  },
  {
    id: 'softmax',
    term: 'softmax',
    definition:
      'The function that turns a list of scores into probabilities: exponentiate each score, then divide by their total, so the results are positive and add up to 1.',
    chapter: CH1,
    section: 'A preview: a neural network with a longer memory',
  },
  {
    id: 'token',
    term: 'token',
    definition:
      'One unit of text as a model sees it: a character for the names models, a word or punctuation mark for the addresses models.',
    chapter: CH2,
    section: 'From text to tokens',
  },
  {
    id: 'vocabulary',
    term: 'vocabulary',
    definition:
      'The fixed list of tokens a model knows. Anything outside it is replaced by a single unknown token.',
    chapter: CH2,
    section: 'From text to tokens',
  },
  {
    id: 'embedding',
    term: 'embedding',
    definition:
      'A learned vector standing for a token: row i of the embedding table belongs to token i. Tokens used alike end up with similar vectors.',
    chapter: CH2,
    section: "Bengio's idea: a vector for every word",
  },
  {
    id: 'hidden-layer',
    term: 'hidden layer',
    definition:
      'A layer between a network’s input and its output, whose values (the hidden units) are neither given nor predicted but computed on the way.',
    chapter: CH2,
    section: "Bengio's idea: a vector for every word",
  },
  {
    id: 'weight-tying',
    term: 'weight tying',
    definition:
      'Using one matrix both to look up a word’s input vector and to score that word as the next prediction, which saves parameters and shares what is learned.',
    chapter: CH2,
    section: "Bengio's idea: a vector for every word",
  },
  {
    id: 'cross-entropy',
    term: 'cross-entropy',
    definition:
      'The average negative log-probability a model gives to the tokens that actually occur: the loss a language model minimises.',
    chapter: CH2,
    section: 'Training is maximum likelihood',
  },
  {
    id: 'maximum-likelihood',
    term: 'maximum likelihood',
    definition:
      'Choosing the weights that make the training text as probable as possible, which is the same as making its cross-entropy as small as possible.',
    chapter: CH2,
    section: 'Training is maximum likelihood',
  },
  {
    id: 'saturation',
    term: 'saturation',
    definition:
      'A tanh unit is saturated when its output sits near −1 or 1, where the curve is almost flat, so it passes almost no gradient back.',
    chapter: CH2,
    section: 'Inside the hidden layer',
  },
  {
    id: 'gradient',
    term: 'gradient',
    definition:
      'For every weight, how fast the loss changes when that weight is nudged: together they point in the direction in which the loss grows fastest.',
    chapter: CH3,
  },
  {
    id: 'backpropagation',
    term: 'backpropagation',
    definition:
      'The algorithm that computes the gradient of the loss for all weights at once, by applying the chain rule of calculus from the loss backwards through the computation graph.',
    chapter: CH3,
  },
  {
    id: 'minibatch',
    term: 'minibatch',
    definition:
      'A small random sample of training examples whose average loss stands in for the whole training set’s at each step.',
    chapter: CH3,
    section: 'The forward pass and the loss',
  },
  {
    id: 'logits',
    term: 'logits',
    definition:
      'The raw scores a network produces, one per possible next token, before the softmax turns them into probabilities.',
    chapter: CH3,
    section: 'The forward pass and the loss',
  },
  {
    id: 'gradient-descent',
    term: 'gradient descent',
    definition:
      'Training by repeated small steps: compute the gradient, then move every weight a little in the opposite direction, downhill on the loss.',
    chapter: CH3,
    section: 'Which way is downhill?',
  },
  {
    id: 'learning-rate',
    term: 'learning rate',
    definition:
      'The factor that sets how long each step of gradient descent is: too small and training crawls, too large and the loss jumps about or blows up.',
    chapter: CH3,
    section: 'Which way is downhill?',
  },
  {
    id: 'chain-rule-of-calculus',
    term: 'chain rule of calculus',
    definition:
      'The rule for differentiating a function of a function: the rate of change through a chain of steps is the product of each step’s local rate of change.',
    chapter: CH3,
    section: 'The chain rule along a graph',
  },
  {
    id: 'computation-graph',
    term: 'computation graph',
    definition:
      'A computation drawn as boxes and arrows: each node is one simple operation, and its arrows come from the nodes whose results it uses.',
    chapter: CH3,
    section: 'The chain rule along a graph',
  },
  {
    id: 'autodiff',
    term: 'automatic differentiation (autodiff)',
    definition:
      'Building a function’s derivative by program rather than by hand: every operation carries its own local gradient rule, and the chain rule joins them up.',
    chapter: CH3,
    section: 'The same thing, on the real model',
  },
  {
    id: 'onnx',
    term: 'ONNX',
    definition:
      'An open file format for computation graphs. The book’s models are saved as ONNX files and run, in Node and in the page, by onnxruntime.',
    chapter: CH3,
    section: 'The same thing, on the real model',
  },
  {
    id: 'adam',
    term: 'Adam',
    definition:
      'A variant of gradient descent that gives every weight its own step size, scaled by running averages of that weight’s recent gradients.',
    chapter: CH3,
    section: 'Gradient descent, live',
  },
  {
    id: 'initialisation',
    term: 'initialisation',
    definition:
      'The values the weights start from before training. Small random numbers break the symmetry between units; all zeros would keep them identical.',
    chapter: CH3,
    section: 'Why not start from zero?',
  },
  {
    id: 'recurrent-network',
    term: 'recurrent network (RNN)',
    definition:
      'A network that reads a sequence one token at a time and rewrites a hidden state after each, with the same weights at every step.',
    chapter: CH4,
  },
  {
    id: 'hidden-state',
    term: 'hidden state',
    definition:
      'The vector a recurrent network carries from one step to the next: everything it keeps about the text so far, in a fixed number of units.',
    chapter: CH4,
  },
  {
    id: 'unrolling',
    term: 'unrolling',
    definition:
      'Writing a recurrent network out as one copy of its cell per time step, each feeding the next: a deep feed-forward graph whose layers share weights.',
    chapter: CH4,
    section: 'A state that carries the past',
  },
  {
    id: 'bptt',
    term: 'backpropagation through time (BPTT)',
    definition:
      'Backpropagation on a recurrent network’s unrolled graph; the gradients of the copies of each shared weight add up.',
    chapter: CH4,
    section: 'Backpropagation through time',
  },
  {
    id: 'truncated-bptt',
    term: 'truncated backpropagation through time',
    definition:
      'Training a recurrent network on a long text cut into rows of fixed length, each unrolled and backpropagated on its own.',
    chapter: CH4,
    section: 'Backpropagation through time',
  },
  {
    id: 'jacobian',
    term: 'Jacobian',
    definition:
      'The matrix of partial derivatives of every output of a function with respect to every input; the chain rule multiplies Jacobians.',
    chapter: CH4,
    section: 'Why gradients vanish or explode',
  },
  {
    id: 'vanishing-gradient',
    term: 'vanishing gradient',
    definition:
      'A gradient that shrinks geometrically as it is sent back through many steps or layers, so that distant inputs barely affect learning.',
    chapter: CH4,
    section: 'Why gradients vanish or explode',
  },
  {
    id: 'exploding-gradient',
    term: 'exploding gradient',
    definition:
      'A gradient that grows geometrically as it is sent back through many steps or layers, so that one update can throw the weights far away.',
    chapter: CH4,
    section: 'Why gradients vanish or explode',
  },
  {
    id: 'gradient-clipping',
    term: 'gradient clipping',
    definition:
      'Rescaling a gradient whose norm exceeds a threshold before the update, the usual cure for exploding gradients.',
    chapter: CH4,
    section: 'Why gradients vanish or explode',
  },
  {
    id: 'lstm',
    term: 'long short-term memory (LSTM)',
    definition:
      'A recurrent cell with a second state, the cell state, written and read through input, forget and output gates, so that gradients can travel many steps back.',
    chapter: CH4,
    section: 'Writing one character at a time',
  },
  {
    id: 'cell-state',
    term: 'cell state',
    definition:
      'The LSTM’s memory: updated by adding gated new values to a gated copy of the old, never by a weight matrix, so the gradient along it is scaled only by the forget gate.',
    chapter: CH4,
    section: 'Gates: the LSTM',
  },
  {
    id: 'gate',
    term: 'gate',
    definition:
      'A vector of numbers between 0 and 1, computed by a sigmoid from the input and the state, that multiplies another vector unit by unit to let part of it through.',
    chapter: CH4,
    section: 'Gates: the LSTM',
  },
  {
    id: 'gru',
    term: 'gated recurrent unit (GRU)',
    definition:
      'A recurrent cell with one state and two gates: the update gate chooses between keeping the old state and taking a new candidate, the reset gate how much of the old state the candidate reads.',
    chapter: CH4,
    section: 'The GRU',
  },
  {
    id: 'attention',
    term: 'attention',
    definition:
      'A soft lookup: each position scores every position it may see by how well their keys match its query, turns the scores into weights with a softmax, and takes the weighted sum of their values.',
    chapter: CH5,
  },
  {
    id: 'transformer',
    term: 'Transformer',
    definition:
      'A network built from blocks of attention and a small per-position network, each adding its result to a residual stream; the decoder-only kind, with a causal mask, is a language model.',
    chapter: CH5,
  },
  {
    id: 'query-key-value',
    term: 'query, key and value',
    definition:
      'The three vectors a position computes for attention: the query says what it looks for, the key what it offers to other queries, the value what it passes on when chosen.',
    chapter: CH5,
    section: 'Attention: a soft lookup',
  },
  {
    id: 'causal-mask',
    term: 'causal mask',
    definition:
      'A matrix added to attention scores before the softmax: 0 for the past and the position itself, a huge negative number for the future, whose weights become exactly 0.',
    chapter: CH5,
    section: 'Attention: a soft lookup',
  },
  {
    id: 'multi-head-attention',
    term: 'multi-head attention',
    definition:
      'Several attention lookups side by side, each with its own narrower queries, keys and values, whose outputs are concatenated and mixed by a linear layer.',
    chapter: CH5,
    section: 'Many heads',
  },
  {
    id: 'residual-stream',
    term: 'residual stream',
    definition:
      'The running vector of each position in a Transformer: every layer reads it and adds its result back, so it is the sum of the embeddings and of every layer’s output.',
    chapter: CH5,
    section: 'A Transformer language model',
  },
  {
    id: 'position-embedding',
    term: 'position embedding',
    definition:
      'A learned vector for each position in the context, added to the token’s embedding so that attention, which ignores order, can tell positions apart.',
    chapter: CH5,
    section: 'A Transformer language model',
  },
  {
    id: 'layer-normalization',
    term: 'layer normalization',
    definition:
      'Rescaling each position’s vector to mean 0 and variance 1 across its numbers, followed by a learned gain and bias; in a pre-LN Transformer it sits at the input of every part.',
    chapter: CH5,
    section: 'A Transformer language model',
  },
  {
    id: 'key-value-cache',
    term: 'key/value cache',
    definition:
      'The keys and values of the positions already read, kept while generating, so that each new token runs the model on one position instead of the whole text.',
    chapter: CH5,
    section: 'Training in parallel, writing one token at a time',
  },
  {
    id: 'induction-head',
    term: 'induction head',
    definition:
      'An attention head that, having seen “A B” earlier and now reading A again, attends to the B that followed and predicts it: copying from the context, built from two heads in two layers.',
    chapter: CH5,
    section: 'What the heads do',
  },
];

/** Where an entry is introduced: its chapter page, at the section's heading when it has one. */
export function introducedAt(entry: GlossaryEntry): string {
  const page = `/chapters/${entry.chapter}/`;
  return entry.section ? `${page}#${slug(entry.section)}` : page;
}

/** The entry's anchor on the Glossary page. */
export const glossaryHref = (id: string): string => `/glossary/#${id}`;
