/**
 * Sideways scrolling that shows itself. Wide display math and wide figure tables scroll inside
 * their box (book.css) rather than overflowing the column; on a phone the scrollbar is hidden
 * until touched, so a reader would not know there is more. This marks every such box that is
 * actually wider than it looks with `data-overflow` = "end" | "start" | "both" (the sides that
 * hide something) and book.css fades those sides. Re-checked when the box or its content
 * changes size (fonts, a figure going live, rotating the phone) and as the reader scrolls.
 */
// Markdown tables too: Starlight makes each a block that scrolls itself (display: block;
// overflow: auto), e.g. chapter 4's ladder table on a phone.
export const SCROLL_X =
  '.katex-display, .fig-scroll-x, .sl-markdown-content table:not(.not-content *)';

function mark(box: HTMLElement): void {
  const max = box.scrollWidth - box.clientWidth;
  if (max <= 1) {
    delete box.dataset['overflow'];
    return;
  }
  const atStart = box.scrollLeft <= 1;
  const atEnd = box.scrollLeft >= max - 1;
  box.dataset['overflow'] = atStart ? 'end' : atEnd ? 'start' : 'both';
}

const watched = new WeakSet<Element>();
const resized = new ResizeObserver((entries) => {
  for (const { target } of entries) {
    const box = target.matches(SCROLL_X) ? target : target.parentElement?.closest(SCROLL_X);
    if (box instanceof HTMLElement) mark(box);
  }
});

function watch(root: ParentNode): void {
  for (const box of root.querySelectorAll<HTMLElement>(SCROLL_X)) {
    if (watched.has(box)) continue;
    watched.add(box);
    box.addEventListener('scroll', () => mark(box), { passive: true });
    resized.observe(box);
    if (box.firstElementChild) resized.observe(box.firstElementChild);
    mark(box);
  }
}

watch(document);
// Figures render again when they go live: watch the boxes they add, and the new content of a
// box already watched (a ResizeObserver reports a newly observed element once, which marks it).
new MutationObserver((records) => {
  for (const r of records) {
    if (r.addedNodes.length === 0 || !(r.target instanceof Element)) continue;
    watch(r.target);
    const box = r.target.closest(SCROLL_X);
    if (box?.firstElementChild) resized.observe(box.firstElementChild);
  }
}).observe(document.body, { childList: true, subtree: true });
