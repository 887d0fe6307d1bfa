/**
 * The glossary (src/content/glossary.ts) and its remark plugin (src/markdown/remark-glossary.mjs):
 * the plugin on small MDX documents (a marked term becomes a link to its entry plus the
 * definition it names with aria-describedby; an unknown term fails with the file and line), the
 * entries themselves (unique ids, a real section to point at), and the chapters as they are:
 * every term they mark resolves, each chapter marks a term at most once.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { slug } from 'github-slugger';
import rehypeStringify from 'rehype-stringify';
import remarkMdx from 'remark-mdx';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { GLOSSARY, glossaryHref, introducedAt } from '../../src/content/glossary';
import remarkGlossary from '../../src/markdown/remark-glossary.mjs';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CHAPTERS = path.join(ROOT, 'src/content/docs/chapters');

const ENTRIES = [
  { id: 'perplexity', term: 'perplexity', definition: 'How many choices, in effect.' },
  { id: 'n-gram', term: 'n-gram model', definition: 'Counts of short sequences.' },
];

function render(mdx: string, entries = ENTRIES, file = '/x/chapters/01-test.mdx'): string {
  const processor = unified()
    .use(remarkParse)
    .use(remarkMdx)
    .use(remarkGlossary, { entries, href: glossaryHref })
    .use(remarkRehype, { passThrough: ['mdxJsxFlowElement', 'mdxJsxTextElement'] })
    .use(rehypeStringify);
  return String(processor.processSync(new VFile({ value: mdx, path: file })));
}

describe('remark-glossary', () => {
  it('turns a gloss: link into a link to the entry and its definition', () => {
    const html = render('The **[perplexity](gloss:perplexity)** of a model.');
    expect(html).toBe(
      '<p>The <strong><span class="gloss"><a href="/glossary/#perplexity" class="gloss-term" ' +
        'aria-describedby="gloss-perplexity-1">perplexity</a><span id="gloss-perplexity-1" ' +
        'role="tooltip" class="gloss-tip" data-pagefind-ignore=""><strong>perplexity</strong>: ' +
        'How many choices, in effect.</span></span></strong> of a model.</p>',
    );
  });

  it('keeps the words written, and gives every use its own definition id', () => {
    const html = render('A [trigram](gloss:n-gram), then [bigrams](gloss:n-gram).');
    expect(html).toContain('>trigram</a>');
    expect(html).toContain('>bigrams</a>');
    expect(html).toContain('id="gloss-n-gram-1"');
    expect(html).toContain('id="gloss-n-gram-2"');
    expect(html).toContain('aria-describedby="gloss-n-gram-2"');
  });

  it('leaves other links alone', () => {
    expect(render('[a](https://example.org) and [b](#x)')).toBe(
      '<p><a href="https://example.org">a</a> and <a href="#x">b</a></p>',
    );
  });

  it('fails on an unknown term, with the file and line', () => {
    expect(() => render('Fine.\n\nA [word](gloss:nonsense) here.')).toThrow(
      /\/x\/chapters\/01-test\.mdx:3: unknown glossary term "nonsense"/,
    );
  });
});

describe('the glossary', () => {
  it('has unique ids that read well in an address, and plain one- or two-sentence definitions', () => {
    const ids = GLOSSARY.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const e of GLOSSARY) {
      expect(e.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(e.definition.length, e.id).toBeLessThan(260);
      expect(e.definition, e.id).toMatch(/\.$/);
    }
    expect(GLOSSARY.length).toBeGreaterThanOrEqual(25);
  });

  it('points every entry at a heading that exists in its chapter', () => {
    for (const e of GLOSSARY) {
      const source = readFileSync(path.join(CHAPTERS, `${e.chapter}.mdx`), 'utf8');
      if (e.section) {
        const headings = [...source.matchAll(/^#{2,4} (.*)$/gm)].map((m) => slug(String(m[1])));
        expect(headings, e.id).toContain(slug(e.section));
        expect(introducedAt(e)).toBe(`/chapters/${e.chapter}/#${slug(e.section)}`);
      } else expect(introducedAt(e)).toBe(`/chapters/${e.chapter}/`);
    }
  });

  it('is used by the chapters: every marked term resolves, at most once per chapter', () => {
    const files = readdirSync(CHAPTERS).filter((f) => /^\d+-.*\.mdx$/.test(f));
    const ids = new Set(GLOSSARY.map((e) => e.id));
    const used = new Set<string>();
    for (const f of files) {
      const source = readFileSync(path.join(CHAPTERS, f), 'utf8');
      const marked = [...source.matchAll(/\]\(gloss:([^)\s]+)\)/g)].map((m) => String(m[1]));
      expect(marked.length, f).toBeGreaterThan(10);
      expect(
        marked.filter((id) => !ids.has(id)),
        f,
      ).toEqual([]);
      const twice = marked.filter((id, k) => marked.indexOf(id) !== k);
      expect(twice, `${f} marks a term more than once`).toEqual([]);
      marked.forEach((id) => used.add(id));
    }
    expect(
      [...ids].filter((id) => !used.has(id)),
      'entries no chapter marks',
    ).toEqual([]);
  });
});
