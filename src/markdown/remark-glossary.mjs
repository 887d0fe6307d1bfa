// @ts-check
/**
 * Glossary terms in the chapters, checked when the book is built.
 *
 * In the MDX, a term's use is an ordinary Markdown link whose address is `gloss:` and the
 * entry's id (src/content/glossary.ts): `[perplexity](gloss:perplexity)`, or with other words,
 * `[trigram](gloss:n-gram)`. Prettier and MDX leave it alone, and it reads as what it is.
 *
 * It becomes a link to the entry on the Glossary page (so it works with JavaScript off and in
 * print) followed by the definition, which book.css shows next to the term on hover and on
 * keyboard focus and hides otherwise; the link's aria-describedby names the definition, so a
 * screen reader announces it with the link:
 *
 *   <span class="gloss"><a href="/glossary/#perplexity" class="gloss-term"
 *     aria-describedby="gloss-perplexity-1">perplexity</a><span class="gloss-tip"
 *     id="gloss-perplexity-1" role="tooltip"><strong>perplexity</strong>: …</span></span>
 *
 * The build fails, naming the file and line, on an id the glossary does not have.
 */

/**
 * @typedef {{ id: string, term: string, definition: string }} GlossEntry
 * @typedef {{ entries: readonly GlossEntry[], href: (id: string) => string }} GlossaryOptions
 */

const SCHEME = 'gloss:';

/** @param {GlossaryOptions} options */
export default function remarkGlossary(options) {
  const byId = new Map(options.entries.map((e) => [e.id, e]));
  /**
   * @param {any} tree
   * @param {import('vfile').VFile} file
   */
  return (tree, file) => {
    const where = file.path ?? 'an MDX file';
    /** @type {string[]} */
    const problems = [];
    /** @type {Map<string, number>} */
    const uses = new Map();
    /** @param {any} node */
    const visit = (node) => {
      if (!Array.isArray(node.children)) return;
      node.children = node.children.map((/** @type {any} */ child) => {
        if (child.type !== 'link' || !String(child.url).startsWith(SCHEME)) {
          visit(child);
          return child;
        }
        const id = String(child.url).slice(SCHEME.length);
        const entry = byId.get(id);
        if (!entry) {
          problems.push(
            `${where}:${child.position?.start?.line ?? '?'}: unknown glossary term "${id}" ` +
              `(not in src/content/glossary.ts)`,
          );
          return child;
        }
        const n = (uses.get(id) ?? 0) + 1;
        uses.set(id, n);
        const tipId = `gloss-${id}-${n}`;
        return {
          type: 'glossTerm',
          data: { hName: 'span', hProperties: { className: ['gloss'] } },
          position: child.position,
          children: [
            {
              type: 'link',
              url: options.href(id),
              title: null,
              data: { hProperties: { className: ['gloss-term'], ariaDescribedBy: tipId } },
              children: child.children,
            },
            {
              type: 'glossTip',
              data: {
                hName: 'span',
                hProperties: {
                  id: tipId,
                  role: 'tooltip',
                  className: ['gloss-tip'],
                  dataPagefindIgnore: '',
                },
              },
              children: [
                { type: 'strong', children: [{ type: 'text', value: entry.term }] },
                { type: 'text', value: `: ${entry.definition}` },
              ],
            },
          ],
        };
      });
    };
    visit(tree);
    if (problems.length > 0)
      throw new Error(`Glossary terms that do not resolve:\n  ${problems.join('\n  ')}`);
  };
}
