/**
 * What happened to the reader's text on its way into the words GPT (models/words/lm.ts
 * readSentence), said plainly: shared by the chapter 5 figures that read a text whole (one-head,
 * heads, head-gallery). Browser-safe; the build-time render and the page say the same.
 */
import { MAX_PHRASE_CHARS, type ReadSentence } from '../../models/words/lm';
import { fmtInt, listChars, unknownWordsNote } from '../ui/format';

/** The notes for `read` (empty when nothing needs saying); `empty` is said when no word is read. */
export function sentenceNotes(read: ReadSentence, maxLength: number, empty: string): string[] {
  const notes: string[] = [];
  if (read.total === 0) notes.push(empty);
  if (read.charsCut)
    notes.push(
      `Your text is very long: only its last ${fmtInt(MAX_PHRASE_CHARS)} characters are read.`,
    );
  if (read.earlierSentences > 0)
    notes.push(
      `The model was trained one sentence at a time, so only your last sentence is read (${fmtInt(read.earlierSentences)} before it ${read.earlierSentences === 1 ? 'is' : 'are'} not).`,
    );
  if (read.cut > 0)
    notes.push(
      `The sentence is longer than the model’s context of ${fmtInt(maxLength)} tokens: only its last ${fmtInt(maxLength)} are read (${fmtInt(read.cut)} cut from the start, <s> with them), as in training.`,
    );
  if (read.unknown.length > 0) notes.push(unknownWordsNote(read.unknown));
  if (read.dropped.length > 0)
    notes.push(`Ignored (not part of any word): ${listChars(read.dropped)}.`);
  return notes;
}
