/**
 * An exercise inside a live figure: a question, the reader acts in the figure, the figure checks
 * the answer with the numbers it has just drawn. A figure island renders it under its controls:
 *
 *   <Exercise exercise={scoreNameExercise} result={live ? scoreNameExercise.check(drawn) : undefined} />
 *
 * `result` is undefined until the figure computes live (the build-time render, JS off): the box
 * then reads as a question to try in the live page. The status line is a polite live region
 * (role="status") with room for its longest text reserved, so checking never moves the figure.
 */
import type { ComponentChildren } from 'preact';

/** What the reader's current state gives, and whether it answers the question. */
export interface ExerciseResult {
  solved: boolean;
  /** The figure's own numbers for the current state, in words ("bigram 3.1 bits, MLP 2.7 bits"). */
  detail: string;
}

/** One exercise: its words, and the check over what the figure computed (pure, unit-tested). */
export interface ExerciseDef<T> {
  id: string;
  question: string;
  hint?: string;
  /** Shown before the figure is live (and with JavaScript off). */
  waiting: string;
  check(drawn: T): ExerciseResult;
}

export interface ExerciseProps {
  exercise: Pick<ExerciseDef<never>, 'id' | 'question' | 'hint' | 'waiting'>;
  result: ExerciseResult | undefined;
  children?: ComponentChildren;
}

export function Exercise({ exercise, result, children }: ExerciseProps) {
  const state = result === undefined ? 'waiting' : result.solved ? 'solved' : 'not-yet';
  return (
    <section
      class="fig-exercise"
      data-exercise={exercise.id}
      data-state={state}
      aria-label="Exercise"
    >
      <p class="fig-exercise__question">
        <strong>Exercise.</strong> {exercise.question}
      </p>
      {exercise.hint && (
        <details class="fig-exercise__hint">
          <summary>Show a hint</summary>
          <p>{exercise.hint}</p>
        </details>
      )}
      {children}
      <p class="fig-exercise__status" role="status" data-role="exercise-status">
        {result === undefined ? (
          exercise.waiting
        ) : (
          <>
            <span class="fig-exercise__verdict">{result.solved ? '✓ Solved' : 'Not yet'}</span>
            {' — '}
            {result.detail}
          </>
        )}
      </p>
    </section>
  );
}
