/**
 * On an embed page with ?lock=1 (set by the page's inline script as <html data-lock>): the
 * figure shows the state in its address, live, and nothing in it responds to the reader, for a
 * quiz that asks about one state. Its island becomes inert (no focus, no clicks, no typing);
 * book.css already stops pointer events before this runs and says that the figure is fixed.
 */
if (document.documentElement.hasAttribute('data-lock'))
  for (const island of document.querySelectorAll<HTMLElement>('main astro-island'))
    island.inert = true;
