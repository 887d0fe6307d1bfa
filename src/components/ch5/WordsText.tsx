/**
 * The text field of a chapter 5 figure that reads the reader's text with the words GPT, and
 * under it what happened to the text (<unk>, the last window, empty) or a failed run, said plainly.
 */
export function WordsText({
  label,
  text,
  onInput,
  notes,
  failed,
}: {
  label: string;
  text: string;
  onInput: (text: string) => void;
  notes: readonly string[];
  failed: string | undefined;
}) {
  return (
    <>
      <div class="fig-controls">
        <label class="fig-field fig-field--grow">
          <span>{label}</span>
          <input
            type="text"
            value={text}
            spellcheck={false}
            autocomplete="off"
            onInput={(e) => onInput(e.currentTarget.value)}
          />
        </label>
      </div>
      {(notes.length > 0 || failed) && (
        <p class="ch5-notes" role="status" data-role="notes">
          {notes.join(' ')}
          {failed &&
            ` The model failed on this text (${failed}); the maps show the last text it read.`}
        </p>
      )}
    </>
  );
}
