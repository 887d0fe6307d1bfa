/**
 * The textbook apparatus (src/markdown/remark-apparatus.mjs, src/markdown/bibtex.mjs): the
 * BibTeX reader on small inputs and on the book's own file, the remark plugin on small MDX
 * documents (citations, numbered equations, references, and the errors that fail the build),
 * and the real chapters run through the same plugins: every citation resolves and every
 * chapter ends with its References.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import rehypeStringify from 'rehype-stringify';
import remarkDirective from 'remark-directive';
import remarkGfm from 'remark-gfm';
import remarkMath from 'remark-math';
import remarkMdx from 'remark-mdx';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { FIGURE_NUMBERS } from '../../src/components/figure-numbers';
import {
  formatEntry,
  fullNames,
  parseBibtex,
  plain,
  shortAuthors,
} from '../../src/markdown/bibtex.mjs';
import remarkApparatus, { scanChapters } from '../../src/markdown/remark-apparatus.mjs';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIB = readFileSync(path.join(ROOT, 'src/content/references.bib'), 'utf8');
const CHAPTERS = path.join(ROOT, 'src/content/docs/chapters');

const SMALL_BIB = `
% a comment line
@article{doe2001,
  author = {Doe, Jane and van der Berg, Piet},
  title = {On {T}hings},
  journal = "Journal of Examples",
  volume = 3, pages = {1--10},
  year = 2001
}
@comment{ anything at all }
@book{roe1999, author = {Richard Roe and Ann Poe and Bob Moe}, title = {A Book}, year = {1999},
  publisher = {Press}}
`;

const BOOK = { title: 'Test Book', year: '2026', site: 'https://example.org' };

/** Runs MDX through remark-math and the apparatus, to HTML, as the file at `file`. */
function render(
  mdx: string,
  file = '/x/src/content/docs/chapters/02-test.mdx',
  equations = new Map<string, { number: string; href: string }>(),
): string {
  const processor = unified()
    .use(remarkParse)
    .use(remarkMdx)
    .use(remarkGfm)
    // Starlight adds remark-directive (for its asides): "[@eq:x]" must survive it.
    .use(remarkDirective)
    .use(remarkMath)
    .use(remarkApparatus, {
      bibliography: parseBibtex(SMALL_BIB),
      figures: {
        'fig-a': { number: '2.1', href: '/chapters/02-test/' },
        'fig-b': { number: '1.3', href: '/chapters/01-other/' },
      },
      equations,
      book: BOOK,
    })
    .use(remarkRehype, { passThrough: ['mdxJsxFlowElement', 'mdxJsxTextElement'] })
    .use(rehypeStringify);
  const vfile = new VFile({
    value: mdx,
    path: file,
    data: { astro: { frontmatter: { title: 'A test chapter' } } },
  });
  return String(processor.processSync(vfile));
}

