import type { Page } from '@playwright/test';
import { expect } from './fixtures';
import { CHAPTERS } from './stress/manifest';

/**
 * What a new reader trips over, checked on a loaded page (tests/e2e/reader.spec.ts at a phone
 * width, tests/e2e/pages.spec.ts at a desktop width):
 *
 * - a sentence broken into paragraphs around a computed number: no <p> that is only a number
 *   (with an optional unit or percent sign) or that starts with `%`, `,`, `.`, `)`, `;` or `:`
 *   (src/markdown/remark-inline-values.mjs stops the cause at build time);
 * - no two elements with the same id; the book's name once in the <title>;
 * - wide display math and tables are never clipped: whatever is wider than its box scrolls
 *   (overflow-x auto/scroll) and shows a cue that it does (src/scripts/scroll-cue.ts marks the
 *   box with data-overflow, book.css fades the clipped side), and nothing is cut off by
 *   overflow: hidden;
 * - every figure in a chapter has its figure bar with the embed code and its Copy button.
 */

const CHAPTER_FIGURES = new Map(CHAPTERS.map((c) => [c.href, c.figures.map((f) => f.id)]));

/**
 * Sentences split around a computed value (.card-value: CardValue, CorpusValue, … render one):
 * a <p> that is only a number (with an optional unit or percent sign) or that starts with
 * punctuation; a value outside any paragraph (a block of its own); a paragraph that starts with
 * a value right after a paragraph that stopped mid-sentence.
 */
function brokenParagraphs(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const onlyNumber = /^[−–+-]?[\d.,\s\u202f]+\s*(%|‰|bits?|nats?)?$/i;
    const leadingPunctuation = /^[%,.);:]/;
    const text = (el: Element) => (el.textContent ?? '').replace(/\s+/g, ' ').trim();
    const problems: string[] = [];
    for (const p of document.querySelectorAll('p')) {
      const t = text(p);
      if (t !== '' && (onlyNumber.test(t) || leadingPunctuation.test(t)))
        problems.push(`<p>${t.slice(0, 60)}</p>`);
      const first = p.firstElementChild;
      const prev = p.previousElementSibling;
      if (
        first?.classList.contains('card-value') &&
        t.startsWith(text(first)) &&
        prev?.tagName === 'P' &&
        !/[.!?:…”"]$/.test(text(prev))
      )
        problems.push(`"${text(prev).slice(-40)}" / "${t.slice(0, 40)}"`);
    }
    for (const v of document.querySelectorAll('.sl-markdown-content .card-value')) {
      if (!v.closest('p, li, td, th, h1, h2, h3, h4, h5, h6, dd, dt, figure, blockquote'))
        problems.push(`value outside a paragraph: ${text(v)}`);
    }
    return problems;
  });
}

function duplicateIds(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const seen = new Map<string, number>();
    for (const el of document.querySelectorAll('[id]')) seen.set(el.id, (seen.get(el.id) ?? 0) + 1);
    return [...seen].filter(([, n]) => n > 1).map(([id, n]) => `#${id} ×${n}`);
  });
}

/**
 * Display math and tables wider than the box they sit in: that box must scroll sideways and
 * carry the cue (data-overflow plus a mask or shadow painted from it); none may be clipped by
 * overflow hidden/clip, nor stick out of the page.
 */
function clippedWideContent(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const describe = (el: Element) =>
      `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}` +
      (el.closest('[data-figure-frame]')?.getAttribute('data-figure-frame') ?? '');
    const candidates = document.querySelectorAll('.katex-display, table');
    for (const el of candidates) {
      if (el.getClientRects().length === 0 || el.closest('.fig-sr-only')) continue;
      let box: Element | null = el;
      while (box && box !== document.body && getComputedStyle(box).overflowX === 'visible')
        box = box.parentElement;
      if (!box || box === document.body) {
        if (el.getBoundingClientRect().right > innerWidth + 1)
          problems.push(`${describe(el)} sticks out of the page`);
        continue;
      }
      if (box.scrollWidth <= box.clientWidth + 1) continue;
      const style = getComputedStyle(box);
      if (style.overflowX === 'hidden' || style.overflowX === 'clip') {
        problems.push(
          `${describe(el)} is clipped by ${describe(box)} (overflow ${style.overflowX})`,
        );
        continue;
      }
      const mask = style.maskImage || style.getPropertyValue('-webkit-mask-image');
      if (!(box as HTMLElement).dataset['overflow'] || !/gradient/.test(mask))
        problems.push(`${describe(box)} scrolls sideways without a visible cue`);
    }
    if (document.documentElement.scrollWidth > innerWidth + 1)
      problems.push(`the page scrolls sideways (${document.documentElement.scrollWidth}px)`);
    return problems;
  });
}

/** Every check above on the page `href`, already loaded (soft: one run lists every problem). */
export async function expectReadsCleanly(page: Page, href: string): Promise<void> {
  await page.evaluate(() => document.fonts.ready);

  const title = await page.title();
  expect.soft(title.split('The Chain Rule, Twice').length - 1, `<title>${title}`).toBe(1);

  expect.soft(await brokenParagraphs(page), 'paragraphs split around a value').toEqual([]);
  expect.soft(await duplicateIds(page), 'duplicate ids').toEqual([]);
  await expect.soft
    .poll(() => clippedWideContent(page), {
      message: 'wide math and tables',
      timeout: 30_000,
    })
    .toEqual([]);

  const figures = CHAPTER_FIGURES.get(href);
  if (figures) {
    // The bar is in the build-time HTML: no waiting for the islands.
    const bars = await page.locator('figure.fig[data-figure-frame]').evaluateAll((frames) =>
      frames.map((f) => ({
        id: f.getAttribute('data-figure-frame') ?? '',
        bar: f.querySelectorAll('.fig-bar').length,
        embed: f.querySelector('.fig-bar summary')?.textContent?.trim() ?? '',
        copy: f.querySelector('.fig-bar [data-embed-copy]')?.textContent?.trim() ?? '',
      })),
    );
    expect(bars.map((b) => b.id)).toEqual(expect.arrayContaining(figures));
    for (const b of bars)
      expect.soft(b, `${b.id}: figure bar with the embed code`).toEqual({
        id: b.id,
        bar: 1,
        embed: 'Embed',
        copy: 'Copy embed code',
      });
  }
}
