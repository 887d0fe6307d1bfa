/**
 * The tokens a chapter 5 model read, as a strip of buttons: one is the query in focus (hover,
 * click or arrow keys choose it; one tab stop for the whole strip), and every token is shaded by
 * the weight the focused query puts on it under one head (BertViz's head view, as shading), with
 * the weight in its title and in data-w.
 */
import { useLayoutEffect, useRef } from 'preact/hooks';

export function TokenStrip({
  tokens,
  unk,
  weights,
  focus,
  onFocus,
  label,
}: {
  tokens: readonly string[];
  /** Which tokens stand for a word outside the vocabulary (shown as <unk>). */
  unk: readonly boolean[];
  /** The focused query's weight on every position (0 after it). */
  weights: readonly number[];
  focus: number;
  onFocus: (i: number) => void;
  label: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const moved = useRef(false);
  // Keyboard focus moved by the strip itself: not a reader's choice to report back.
  const quiet = useRef(false);
  const current = useRef(focus);
  current.current = focus;
  // After an arrow key, keyboard focus follows the new token (before any further key).
  useLayoutEffect(() => {
    if (!moved.current) return;
    moved.current = false;
    const b = box.current?.querySelector<HTMLButtonElement>(`[data-i="${focus}"]`);
    if (b && document.activeElement !== b) {
      quiet.current = true;
      b.focus();
      quiet.current = false;
    }
  }, [focus]);
  const onKey = (e: KeyboardEvent): void => {
    const n = tokens.length;
    const at = current.current;
    const next =
      e.key === 'ArrowLeft'
        ? at - 1
        : e.key === 'ArrowRight'
          ? at + 1
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? n - 1
              : undefined;
    if (next === undefined) return;
    e.preventDefault();
    moved.current = true;
    current.current = Math.min(n - 1, Math.max(0, next));
    onFocus(current.current);
  };
  return (
    <div
      class="ch5-strip"
      ref={box}
      role="group"
      aria-label={`${label}. Tokens: the arrow keys move the focus.`}
      onKeyDown={onKey}
    >
      {tokens.map((t, i) => {
        const w = weights[i] ?? 0;
        return (
          <button
            key={i}
            type="button"
            class={`ch5-strip__token${i === focus ? ' ch5-strip__token--focus' : ''}${unk[i] ? ' ch5-strip__token--unk' : ''}`}
            style={{ '--w': w.toFixed(3) }}
            data-i={i}
            data-w={w.toFixed(4)}
            tabIndex={i === focus ? 0 : -1}
            aria-current={i === focus ? 'true' : undefined}
            aria-label={`${t}, position ${i}${i <= focus ? `: weight ${w.toFixed(2)}` : ''}`}
            title={`${t}: ${w.toFixed(3)}`}
            onMouseEnter={() => onFocus(i)}
            onFocus={() => {
              if (!quiet.current && i !== current.current) onFocus(i);
            }}
            onClick={() => onFocus(i)}
          >
            {t}
          </button>
        );
      })}
    </div>
  );
}