describe('the BibTeX reader', () => {
  it('reads braced, quoted and bare values, comments and @comment', () => {
    const bib = parseBibtex(SMALL_BIB);
    expect([...bib.keys()]).toEqual(['doe2001', 'roe1999']);
    const doe = bib.get('doe2001')!;
    expect(doe.type).toBe('article');
    expect(doe.fields).toMatchObject({
      title: 'On {T}hings',
      journal: 'Journal of Examples',
      volume: '3',
      year: '2001',
    });
    expect(plain(doe.fields['title']!)).toBe('On Things');
    expect(plain(doe.fields['pages']!)).toBe('1–10');
  });

  it('prints authors short and in full, with particles and "First Last" names', () => {
    const bib = parseBibtex(SMALL_BIB);
    expect(shortAuthors(bib.get('doe2001')!)).toBe('Doe and van der Berg');
    expect(shortAuthors(bib.get('roe1999')!)).toBe('Roe et al.');
    expect(fullNames(bib.get('doe2001')!.fields['author']!)).toBe('Jane Doe and Piet van der Berg');
    expect(fullNames('Richard Roe and Ann Poe and Bob Moe')).toBe(
      'Richard Roe, Ann Poe and Bob Moe',
    );
    expect(formatEntry(bib.get('doe2001')!)).toMatchObject({
      venue: 'Journal of Examples',
      rest: '3, pages 1–10',
    });
  });

  it('fails, with the line, on what it cannot read', () => {
    expect(() => parseBibtex('@article{a, title = {x}, year = 1}', 'f.bib')).toThrow(/no author/);
    expect(() => parseBibtex('@article{a, author = {A, B}, title = {x}}')).toThrow(/no year/);
    expect(() =>
      parseBibtex(
        '@misc{a, author={A}, title={x}, year=1}\n@misc{a, author={A}, title={y}, year=2}',
      ),
    ).toThrow(/duplicate key "a"/);
    expect(() => parseBibtex('\n\n@misc{a, author = {A}, title = {x, year = 1}', 'f.bib')).toThrow(
      /f\.bib:3: entry "a" is not closed/,
    );
    expect(() => parseBibtex('@misc{a, author = {A}, title = {x {y}', 'f.bib')).toThrow(
      /f\.bib:1: unbalanced braces/,
    );
    expect(() => parseBibtex('@string{jmlr = {J}}')).toThrow(/not supported/);
    expect(() => parseBibtex('@misc{a, author={A}, title = "x" # "y", year=1}')).toThrow(
      /concatenation/,
    );
  });

  it("reads the book's references.bib: every entry has authors, a title, a year and a venue", () => {
    const bib = parseBibtex(BIB, 'references.bib');
    expect(bib.size).toBeGreaterThanOrEqual(15);
    for (const [key, entry] of bib) {
      const f = formatEntry(entry);
      expect(f.authors, key).not.toBe('');
      expect(f.title, key).not.toMatch(/[{}\\]/);
      expect(f.year, key).toMatch(/^(1[89]|20)\d\d$/);
      expect(f.venue || f.rest, key).not.toBe('');
      // The key says who and when: first author's last name (letters only) and year.
      const last = shortAuthors(entry)
        .split(/ (and|et al)/)[0]!
        .normalize('NFD')
        .replace(/[^A-Za-z]/g, '')
        .toLowerCase();
      expect(key, key).toBe(`${last}${f.year}`);
    }
  });
});

describe('citations', () => {
  it('turns [@key] into a linked (Author, year) and lists the work in References', () => {
    const html = render('As shown [@doe2001], and by Roe [-@roe1999].\n');
    expect(html).toContain('(<a href="#ref-doe2001" class="cite">Doe and van der Berg, 2001</a>)');
    expect(html).toContain('Roe (<a href="#ref-roe1999" class="cite">1999</a>)');
    expect(html).toMatch(/<h2>References<\/h2>\s*<ul class="references">/);
    // Sorted by first author: Doe before Roe.
    expect(html.indexOf('id="ref-doe2001"')).toBeLessThan(html.indexOf('id="ref-roe1999"'));
    expect(html).toContain('Jane Doe and Piet van der Berg (2001). On Things.');
  });

  it('cites several works in one bracket', () => {
    const html = render('Twice [@doe2001; @roe1999].\n');
    expect(html).toContain(
      '(<a href="#ref-doe2001" class="cite">Doe and van der Berg, 2001</a>; <a href="#ref-roe1999" class="cite">Roe et al., 1999</a>)',
    );
  });

  it('fails the build on an unknown key, naming the key, the file and the line', () => {
    expect(() => render('Fine.\n\nBut [@nobody1900] is not.\n')).toThrow(
      /02-test\.mdx:3: unknown citation key "nobody1900"/,
    );
  });

  it('fails on a bracket that looks like a citation and does not parse', () => {
    expect(() => render('See [@doe2001, p. 3].\n')).toThrow(/cannot read/);
  });

  it('fails on a citation that other syntax split and it could not read', () => {
    expect(() => render('See [@doe2001 {x}].\n')).toThrow(/not read/);
  });

  it('leaves citations in code alone, and ordinary brackets', () => {
    const html = render('Write `[@nobody]` to cite; [this] is text.\n');
    expect(html).toContain('<code>[@nobody]</code>');
    expect(html).toContain('[this] is text');
    expect(html).not.toContain('References');
  });
});

