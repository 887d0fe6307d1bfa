/**
 * Figure "next-word" (island): type a phrase, see the next-word distributions of the NNLM and
 * of the Kneser-Ney bigram side by side. First paint is the build-time render passed in
 * `initial`; once the models load it recomputes on every keystroke (only the latest input is
 * drawn). Clicking a word appends it, so the reader can write with either model.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Predict } from '../../../models/names/lm';
import { nextWords, showWord, type NextWords, type ReadPhrase } from '../../../models/words/lm';
import { BOUNDARY } from '../../../models/words/tokenizer';
import { Vocabulary } from '../../../models/words/vocab';
import { Exercise } from '../../ui/Exercise';
import { FigureBar } from '../../ui/FigureBar';
import { fmtProb } from '../../ui/format';
import { latestOnly } from '../../ui/latest';
import type { ModelInfo } from '../../ui/models';
import { useFigure } from '../../ui/useFigure';
import { nextWordMeta, type NextWordState } from '../meta';
import { PhraseNotes } from '../PhraseNotes';
import { nnlmSurer } from './exercise';

interface Props {
  models: ModelInfo[];
  /** The vocabulary, one word per line (from the NNLM's card). */
  vocabulary: string;
  context: number;
  initial: { state: NextWordState; results: Record<string, NextWords> };
  embed?: boolean;
  /** Show the exercise (checked on the lists drawn live). */
  exercise?: boolean;
}

interface Drawn {
  text: string;
  results: Record<string, NextWords>;
  /** Computed in the page (not the build-time render). */
  live?: boolean;
}

/** Append a word to the reader's text as it would be written ("we" + "'re" -> "we're"). */
export function appendWord(text: string, word: string): string {
  const base = text.replace(/\s+$/, '');
  if (base === '') return word;
  const glued =
    word === "n't" ||
    word.startsWith("'") ||
    /^[.,;:?!)%]$/.test(word) ||
    base.endsWith('(') ||
    base.endsWith('$');
  return glued ? `${base}${word}` : `${base} ${word}`;
}

function Reading({ phrase, context }: { phrase: ReadPhrase; context: number }) {
  return (
    <div class="next-word__reading" aria-live="polite">
      <p class="next-word__tokens">
        {phrase.tokens.length === 0 ? (
          <span class="next-word__none">No words yet: the models start a sentence.</span>
        ) : (
          phrase.tokens.map((t, i) => (
            <span
              key={i}
              class={t.unk ? 'wtok wtok--unk' : 'wtok'}
              title={t.unk ? `${t.token} is not in the vocabulary` : undefined}
            >
              {t.unk ? (
                <>
                  <s>{t.token}</s> {'<unk>'}
                </>
              ) : (
                t.token
              )}
            </span>
          ))
        )}
      </p>
      <p class="next-word__context">
        The neural model reads the last {context} tokens of the sentence:{' '}
        {phrase.contextWords.map((w, i) => (
          <span
            key={i}
            class={`wtok wtok--ctx${i === phrase.contextWords.length - 1 ? ' wtok--last' : ''}`}
          >
            {w === BOUNDARY ? '<s>' : w}
          </span>
        ))}
        ; the bigram only the last one.
      </p>
      <PhraseNotes phrase={phrase} />
    </div>
  );
}

function Column({
  model,
  result,
  max,
  onPick,
}: {
  model: ModelInfo;
  result: NextWords | undefined;
  max: number;
  onPick: (w: string) => void;
}) {
  return (
    <div class="next-word__col" data-model={model.id}>
      <h4 class="next-word__title">{model.title}</h4>
      <ol class="next-word__list">
        {(result?.top ?? []).map((r) => (
          <li key={r.id} data-word={r.word}>
            <button
              type="button"
              class="next-word__word"
              disabled={r.word === BOUNDARY}
              onClick={() => onPick(r.word)}
            >
              {showWord(r.word)}
            </button>
            <span class="next-word__bar" aria-hidden="true">
              <span style={{ width: `${Math.max(0.5, (r.p / max) * 100).toFixed(1)}%` }} />
            </span>
            <span class="next-word__p">{fmtProb(r.p)}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}

export default function NextWordIsland({
  models,
  vocabulary,
  context,
  initial,
  embed = false,
  exercise = false,
}: Props) {
  const vocab = useMemo(() => new Vocabulary(vocabulary.split('\n')), [vocabulary]);
  const { state, setState, status, predicts, bar } = useFigure(nextWordMeta, {
    initial: initial.state,
    embed,
    models,
  });
  const [drawn, setDrawn] = useState<Drawn>({ text: initial.state.text, results: initial.results });

  const submit = useMemo(
    () =>
      latestOnly(
        async ({ text, predicts }: { text: string; predicts: Record<string, Predict> }) => {
          const results: Record<string, NextWords> = {};
          for (const m of models) {
            const predict = predicts[m.id];
            if (predict) results[m.id] = await nextWords(predict, vocab, text, context);
          }
          setDrawn({ text, results, live: true });
        },
      ),
    [models, vocab, context],
  );

  const text = useRef(state.text);
  text.current = state.text;
  useEffect(() => {
    if (predicts) submit({ text: text.current, predicts });
  }, [status, submit]);
  const edit = (next: string) => {
    // At once, not at the next render: the effect above may run before that render (it runs
    // after the paint that showed the figure live) and must not compute the old text last.
    text.current = next;
    setState({ text: next });
    if (predicts) submit({ text: next, predicts });
  };

  const first = Object.values(drawn.results)[0];
  const max = Math.max(1e-9, ...Object.values(drawn.results).flatMap((r) => r.top.map((t) => t.p)));
  return (
    <div
      class="fig-body next-word"
      data-figure="next-word"
      data-status={status.kind}
      data-text={drawn.text}
    >
      <div class="fig-controls">
        <label class="fig-field fig-field--grow">
          <span>Phrase</span>
          <input
            type="text"
            value={state.text}
            spellcheck={false}
            autocomplete="off"
            onInput={(e) => edit(e.currentTarget.value)}
          />
        </label>
      </div>
      {exercise && (
        <Exercise
          exercise={nnlmSurer}
          result={drawn.live && status.kind === 'live' ? nnlmSurer.check(drawn.results) : undefined}
        />
      )}
      {first && <Reading phrase={first.phrase} context={context} />}
      <div class="next-word__cols">
        {models.map((m) => (
          <Column
            key={m.id}
            model={m}
            result={drawn.results[m.id]}
            max={max}
            onPick={(w) => edit(appendWord(state.text, w))}
          />
        ))}
      </div>
      <FigureBar {...bar} />
    </div>
  );
}
