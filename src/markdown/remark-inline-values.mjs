// @ts-check
/**
 * Keeps computed numbers inside their sentences.
 *
 * In MDX, a line that starts with a component or an `{expression}` is read as a block of its
 * own when nothing else is on the line (an mdxJsxFlowElement), which ends the paragraph above
 * and starts a new one below: "of the three-word sequences,⏎<CorpusValue …/>⏎%; of …" renders
 * as three paragraphs. And when the line does go on after the component, Prettier (which
 * formats the chapters, with the MDX 1 grammar) puts a blank line before it, with the same
 * result one `prettier --write` later.
 *
 * So the book's inline value components (every component whose name ends in `Value`:
 * CardValue, CorpusValue, NameValue, TableValue, RunValue, TraceValue) must never begin a source
 * line, and an `{expression}` must not stand alone on a line inside a paragraph. This plugin
 * fails the build, with the file and line, on either; the fix is to move a word onto the line
 * before the value ("… perplexity is <CardValue …/>", not "… perplexity is⏎<CardValue …/>").
 * tests/e2e/reader.spec.ts checks the rendered pages for the symptom as well.
 */

/** An inline value component: renders a number inside a sentence. */
const INLINE_VALUE = /^[A-Z][A-Za-z0-9]*Value$/;

/** @param {any} node */
const isInlineValue = (node) =>
  (node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement') &&
  typeof node.name === 'string' &&
  INLINE_VALUE.test(node.name);

/**
 * @param {string} source
 * @param {number} offset
 */
function startsLine(source, offset) {
  const lineStart = source.lastIndexOf('\n', offset - 1) + 1;
  return source.slice(lineStart, offset).trim() === '';
}

export default function remarkInlineValues() {
  /**
   * @param {any} tree
   * @param {import('vfile').VFile} file
   */
  return (tree, file) => {
    const source = String(file.value ?? '');
    const where = file.path ?? 'an MDX file';
    /** @type {string[]} */
    const problems = [];

    /** @param {any} node @param {any} parent @param {number} index */
    const visit = (node, parent, index) => {
      const start = node.position?.start;
      if (start && isInlineValue(node) && startsLine(source, start.offset)) {
        problems.push(
          `${where}:${start.line}: <${node.name}> begins a line. A component at the start of a ` +
            `line becomes a block (or gets a blank line from Prettier), which splits the ` +
            `sentence into separate paragraphs. Keep at least one word before it on its line.`,
        );
      }
      if (start && parent && node.type === 'mdxFlowExpression') {
        const before = parent.children[index - 1];
        const after = parent.children[index + 1];
        const joinsBefore =
          before?.type === 'paragraph' && before.position?.end.line === start.line - 1;
        const joinsAfter =
          after?.type === 'paragraph' && after.position?.start.line === node.position.end.line + 1;
        if (joinsBefore || joinsAfter) {
          problems.push(
            `${where}:${start.line}: an {expression} alone on a line inside a paragraph ` +
              `becomes a block and splits the paragraph. Put it on a line with the words around it.`,
          );
        }
      }
      node.children?.forEach((/** @type {any} */ child, /** @type {number} */ i) =>
        visit(child, node, i),
      );
    };
    visit(tree, undefined, 0);

    if (problems.length > 0) {
      throw new Error(
        `Inline values that would break their sentences:\n  ${problems.join('\n  ')}`,
      );
    }
  };
}
