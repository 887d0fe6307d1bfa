// @ts-check
/**
 * A textbook's apparatus, checked when the book is built: citations, numbered equations,
 * cross-references, each chapter's References and a "cite this" BibTeX block.
 *
 * In the MDX (after remark-math, before KaTeX):
 *
 * - `[@bengio2003]` cites an entry of src/content/references.bib: "(Bengio et al., 2003)",
 *   linked to the entry in the chapter's References; `[@press2017; @inan2017]` cites several
 *   at once; `[-@bengio2003]` gives the year only, for a sentence that names the authors:
 *   "Bengio and colleagues [-@bengio2003] proposed" -> "Bengio and colleagues (2003) proposed".
 * - `\label{eq:chain-rule}` inside a display equation ($$ ... $$) numbers it per chapter,
 *   "(1.1)", and gives it the anchor id `eq-chain-rule`. Unlabelled displays are not numbered.
 * - `[@eq:chain-rule]` -> "equation (1.1)", `[@Eq:chain-rule]` -> "Equation (1.1)",
 *   `[-@eq:chain-rule]` -> "(1.1)"; `[@fig:score-name]` -> "figure 1.2" (the number from the
 *   figure registry), `[@Fig:…]` -> "Figure 1.2"; each a link to the equation or figure.
 *   Several in one bracket: `[@eq:a; @eq:b]` -> "equations (1.1) and (1.2)". Labels are
 *   book-wide: a reference to another chapter's equation links to that chapter (scanChapters
 *   reads every chapter's labels when the build starts).
 *
 * The build fails, naming the file and line, on an unknown citation key, a reference to a
 * label or figure that does not exist, a label used twice, or a bracket that starts like a
 * citation (`[@`, `[-@`) but does not parse.
 *
 * Generated at the end of a chapter (a file under chapters/, numbered by its `NN-` prefix): a
 * "References" section listing every work the chapter cites, and a "Cite this chapter" BibTeX
 * block; on the book's home page (index), a "Cite this book" block.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { formatEntry, shortAuthors, sortKey, year } from './bibtex.mjs';

/**
 * @typedef {import('./bibtex.mjs').BibEntry} BibEntry
 * @typedef {{ number: string, href: string }} FigureRef
 * @typedef {{
 *   bibliography: Map<string, BibEntry>,
 *   figures: Record<string, FigureRef>,
 *   equations?: Map<string, FigureRef> | (() => Map<string, FigureRef>),
 *   book: { title: string, year: string, site?: string | undefined },
 * }} ApparatusOptions
 */

/** A bracket that means to be a citation or a reference: `[@…]` or `[-@…]`. */
const BRACKET = /\[(-?@[^\]\n]*)\]/g;
/** One item in it: optional "-", "@", then a key or a `eq:`/`fig:` label. */
const ITEM = /^(-?)@((?:[Ee]q|[Ff]ig):)?([A-Za-z0-9][\w.-]*)$/;
const LABEL = /\\label\{([^}]*)\}/g;
const LABEL_NAME = /^eq:[A-Za-z0-9][\w.-]*$/;

/** @param {string} value @param {Record<string, unknown>} [props] @param {string} [tag] */
const hspan = (value, props = {}, tag = 'span') => ({
  type: 'apparatusText',
  data: { hName: tag, hProperties: props },
  children: [{ type: 'text', value }],
});

/**
 * Where a file sits in the book: chapter number from "chapters/NN-…", or the home page.
 * @param {string} path
 */
export function placeOf(path) {
  const chapter = /[\\/]chapters[\\/](\d+)-[^\\/]*\.mdx?$/.exec(path);
  if (chapter?.[1]) return { kind: 'chapter', number: Number(chapter[1]) };
  if (/[\\/]docs[\\/]index\.mdx?$/.test(path)) return { kind: 'home', number: 0 };
  return { kind: 'other', number: 0 };
}

/**
 * Every chapter's equation labels, numbered as the plugin numbers them: label -> its number and
 * chapter page. Read from the source (a `$$` line opens and closes a display, as the chapters
 * write them); the plugin checks, chapter by chapter, that it numbers the same labels the same
 * way, so a display this scan misreads fails the build instead of mislabelling a reference.
 * @param {string} dir the chapters' folder
 * @returns {Map<string, FigureRef>}
 */
