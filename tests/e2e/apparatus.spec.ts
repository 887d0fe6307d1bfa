import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './fixtures';
import { CHAPTERS, FIGURES, assertServedBuild } from './stress/manifest';

/**
 * The textbook apparatus on the built chapters (src/markdown/remark-apparatus.mjs):
 *
 * - every citation link points at an entry of the page's own References list, and that list
 *   holds exactly the works the page cites;
 * - numbered equations read (N.1), (N.2), … in page order for chapter N, each with its anchor;
 * - every equation reference links to an equation (on the page, or on another chapter's page)
 *   and prints its number; every figure reference links to that figure (on the page, or on its
 *   chapter's page) and prints the number the figure shows;
 * - each chapter ends with "Cite this chapter" and the home page with "Cite this book";
 * - a numbered equation wider than the column scrolls inside its box with the number in view;
 * - printed, a chapter has no site header or figure controls, and each figure says where it
 *   runs live;
 * - what the apparatus adds (numbered equations, references, citations, BibTeX) passes axe
 *   (WCAG 2.2 AA) in light and dark; tests/e2e/a11y.spec.ts checks whole pages.
 */

test.beforeAll(async ({ request }) => {
  await assertServedBuild(request);
});

const FIGURE_NUMBER = new Map(FIGURES.map((f) => [f.id, f.number]));

