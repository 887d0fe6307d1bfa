/**
 * Exporting a figure as a picture (the figure bar's "Download SVG" / "Download PNG"): the file
 * name and the SVG document around the figure's own rendering. Pure strings, no DOM, so the
 * unit tests run them in Node; ./export-dom.ts does the browser part.
 *
 * The document: a header (number and title), the figure itself as XHTML inside a
 * <foreignObject> (its SVG charts stay SVG, tables and text keep their computed styles), the
 * caption, and the address of the live figure with its state. Title, caption and address are
 * plain SVG <text> too, so they survive in tools that ignore <foreignObject>, and a <title> and
 * <desc> carry them for screen readers and search.
 */

export interface ExportParts {
  /** "1.2" */
  number: string;
  title: string;
  caption: string;
  /** The live figure's absolute address, state included. */
  url: string;
  /** The figure's rendering: one serialized XHTML element (xmlns set), `width` × `height` px. */
  body: string;
  width: number;
  height: number;
  /** Colours of the page it was taken from, so dark mode exports dark. */
  background: string;
  color: string;
  fontFamily: string;
}

/** "figure-1-2-score-name.svg" */
export function exportFileName(number: string, figureId: string, ext: 'svg' | 'png'): string {
  const slug = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '');
  return `figure-${slug(number)}-${slug(figureId)}.${ext}`;
}

/** Text content and attribute values in XML. */
export function escapeXml(s: string): string {
  return s
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

/**
 * Breaks `text` into lines of at most `max` characters at spaces (a longer word gets a line of
 * its own), for the caption as SVG text, which does not wrap.
 */
export function wrapText(text: string, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > max) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

const PAD = 16;
const LINE = 18;
const FONT = 14;

/** The whole SVG file. Sizes are CSS pixels; the PNG draws it at twice that. */
export function exportSvg(p: ExportParts): { svg: string; width: number; height: number } {
  const width = Math.max(320, Math.ceil(p.width) + 2 * PAD);
  const chars = Math.max(30, Math.floor((width - 2 * PAD) / (FONT * 0.52)));
  const head = `Figure ${p.number}. ${p.title}`;
  const caption = wrapText(p.caption, chars);
  const live = `Live version: ${p.url}`;
  const liveLines = wrapText(live.replaceAll('&', ' &').replaceAll('?', ' ?'), chars).map((l) =>
    l.replaceAll(' &', '&').replaceAll(' ?', '?'),
  );
  const bodyY = PAD + LINE + 8;
  const bodyH = Math.ceil(p.height);
  const captionY = bodyY + bodyH + 8 + FONT;
  const liveY = captionY + caption.length * LINE + 6;
  const height = liveY + liveLines.length * LINE + PAD;
  const text = (lines: string[], y: number, extra = '') =>
    lines
      .map(
        (l, i) =>
          `<text x="${PAD}" y="${y + i * LINE}" font-size="${FONT}"${extra}>${escapeXml(l)}</text>`,
      )
      .join('\n');
  const svg = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeXml(p.fontFamily)}" fill="${escapeXml(p.color)}">`,
    `<title>${escapeXml(head)}</title>`,
    `<desc>${escapeXml(`${p.caption} ${live}`)}</desc>`,
    `<rect width="100%" height="100%" fill="${escapeXml(p.background)}"/>`,
    text([head], PAD + FONT, ' font-weight="bold"'),
    `<foreignObject x="${PAD}" y="${bodyY}" width="${Math.ceil(p.width)}" height="${bodyH}">${p.body}</foreignObject>`,
    text(caption, captionY),
    text(liveLines, liveY, ' opacity="0.75"'),
    `</svg>`,
  ].join('\n');
  return { svg, width, height };
}
