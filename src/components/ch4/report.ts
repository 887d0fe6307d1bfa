/** What happened to the reader's text on its way into a chapter 4 figure, in words. */
import { listChars } from '../ui/format';
import { MAX_STREAM_CHARS, type StreamInput } from './stream';

export function streamReport(input: StreamInput): string {
  const n = input.ids.length - 1;
  const parts: string[] = [
    n === 0
      ? 'Nothing to read but the start marker: one step.'
      : `Reading “${input.encoded.text.slice(0, MAX_STREAM_CHARS)}”: the start marker and ${n} character${n === 1 ? '' : 's'}, ${n + 1} steps.`,
  ];
  if (input.encoded.lowercased.length > 0)
    parts.push(`Lowercased: ${listChars(input.encoded.lowercased)}.`);
  if (input.encoded.dropped.length > 0)
    parts.push(`Skipped (not a–z): ${listChars(input.encoded.dropped)}.`);
  if (input.cut > 0)
    parts.push(
      `Only the first ${MAX_STREAM_CHARS} letters are read; ${input.cut} more were left out.`,
    );
  return parts.join(' ');
}