for (const chapter of CHAPTERS) {
  const n = Number(/\/(\d+)-/.exec(chapter.href)?.[1]);

  test(`${chapter.href}: citations, equation numbers and cross-references resolve`, async ({
    page,
  }) => {
    await page.goto(chapter.href, { waitUntil: 'domcontentloaded' });
    const found = await page.evaluate(async () => {
      const content = document.querySelector('.sl-markdown-content');
      if (!content) throw new Error('no .sl-markdown-content');
      const hrefOf = (a: Element) => a.getAttribute('href') ?? '';
      const headings = [...content.querySelectorAll('h2')].map((h) => h.textContent?.trim());
      const references = content.querySelector('ul.references');
      return {
        headings,
        // Starlight wraps a heading with its anchor link: the h2 or the wrapper holding it.
        referencesAfterH2: (() => {
          const prev = references?.previousElementSibling;
          const h2 = prev?.matches('h2') ? prev : prev?.querySelector('h2');
          return h2?.textContent?.trim() ?? null;
        })(),
        entries: [...(references?.querySelectorAll(':scope > li') ?? [])].map((li) => li.id),
        cites: [...content.querySelectorAll('a.cite')].map((a) => ({
          href: hrefOf(a),
          text: a.textContent ?? '',
          inReferences: !!references?.querySelector(`li[id="${hrefOf(a).slice(1)}"]`),
        })),
        equations: [...content.querySelectorAll('.equation')].map((e) => ({
          id: e.id,
          number: e.querySelector(':scope > .equation-number')?.textContent ?? '',
          katex: !!e.querySelector(':scope > .katex-display .katex'),
        })),
        // An equation of this page, or (a reference to another chapter) of the page it names.
        eqRefs: await Promise.all(
          [...content.querySelectorAll('a.xref-eq')].map(async (a) => {
            const [pathname, id] = hrefOf(a).split('#') as [string, string];
            const doc =
              pathname === ''
                ? document
                : new DOMParser().parseFromString(
                    await (await fetch(pathname)).text(),
                    'text/html',
                  );
            const target = doc.getElementById(decodeURIComponent(id));
            return {
              href: hrefOf(a),
              text: a.textContent ?? '',
              target: target?.classList.contains('equation')
                ? (target.querySelector('.equation-number')?.textContent ?? '')
                : null,
            };
          }),
        ),
        figRefs: [...content.querySelectorAll('a.xref-fig')].map((a) => {
          const href = hrefOf(a);
          const local = href.startsWith('#');
          const target = local ? document.getElementById(href.slice(1)) : null;
          return {
            href,
            text: a.textContent ?? '',
            local,
            targetNumber: target?.querySelector('.fig-num')?.textContent?.trim() ?? null,
          };
        }),
        bibtex: content.querySelector('pre.cite-bibtex')?.textContent ?? '',
        leftovers: (content.textContent ?? '').match(/\[-?@[^\]]*\]|\\label\{/g) ?? [],
      };
    });

    // References: one entry per cited work, each citation pointing into it.
    expect(found.cites.length).toBeGreaterThan(0);
    for (const c of found.cites) {
      expect(c.href, c.text).toMatch(/^#ref-/);
      expect(c.inReferences, `${c.text} -> ${c.href}`).toBe(true);
      expect(c.text).toMatch(/\d{4}$/);
    }
    expect(new Set(found.entries)).toEqual(new Set(found.cites.map((c) => c.href.slice(1))));
    expect(found.referencesAfterH2).toBe('References');
    expect(found.headings.slice(-2)).toEqual(['References', 'Cite this chapter']);
    expect(found.bibtex).toContain(`chapter   = {${n}}`);
    expect(found.leftovers).toEqual([]);

    // Equation numbers: (n.1), (n.2), … in order, each rendered by KaTeX with an anchor.
    expect(found.equations.length).toBeGreaterThan(2);
    expect(found.equations.map((e) => e.number)).toEqual(
      found.equations.map((_, k) => `(${n}.${k + 1})`),
    );
    for (const e of found.equations) {
      expect(e.id).toMatch(/^eq-/);
      expect(e.katex, e.id).toBe(true);
    }

    // Equation references: to an equation on this page, with its number.
    expect(found.eqRefs.length).toBeGreaterThan(0);
    for (const r of found.eqRefs) {
      expect(r.href).toMatch(/^(\/chapters\/[^#]+\/)?#eq-/);
      expect(r.target, `${r.href} has no equation`).not.toBeNull();
      expect(r.text).toBe(r.target);
    }
    // Its own equations are referred to on the page (not only other chapters').
    expect(found.eqRefs.some((r) => r.href.startsWith('#'))).toBe(true);

    // Figure references: the number the figure itself shows, on this page or its chapter's.
    expect(found.figRefs.length).toBeGreaterThan(0);
    for (const r of found.figRefs) {
      const id = /#fig-(.+)$/.exec(r.href)?.[1] ?? '';
      expect(FIGURE_NUMBER.get(id), r.href).toBe(r.text);
      if (r.local) expect(r.targetNumber, r.href).toBe(`Figure ${r.text}`);
      else expect(r.href).toMatch(/^\/chapters\/[^#]+\/#fig-/);
    }
  });
}

test('following an equation reference scrolls its equation into view', async ({ page }) => {
  const chapter = CHAPTERS[0]!;
  // Click once the page has loaded and its fonts are in: in CI at load average 10 a figure
  // growing during the click moved the link from under the pointer (the URL never changed).
  await page.goto(chapter.href, { waitUntil: 'load' });
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  const link = page.locator('.sl-markdown-content a.xref-eq').first();
  const href = (await link.getAttribute('href')) ?? '';
  await link.click();
  await expect(page).toHaveURL(new RegExp(`${href}$`));
  await expect(page.locator(`[id="${href.slice(1)}"]`)).toBeInViewport();
});

test('a numbered equation wider than a phone scrolls, with its number in view', async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const chapter = CHAPTERS.find((c) => c.href.includes('02-')) ?? CHAPTERS[0]!;
  await page.goto(chapter.href, { waitUntil: 'domcontentloaded' });
  const boxes = await page.locator('.sl-markdown-content .equation').evaluateAll((eqs) =>
    eqs.map((eq) => {
      const math = eq.querySelector(':scope > .katex-display') as HTMLElement;
      const num = eq.querySelector(':scope > .equation-number') as HTMLElement;
      const r = num.getBoundingClientRect();
      return {
        id: eq.id,
        wide: math.scrollWidth > math.clientWidth + 1,
        scrolls: getComputedStyle(math).overflowX,
        numberInView: r.width > 0 && r.left >= 0 && r.right <= innerWidth + 1,
      };
    }),
  );
  expect(boxes.some((b) => b.wide)).toBe(true);
  for (const b of boxes) {
    expect(b.numberInView, b.id).toBe(true);
    if (b.wide) expect(b.scrolls, b.id).toBe('auto');
  }
});

test('the home page ends with "Cite this book"', async ({ page }) => {
  await page.goto('/', { waitUntil: 'domcontentloaded' });
  const headings = await page.locator('.sl-markdown-content h2').allTextContents();
  expect(headings.at(-1)?.trim()).toBe('Cite this book');
  await expect(page.locator('.sl-markdown-content pre.cite-bibtex')).toContainText(
    '@misc{chainruletwice,',
  );
});

test('printed, a chapter shows its figures as built, no controls, and where each runs live', async ({
  page,
}) => {
  const chapter = CHAPTERS[0]!;
  await page.goto(chapter.href, { waitUntil: 'domcontentloaded' });
  await page.emulateMedia({ media: 'print' });
  const printed = await page.evaluate(() => {
    const shown = (el: Element | null) => !!el && getComputedStyle(el).display !== 'none';
    return {
      header: shown(document.querySelector('.page > header')),
      sidebar: shown(document.querySelector('nav.sidebar')),
      figures: [...document.querySelectorAll('.sl-markdown-content figure.fig')].map((fig) => ({
        id: fig.getAttribute('data-figure-frame') ?? fig.id,
        live: getComputedStyle(fig, '::after').content,
        dataLive: fig.getAttribute('data-live') ?? '',
        bar: [...fig.querySelectorAll('.fig-bar, .fig-embed, .fig-status')].some(shown),
        // Its build-time render: the figure is taller than its title and caption by more than
        // a line (islands are display: contents, so the frame is measured, not its children).
        drawn:
          !fig.querySelector('.fig-missing') &&
          fig.getBoundingClientRect().height -
            [...fig.querySelectorAll(':scope > .fig-head, :scope > figcaption')].reduce(
              (sum, c) => sum + c.getBoundingClientRect().height,
              0,
            ) >
            60,
      })),
    };
  });
  expect(printed.header).toBe(false);
  expect(printed.sidebar).toBe(false);
  expect(printed.figures.length).toBeGreaterThan(0);
  for (const f of printed.figures) {
    expect(f.dataLive, f.id).toMatch(new RegExp(`/embed/${f.id}/$`));
    expect(f.live, f.id).toBe(`"Live version: ${f.dataLive}"`);
    expect(f.bar, f.id).toBe(false);
    expect(f.drawn, f.id).toBe(true);
  }
});

test('numbered equations, citations, References and BibTeX pass axe, light and dark', async ({
  page,
}) => {
  const chapter = CHAPTERS.find((c) => c.href.includes('02-')) ?? CHAPTERS[0]!;
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await page.goto(chapter.href, { waitUntil: 'domcontentloaded' });
    await page.evaluate((t) => {
      document.documentElement.dataset['theme'] = t;
    }, theme);
    const { violations } = await new AxeBuilder({ page })
      .include('.equation')
      .include('a.cite')
      .include('a.xref')
      .include('ul.references')
      .include('pre.cite-bibtex')
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
      .analyze();
    const report = violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`);
    expect(report, theme).toEqual([]);
  }
});
