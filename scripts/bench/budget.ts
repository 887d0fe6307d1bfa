/**
 * THE JavaScript size budget: gzip bytes of JS a page loads before interaction (what counts:
 * scripts/bench/pagejs.ts). Checked by `npm run test:size` (scripts/size-budget.ts, part of
 * `npm test` after the build) and reported by `npm run bench`.
 *
 * Measured on 2026-11-24 (commit 0b35d46 + bench): the largest book page, chapter 3 with five
 * figures' islands, loads 41.7 kB gzip before interaction (chapters 1 and 2: 25.0 and 28.3 kB,
 * home 4.3 kB); the largest embed pages (chapter 3's training figures) 31.4 kB. Each budget is
 * the largest page of its kind + 25 %: room for a figure or two more per chapter, not for a new
 * library pulled into the first load by accident (Observable Plot alone is ~70 kB gzip; the
 * onnxruntime-web JS is imported dynamically on activation and not counted here).
 * Raise a budget deliberately, with the reason, in this file.
 *
 * Raised on 2026-12-03 (chapter 5): chapter 5 with six figures' islands loads 59.8 kB (chapter 4:
 * 52.8 kB, its generate figure now sharing ui/GenerateControls and useGeneration with 5.3);
 * the largest embed pages, chapter 3's training figures, 39.2 kB (the graph builder's ops grew by
 * the Transformer's reshapeTail, append and sliceLeading). Same rule: largest + 25 %.
 */
export const JS_BUDGETS_GZIP = {
  /** The book's pages: home and chapters (Starlight chrome + every figure's island). */
  book: 75_000,
  /** /embed/<figure>/ pages: one figure, no book chrome. */
  embed: 49_000,
} as const;

export function budgetFor(page: string): { kind: keyof typeof JS_BUDGETS_GZIP; gzip: number } {
  const kind = page.startsWith('/embed/') ? 'embed' : 'book';
  return { kind, gzip: JS_BUDGETS_GZIP[kind] };
}
