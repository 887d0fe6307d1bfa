/** Figure "heads": every head of the words GPT, as attention maps over the reader's text. */
import { CHAPTER_5 } from '../../ui/chapters';
import { intParam, type FigureMeta } from '../../ui/meta';

export interface HeadsState {
  /** Exactly what the reader typed (cut at MAX_URL_TEXT in the URL). */
  text: string;
  /** The head shown on the token strip: layer and head, 0-based. */
  layer: number;
  head: number;
  /** The query token in focus (0 is <s>); -1: the last one. */
  token: number;
}

const MAX_URL_TEXT = 10_000;

/**
 * A text of more than 64 tokens, all in the vocabulary, for timing keystrokes at the full context
 * (scripts/bench: the figure's target is keystroke -> every map redrawn, p95 <= 16 ms).
 */
export const BENCH_TEXT =
  'The people of the United States have the right to know what the government of the United States does, and the Congress of the United States has the duty to tell them. We must work together for peace and for the welfare of our people, and we must not forget the men and women who serve the nation. The time has come to act, and we will act now for our';
/** Generous bounds for the URL; the island clamps to the model's real shape. */
const MAX_INDEX = 63;

export const headsMeta: FigureMeta<HeadsState> = {
  id: 'heads',
  number: '5.2',
  title: 'Every head, on your text',
  caption:
    'Each square is one attention head of the words GPT (layers down, heads across), computed on your text: row i is where the token at position i looks, column j how much weight it puts on the token at j, from none (blank) to all of it (full colour). Everything above the diagonal is blank because a position can only look back. Focus a token (hover it, or use the arrow keys in the strip) to see its row outlined in every head, and the weights of the chosen head shaded over the tokens it looks at.',
  chapter: CHAPTER_5,
  models: ['gpt-words'],
  runtime: 'onnxruntime',
  defaults: {
    text: 'The people of the United States have the right to know what the government of the United States does.',
    layer: 0,
    head: 0,
    token: -1,
  },
  embedHeight: 860,
  teaching: {
    shows:
      'All the attention heads of a small Transformer at once, on any text: which earlier words each position weighs, head by head and layer by layer.',
    lesson:
      'Type a sentence that repeats a phrase, focus a word in its second occurrence, and ask the class to find a head that looks at the word that followed the first occurrence; then one that looks only at the previous word.',
    exercise:
      'Find a head whose map is mostly one diagonal line, and say from the maps which line: the token itself, the one before it, or the first token. Check it on a second, unrelated sentence.',
  },
  parse(q) {
    const d = this.defaults;
    const text = q.get('text');
    return {
      text: text === null ? d.text : text.slice(0, MAX_URL_TEXT),
      layer: intParam(q, 'layer', d.layer, 0, MAX_INDEX),
      head: intParam(q, 'head', d.head, 0, MAX_INDEX),
      token: intParam(q, 'token', d.token, -1, MAX_INDEX),
    };
  },
  serialize(s) {
    return new URLSearchParams({
      text: s.text,
      layer: String(s.layer),
      head: String(s.head),
      token: String(s.token),
    });
  },
};
