/**
 * The reader's text through the words GPT, for the chapter 5 figures that draw attention maps
 * (heads, head-gallery): the build-time render first, then, once the model is live, every head's
 * attention for each new text (only the latest text is run; a text whose ids did not change
 * reuses the last maps). `read(text)` is called on every edit. useWordsFigure wraps it with the
 * figure's state (useFigure) and its text field: what both islands start with.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Runner } from '../../models/runtime/web';
import { Vocabulary } from '../../models/words/vocab';
import { latestOnly } from '../ui/latest';
import type { FigureMeta } from '../ui/meta';
import type { ModelInfo } from '../ui/models';
import { useFigure, type Figure } from '../ui/useFigure';
import type { LiveStatus } from '../ui/useLive';
import { readAttention, unpackAttention, type Attention, type PackedAttention } from './attention';
import { readSentence, type ReadSentence } from '../../models/words/lm';
import { sentenceNotes } from './sentence-notes';

/** What the maps figures say when the text has no word. */
const NO_WORDS = 'No words yet: type some text to see where each head looks.';

export interface Drawn {
  /** The text these maps are for (the figure's data-text). */
  text: string;
  input: ReadSentence;
  attention: Attention;
  /** Computed in the page (not the build-time render). */
  live: boolean;
}

const same = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

export function useWordsAttention({
  modelId,
  vocab,
  maxLength,
  status,
  markLive,
  initial,
}: {
  modelId: string;
  vocab: Vocabulary;
  maxLength: number;
  status: LiveStatus;
  markLive: () => void;
  initial: { text: string; attention: PackedAttention };
}): { drawn: Drawn; failed: string | undefined; read: (text: string) => void } {
  const [drawn, setDrawn] = useState<Drawn>(() => ({
    text: initial.text,
    input: readSentence(vocab, initial.text, maxLength),
    attention: unpackAttention(initial.attention),
    live: false,
  }));
  const [failed, setFailed] = useState<string | undefined>(undefined);
  const last = useRef(drawn);

  const submit = useMemo(
    () =>
      latestOnly(async ({ text, runner }: { text: string; runner: Runner }) => {
        const input = readSentence(vocab, text, maxLength);
        const prev = last.current;
        try {
          const attention =
            prev.live && same(prev.input.ids, input.ids)
              ? prev.attention
              : await readAttention((t, o) => runner.sequence(t, o), input.ids);
          const next = { text, input, attention, live: true };
          last.current = next;
          setDrawn(next);
          setFailed(undefined);
          markLive();
        } catch (e) {
          setFailed(e instanceof Error ? e.message : String(e));
        }
      }),
    [vocab, maxLength],
  );
  const runner = status.kind === 'live' ? status.runners[modelId] : undefined;
  const textNow = useRef(initial.text);
  // Live, or moved to another EP: read the current text from scratch.
  useEffect(() => {
    last.current = { ...last.current, live: false };
    if (runner) submit({ text: textNow.current, runner });
  }, [runner, submit]);
  const read = (text: string): void => {
    textNow.current = text;
    if (runner) submit({ text, runner });
  };
  return { drawn, failed, read };
}

/** What the .astro wrapper hands an island that reads the reader's text with the words GPT. */
export interface WordsFigureProps<S> {
  model: ModelInfo;
  /** The vocabulary, one word per line (from the card). */
  vocabulary: string;
  maxLength: number;
  initial: { state: S; attention: PackedAttention };
  embed?: boolean;
}

export interface WordsFigure<S> extends Figure<S, never> {
  /** What the text field holds (all of it; the state keeps it too). */
  text: string;
  /** The reader typed `t`: into the state (with `patch`), and read by the model. */
  edit: (t: string, patch?: Partial<S>) => void;
  drawn: Drawn;
  failed: string | undefined;
  /** What happened to the drawn text on its way in (<unk>, cut, empty), in words. */
  notes: string[];
  /** The drawn window's tokens as shown ("<unk>" for unknown words). */
  tokens: string[];
}

export function useWordsFigure<S extends { text: string }>(
  meta: FigureMeta<S>,
  { model, vocabulary, maxLength, initial, embed = false }: WordsFigureProps<S>,
): WordsFigure<S> {
  const vocab = useMemo(() => new Vocabulary(vocabulary.split('\n')), [vocabulary]);
  const models = useMemo(() => [model], [model]);
  const [text, setText] = useState(initial.state.text);
  // Set below, once the hook that reads texts exists; the URL is read after the first render.
  const readNow = useRef<(text: string) => void>(() => {});
  const fig = useFigure(meta, {
    initial: initial.state,
    embed,
    models,
    onUrlState: (s) => {
      setText(s.text);
      readNow.current(s.text);
    },
  });
  const { drawn, failed, read } = useWordsAttention({
    modelId: model.id,
    vocab,
    maxLength,
    status: fig.status,
    markLive: fig.markLive,
    initial: { text: initial.state.text, attention: initial.attention },
  });
  readNow.current = read;
  return {
    ...fig,
    text,
    edit: (t, patch) => {
      setText(t);
      fig.set({ ...patch, text: t } as Partial<S>);
      read(t);
    },
    drawn,
    failed,
    notes: sentenceNotes(drawn.input, maxLength, NO_WORDS),
    tokens: drawn.input.window.map((t) => (t.unk ? '<unk>' : t.token)),
  };
}
