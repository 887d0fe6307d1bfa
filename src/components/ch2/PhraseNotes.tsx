/**
 * What happened to the reader's phrase on its way into a word model, said plainly: words outside
 * the vocabulary (read as <unk>), characters the tokenizer ignores, and truncation of long pastes.
 * Shared by the figures that read a phrase (next-word, hidden-layer).
 */
import { MAX_PHRASE_CHARS, type ReadPhrase } from '../../models/words/lm';
import { listChars, unknownWordsNote } from '../ui/format';

export function PhraseNotes({ phrase }: { phrase: ReadPhrase }) {
  const unknown = [...new Set(phrase.tokens.filter((t) => t.unk).map((t) => t.token))];
  if (unknown.length === 0 && phrase.dropped.length === 0 && !phrase.truncated) return null;
  return (
    <p class="phrase-notes">
      {unknown.length > 0 && `${unknownWordsNote(unknown)} `}
      {phrase.dropped.length > 0 && `Ignored: ${listChars(phrase.dropped)}. `}
      {phrase.truncated && `Only the first ${MAX_PHRASE_CHARS} characters are read.`}
    </p>
  );
}
