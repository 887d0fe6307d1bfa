/**
 * Escape hides a glossary definition shown by hover or focus (WCAG 1.4.13: content shown on
 * hover or focus can be dismissed without moving the pointer or the focus). book.css shows the
 * definitions without script; this only adds the way to hide them, until the pointer or the
 * focus moves to another term.
 */
const DISMISSED = 'gloss-dismissed';
const root = document.documentElement;

document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && document.querySelector('.gloss-tip')) root.classList.add(DISMISSED);
});
const reset = (e: Event) => {
  if (e.target instanceof Element && e.target.closest('.gloss')) return;
  root.classList.remove(DISMISSED);
};
document.addEventListener('focusin', (e) => {
  if (e.target instanceof Element && e.target.closest('.gloss')) root.classList.remove(DISMISSED);
});
document.addEventListener('pointerover', reset);