describe('equations and cross-references', () => {
  const doc = [
    '$$',
    'a = b \\label{eq:first}',
    '$$',
    '',
    '$$',
    'c = d',
    '$$',
    '',
    '$$',
    '\\label{eq:second} e = f',
    '$$',
    '',
    'By [@eq:second], then [-@eq:first]; [@Eq:first] and [@eq:first; @eq:second].',
    'See [@fig:fig-a] and [@Fig:fig-b].',
    '',
  ].join('\n');

  it('numbers labelled displays per chapter, in order, with an anchor, and drops the \\label', () => {
    const html = render(doc);
    expect(html).toContain('<div id="eq-first" class="equation">');
    expect(html).toContain('<span class="equation-number">(2.1)</span>');
    expect(html).toContain('<div id="eq-second" class="equation">');
    expect(html).toContain('<span class="equation-number">(2.2)</span>');
    expect(html).not.toContain('\\label');
    // The unlabelled display is not numbered.
    expect(html.match(/equation-number/g)).toHaveLength(2);
    expect(html.indexOf('eq-first')).toBeLessThan(html.indexOf('eq-second'));
  });

  it('writes references as links: "equation (2.2)", "(2.1)", "Equation", "figure 2.1"', () => {
    const html = render(doc);
    expect(html).toContain('By equation\u00a0<a href="#eq-second" class="xref xref-eq">(2.2)</a>');
    expect(html).toContain('then <a href="#eq-first" class="xref xref-eq">(2.1)</a>;');
    expect(html).toContain('Equation\u00a0<a href="#eq-first"');
    expect(html).toContain(
      'equations\u00a0<a href="#eq-first" class="xref xref-eq">(2.1)</a> and <a href="#eq-second"',
    );
    // A figure of this chapter links on the page, one of another chapter to that chapter.
    expect(html).toContain('figure\u00a0<a href="#fig-fig-a" class="xref xref-fig">2.1</a>');
    expect(html).toContain(
      'Figure\u00a0<a href="/chapters/01-other/#fig-fig-b" class="xref xref-fig">1.3</a>',
    );
  });

  it('fails the build on a reference to a missing label or figure, and on a label used twice', () => {
    expect(() => render('$$\nx \\label{eq:a}\n$$\n\nSee [@eq:b].\n')).toThrow(
      /02-test\.mdx:5: reference to a missing equation label "eq:b"/,
    );
    expect(() => render('See [@fig:nope].\n')).toThrow(/missing figure "fig:nope"/);
    expect(() => render('$$\nx \\label{eq:a}\n$$\n\n$$\ny \\label{eq:a}\n$$\n')).toThrow(
      /label "eq:a" is used twice/,
    );
  });

  it("links to another chapter's equation, and checks the book-wide scan against the chapter", () => {
    const book = new Map([
      ['eq:elsewhere', { number: '1.4', href: '/chapters/01-other/' }],
      ['eq:here', { number: '2.1', href: '/chapters/02-test/' }],
    ]);
    const html = render(
      '$$\nx \\label{eq:here}\n$$\n\nAs [@eq:elsewhere] says.\n',
      undefined,
      book,
    );
    expect(html).toContain(
      'As equation\u00a0<a href="/chapters/01-other/#eq-elsewhere" class="xref xref-eq">(1.4)</a>',
    );
    // This chapter numbers eq:here 2.1 and nothing else, as the scan says: fine. A display the
    // scan did not see (or numbered otherwise) fails the build.
    expect(() =>
      render('$$\nx \\label{eq:here}\n$$\n\n$$\ny \\label{eq:more}\n$$\n', undefined, book),
    ).toThrow(/disagrees/);
  });

  it('scans every chapter for its labels, numbered per chapter, each once in the book', () => {
    const labels = scanChapters(CHAPTERS);
    expect(labels.get('eq:chain-rule')).toEqual({
      number: '1.1',
      href: '/chapters/01-probability/',
    });
    for (const n of [1, 2, 3])
      expect(
        [...labels.values()].filter((l) => l.number.startsWith(`${n}.`)).length,
      ).toBeGreaterThan(2);
  });

  it('ends a chapter with "Cite this chapter" and the home page with "Cite this book"', () => {
    const chapter = render('Text.\n');
    expect(chapter).toContain('<h2>Cite this chapter</h2>');
    expect(chapter).toContain('@incollection{chainruletwice-ch2,');
    expect(chapter).toContain('title     = {A test chapter}');
    expect(chapter).toContain('url       = {https://example.org/chapters/02-test/}');
    const home = render('Text.\n', '/x/src/content/docs/index.mdx');
    expect(home).toContain('<h2>Cite this book</h2>');
    expect(home).toContain('@misc{chainruletwice,');
    expect(home).not.toContain('Cite this chapter');
  });
});