export function scanChapters(dir) {
  /** @type {Map<string, FigureRef>} */
  const labels = new Map();
  for (const name of readdirSync(dir).sort()) {
    const place = placeOf(path.join(dir, name));
    if (place.kind !== 'chapter') continue;
    const href = `/chapters/${name.replace(/\.mdx?$/, '')}/`;
    const source = readFileSync(path.join(dir, name), 'utf8');
    let count = 0;
    for (const block of source.matchAll(/^\$\$[ \t]*\n([\s\S]*?)\n\$\$[ \t]*$/gm)) {
      const label = /\\label\{([^}]*)\}/.exec(String(block[1]))?.[1];
      if (label === undefined) continue;
      if (labels.has(label))
        throw new Error(`${name}: equation label "${label}" is used in two chapters`);
      labels.set(label, { number: `${place.number}.${++count}`, href });
    }
  }
  return labels;
}

/** @param {ApparatusOptions} options */
export default function remarkApparatus(options) {
  const { bibliography, figures, book } = options;
  /**
   * @param {any} tree
   * @param {import('vfile').VFile} file
   */
  return (tree, file) => {
    const where = file.path ?? 'an MDX file';
    const place = placeOf(where);
    // A function is asked again for every file, so `astro dev` sees labels added since it started.
    const bookEquations =
      (typeof options.equations === 'function' ? options.equations() : options.equations) ??
      new Map();
    /** @type {string[]} */
    const problems = [];
    const at = (/** @type {any} */ node) => `${where}:${node?.position?.start?.line ?? '?'}`;

    // 1. Number the labelled display equations, in order, and wrap each in a numbered box.
    /** @type {Map<string, string>} */
    const equations = new Map();
    const numberOf = (/** @type {number} */ n) => (place.number ? `${place.number}.${n}` : `${n}`);
    /** @param {any} node */
    const numberEquations = (node) => {
      if (!Array.isArray(node.children)) return;
      node.children = node.children.map((/** @type {any} */ child) => {
        if (child.type === 'inlineMath' && child.value.includes('\\label{')) {
          problems.push(
            `${at(child)}: \\label in inline math; only display equations ($$) are numbered`,
          );
        }
        if (child.type !== 'math') {
          numberEquations(child);
          return child;
        }
        const labels = [...child.value.matchAll(LABEL)].map((m) => m[1]);
        if (labels.length === 0) return child;
        if (labels.length > 1) problems.push(`${at(child)}: one equation, several \\label`);
        const label = String(labels[0]);
        if (!LABEL_NAME.test(label))
          problems.push(`${at(child)}: label "${label}" should look like eq:some-name`);
        if (equations.has(label)) problems.push(`${at(child)}: label "${label}" is used twice`);
        const number = numberOf(equations.size + 1);
        equations.set(label, number);
        const value = child.value.replace(LABEL, '').trim();
        // remark-math keeps the TeX twice: as the node's value and inside the <pre><code> it
        // becomes (data.hChildren); both lose the \label.
        const code = child.data?.hChildren?.[0];
        const math = {
          ...child,
          value,
          data: {
            ...child.data,
            hChildren: code ? [{ ...code, children: [{ type: 'text', value }] }] : undefined,
          },
        };
        return {
          type: 'apparatusEquation',
          data: {
            hName: 'div',
            hProperties: { id: label.replace(':', '-'), className: ['equation'] },
          },
          position: child.position,
          children: [math, hspan(`(${number})`, { className: ['equation-number'] })],
        };
      });
    };
    numberEquations(tree);
    const slug = String(/([^\\/]+)\.mdx?$/.exec(where)?.[1] ?? '');
    const here = `/chapters/${slug}/`;
    if (place.kind === 'chapter' && bookEquations.size > 0) {
      const scanned = [...bookEquations].filter(([, e]) => e.href === here);
      const mine = [...equations].map(([label, number]) => `${label} ${number}`).join(', ');
      const theirs = scanned.map(([label, e]) => `${label} ${e.number}`).join(', ');
      if (mine !== theirs)
        problems.push(
          `${where}: the book-wide scan of labels (${theirs}) disagrees with this chapter's ` +
            `(${mine}); write display math as lines "$$", the TeX, "$$"`,
        );
    }

    // 2. Citations and references in the text.
    /** @type {Set<string>} */
    const cited = new Set();
    /**
     * @param {string} inner the bracket's inside, e.g. "@a; @b" or "-@eq:x"
     * @param {any} node the text node, for the line
     * @returns {any[] | undefined}
     */
    const expand = (inner, node) => {
      const items = inner.split(';').map((s) => ITEM.exec(s.trim()));
      if (items.some((m) => !m)) {
        problems.push(`${at(node)}: cannot read "[${inner}]"; write [@key], [-@key] or [@a; @b]`);
        return undefined;
      }
      const parsed = /** @type {RegExpExecArray[]} */ (items).map((m) => ({
        bare: m[1] === '-',
        kind: (m[2] ?? '').slice(0, -1),
        id: String(m[3]),
      }));
      const kinds = new Set(parsed.map((p) => p.kind.toLowerCase()));
      if (kinds.size > 1) {
        problems.push(`${at(node)}: "[${inner}]" mixes citations, equations and figures`);
        return undefined;
      }
      const kind = parsed[0]?.kind ?? '';
      /** @type {any[]} */
      const links = [];
      for (const p of parsed) {
        if (kind === '') {
          const entry = bibliography.get(p.id);
          if (!entry) {
            problems.push(`${at(node)}: unknown citation key "${p.id}" (not in references.bib)`);
            continue;
          }
          cited.add(p.id);
          const text = p.bare ? year(entry) : `${shortAuthors(entry)}, ${year(entry)}`;
          links.push({
            type: 'link',
            url: `#ref-${p.id}`,
            data: { hProperties: { className: ['cite'] } },
            children: [{ type: 'text', value: text }],
          });
        } else if (kind.toLowerCase() === 'eq') {
          const label = `eq:${p.id}`;
          const elsewhere = bookEquations.get(label);
          const number = equations.get(label) ?? elsewhere?.number;
          if (!number) {
            problems.push(`${at(node)}: reference to a missing equation label "${label}"`);
            continue;
          }
          links.push({
            type: 'link',
            url: `${equations.has(label) ? '' : elsewhere?.href}#eq-${p.id}`,
            data: { hProperties: { className: ['xref', 'xref-eq'] } },
            children: [{ type: 'text', value: `(${number})` }],
          });
        } else {
          const fig = figures[p.id];
          if (!fig) {
            problems.push(`${at(node)}: reference to a missing figure "fig:${p.id}"`);
            continue;
          }
          const local = place.kind === 'chapter' && fig.number.startsWith(`${place.number}.`);
          links.push({
            type: 'link',
            url: `${local ? '' : fig.href}#fig-${p.id}`,
            data: { hProperties: { className: ['xref', 'xref-fig'] } },
            children: [{ type: 'text', value: fig.number }],
          });
        }
      }
      if (links.length !== parsed.length) return undefined;
      /** @type {any[]} */
      const out = [];
      const push = (/** @type {string} */ value) => out.push({ type: 'text', value });
      if (kind === '') {
        const bare = parsed.every((p) => p.bare);
        push('(');
        links.forEach((l, k) => {
          if (k > 0) push(bare ? ', ' : '; ');
          out.push(l);
        });
        push(')');
        return out;
      }
      const word = kind.toLowerCase() === 'eq' ? 'equation' : 'figure';
      const capital = kind.charAt(0) === kind.charAt(0).toUpperCase();
      if (!parsed[0]?.bare) {
        const w = links.length > 1 ? `${word}s` : word;
        push(`${capital ? w.charAt(0).toUpperCase() + w.slice(1) : w}\u00a0`);
      }
      links.forEach((l, k) => {
        if (k > 0) push(k === links.length - 1 ? ' and ' : ', ');
        out.push(l);
      });
      return out;
    };

    const source = String(file.value ?? '');
    /** @param {any} node */
    const rewrite = (node) => {
      if (!Array.isArray(node.children)) return;
      // Adjacent text nodes read as one (the parser may split text at a "["). And Starlight's
      // remark-directive reads ":chain-rule" in "[@eq:chain-rule]" as a text directive: inside
      // an open "[@" bracket, a directive is put back as the text it was written as.
      /** @type {any[]} */
      const merged = [];
      for (const original of node.children) {
        const last = merged[merged.length - 1];
        const start = original.position?.start?.offset;
        const end = original.position?.end?.offset;
        const child =
          original.type === 'textDirective' &&
          last?.type === 'text' &&
          /\[-?@[^\]]*$/.test(last.value) &&
          start !== undefined &&
          end !== undefined
            ? { type: 'text', value: source.slice(start, end), position: original.position }
            : original;
        if (child.type === 'text' && last?.type === 'text') {
          merged[merged.length - 1] = {
            ...last,
            value: last.value + child.value,
            position: last.position &&
              child.position && { start: last.position.start, end: child.position.end },
          };
        } else merged.push(child);
      }
      node.children = merged.flatMap((child) => {
        if (child.type !== 'text') {
          if (child.type !== 'inlineCode' && child.type !== 'code') rewrite(child);
          return [child];
        }
        /** @type {any[]} */
        const out = [];
        let last = 0;
        for (const m of child.value.matchAll(BRACKET)) {
          const expanded = expand(String(m[1]), child);
          if (!expanded) continue;
          if (m.index > last) out.push({ type: 'text', value: child.value.slice(last, m.index) });
          out.push(...expanded);
          last = m.index + m[0].length;
        }
        if (last === 0) return [child];
        if (last < child.value.length) out.push({ type: 'text', value: child.value.slice(last) });
        return out;
      });
    };
    rewrite(tree);
    // Whatever still reads "[@" was split by some other syntax and not understood: say so
    // rather than print it.
    /** @param {any} node */
    const leftovers = (node) => {
      if (node.type === 'text' && /\[-?@/.test(node.value))
        problems.push(`${at(node)}: a citation or reference that was not read: "${node.value}"`);
      node.children?.forEach(leftovers);
    };
    // (Only when nothing else is wrong: a bracket reported above is left as it was written.)
    if (problems.length === 0) leftovers(tree);

    if (problems.length > 0) {
      throw new Error(
        `Citations and cross-references that do not resolve:\n  ${problems.join('\n  ')}`,
      );
    }

    // 3. The end of a chapter: its References and how to cite it; the home page: the book.
    const frontmatter = /** @type {any} */ (file.data)?.astro?.frontmatter ?? {};
    if (place.kind === 'chapter') {
      if (cited.size > 0) tree.children.push(...referencesSection([...cited], bibliography));
      const title = String(frontmatter.title ?? slug);
      tree.children.push(
        heading('Cite this chapter'),
        bibtexBlock(
          `@incollection{chainruletwice-ch${place.number},\n` +
            `  title     = {${title}},\n` +
            `  booktitle = {${book.title}},\n` +
            `  chapter   = {${place.number}},\n` +
            `  year      = {${book.year}},\n` +
            (book.site ? `  url       = {${new URL(`/chapters/${slug}/`, book.site)}},\n` : '') +
            `}`,
        ),
      );
    } else if (place.kind === 'home') {
      tree.children.push(
        heading('Cite this book'),
        bibtexBlock(
          `@misc{chainruletwice,\n` +
            `  title        = {{${book.title}}},\n` +
            `  howpublished = {Interactive book},\n` +
            `  year         = {${book.year}},\n` +
            (book.site ? `  url          = {${new URL('/', book.site)}},\n` : '') +
            `}`,
        ),
      );
    }
  };
}

/** @param {string} text */
function heading(text) {
  return { type: 'heading', depth: 2, children: [{ type: 'text', value: text }] };
}

/**
 * A BibTeX block to copy (a plain <pre>, not a code block: nothing to highlight or run). Its
 * text goes straight to HTML (hChildren): an mdast text node would lose each line's indent.
 */
function bibtexBlock(/** @type {string} */ text) {
  return {
    type: 'apparatusBibtex',
    data: {
      hName: 'pre',
      hProperties: { className: ['cite-bibtex'], tabIndex: 0 },
      hChildren: [{ type: 'text', value: text }],
    },
    children: [],
  };
}

/**
 * The "References" heading and list of a chapter, sorted by first author and year.
 * @param {string[]} keys
 * @param {Map<string, BibEntry>} bibliography
 */
export function referencesSection(keys, bibliography) {
  const entries = keys
    .map((k) => /** @type {BibEntry} */ (bibliography.get(k)))
    .sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
  return [
    heading('References'),
    {
      type: 'list',
      ordered: false,
      spread: false,
      data: { hProperties: { className: ['references'] } },
      children: entries.map((entry) => {
        const e = formatEntry(entry);
        const title = e.titleItalic
          ? { type: 'emphasis', children: [{ type: 'text', value: e.title }] }
          : { type: 'text', value: e.title };
        /** @type {any[]} */
        const parts = [
          { type: 'text', value: `${e.authors} (${e.year}). ` },
          title,
          { type: 'text', value: '.' },
        ];
        if (e.venue) {
          parts.push(
            { type: 'text', value: ' ' },
            { type: 'emphasis', children: [{ type: 'text', value: e.venue }] },
          );
        }
        if (e.rest) parts.push({ type: 'text', value: `${e.venue ? ', ' : ' '}${e.rest}` });
        if (e.venue || e.rest) parts.push({ type: 'text', value: '.' });
        if (e.href) {
          parts.push(
            { type: 'text', value: ' ' },
            { type: 'link', url: e.href, children: [{ type: 'text', value: e.hrefText }] },
          );
        }
        return {
          type: 'listItem',
          spread: false,
          data: { hProperties: { id: `ref-${entry.key}` } },
          children: [{ type: 'paragraph', children: parts }],
        };
      }),
    },
  ];
}