describe("the book's chapters", () => {
  const files = readdirSync(CHAPTERS).filter((f) => f.endsWith('.mdx'));
  const bibliography = parseBibtex(BIB, 'references.bib');

  /** The chapter through parse + math + apparatus (the build's remark stage), as mdast. */
  function run(file: string) {
    const value = readFileSync(path.join(CHAPTERS, file), 'utf8').replace(/^---[\s\S]*?---\n/, '');
    const processor = unified()
      .use(remarkParse)
      .use(remarkMdx)
      .use(remarkGfm)
      .use(remarkDirective)
      .use(remarkMath)
      .use(remarkApparatus, {
        bibliography,
        figures: FIGURE_NUMBERS,
        equations: () => scanChapters(CHAPTERS),
        book: BOOK,
      });
    const vfile = new VFile({ value, path: path.join(CHAPTERS, file) });
    const tree = processor.runSync(processor.parse(vfile), vfile) as unknown as {
      children: { type: string; children?: { value?: string }[] }[];
    };
    return { source: value, tree };
  }

  it('has chapters to check', () => expect(files.length).toBeGreaterThanOrEqual(3));

  for (const file of files) {
    it(`${file}: every citation and reference resolves; it ends with its References`, () => {
      const { source, tree } = run(file);
      const headings = tree.children
        .filter((n) => n.type === 'heading')
        .map((n) => n.children?.[0]?.value);
      expect(headings.slice(-2)).toEqual(['References', 'Cite this chapter']);
      // Every key cited in the source is listed, and nothing else.
      const cited = new Set(
        [...source.matchAll(/\[(-?@[^\]]*)\]/g)].flatMap((m) =>
          m[1]!
            .split(';')
            .map((s) => s.trim().replace(/^-?@/, ''))
            .filter((k) => !/^(eq|fig):/i.test(k)),
        ),
      );
      expect(cited.size, 'each chapter cites at least one work').toBeGreaterThan(0);
      const list = JSON.stringify(tree.children.at(-3));
      for (const key of cited) expect(list).toContain(`ref-${key}`);
      expect(list.match(/"id":"ref-/g)).toHaveLength(cited.size);
      // Each chapter numbers its main equations.
      expect(source).toMatch(/\\label\{eq:/);
    });
  }

  it('figure-numbers.ts lists the same figures as the registry (figures.ts)', () => {
    const registry = readFileSync(path.join(ROOT, 'src/components/figures.ts'), 'utf8');
    const block = /export const FIGURES = \{([\s\S]*?)\} as const;/.exec(registry)?.[1] ?? '';
    const ids = [...block.matchAll(/^\s+'?([\w-]+)'?:\s*(?:entry|train)\(/gm)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(10);
    expect(Object.keys(FIGURE_NUMBERS).sort()).toEqual([...ids].sort());
  });
});
