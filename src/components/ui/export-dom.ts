/**
 * The browser half of exporting a figure (./export.ts has the pure half): a picture of what the
 * figure shows right now, live or still its build-time render.
 *
 * How: the figure's frame (figure[data-figure-frame]) is cloned without its header, caption,
 * bar and exercise box; every element of the clone gets the computed style of its original
 * inlined (only what differs from that element's browser default, or from its parent), so the
 * copy draws the same with no stylesheet at all; that XHTML goes into an SVG <foreignObject>.
 * Its SVG charts stay vector; tables and text are HTML the SVG renderer lays out. The PNG is the
 * same SVG drawn at 2× on a canvas, from a data: URL (allowed by the site's img-src). No request
 * leaves the page; the files are handed over as blob: downloads. Not copied: ::before/::after
 * content and web fonts (the picture uses the reader's fallback fonts). A canvas becomes an
 * image of what it shows (a data: URL).
 */
import { embedHref } from './embed';
import { exportFileName, exportSvg } from './export';

/** Parts of the figure a picture of it leaves out (they are in the SVG as text, or are controls). */
const LEAVE_OUT = '.fig-head, figcaption, .fig-bar, .fig-exercise, [data-export-skip]';
/** Properties never copied: animation, and geometry SVG already carries as attributes. */
const SKIP = /^(transition|animation|will-change|cursor|d$|caret|pointer-events)/;
/**
 * Heights an HTML element is not given: it takes the height of what it holds in the copy. So
 * what the picture leaves out (bar, exercise) leaves no gap, and a box that scrolls on the page
 * (a long table) shows all of it. SVG keeps its heights: they are its geometry.
 */
const HTML_FREE = /^(height|block-size|min-height|min-block-size|max-height|max-block-size)$/;

const baselines = new Map<string, Map<string, string>>();

/** An element's computed style where no stylesheet applies (cached per tag). */
function baseline(el: Element, box: HTMLElement): Map<string, string> {
  const key = `${el.namespaceURI ?? ''} ${el.localName}`;
  const known = baselines.get(key);
  if (known) return known;
  const svgNs = 'http://www.w3.org/2000/svg';
  const fresh = document.createElementNS(el.namespaceURI ?? '', el.localName);
  let host: Element = fresh;
  if (el.namespaceURI === svgNs && el.localName !== 'svg') {
    host = document.createElementNS(svgNs, 'svg');
    host.appendChild(fresh);
  }
  box.appendChild(host);
  const cs = getComputedStyle(fresh);
  const map = new Map<string, string>();
  for (let i = 0; i < cs.length; i++) {
    const p = cs.item(i);
    map.set(p, cs.getPropertyValue(p));
  }
  host.remove();
  baselines.set(key, map);
  return map;
}

/** Inlines `orig`'s computed style into `copy`, then does the same for their children. */
function inlineStyles(
  orig: Element,
  copy: Element,
  parent: CSSStyleDeclaration | null,
  box: HTMLElement,
): void {
  if (orig.matches(LEAVE_OUT)) {
    copy.setAttribute('data-export-drop', '');
    return;
  }
  const cs = getComputedStyle(orig);
  const base = baseline(orig, box);
  const decls: string[] = [];
  const html = orig instanceof HTMLElement;
  for (let i = 0; i < cs.length; i++) {
    const p = cs.item(i);
    if (SKIP.test(p) || (html && HTML_FREE.test(p))) continue;
    const v = cs.getPropertyValue(p);
    // Safe to leave out only if both the default and the inherited value would give it.
    if (v === base.get(p) && (parent === null || v === parent.getPropertyValue(p))) continue;
    decls.push(`${p}:${v}`);
  }
  copy.setAttribute('style', decls.join(';'));
  copy.removeAttribute('class');
  // Form controls: what the reader typed or chose, which a clone does not carry.
  if (orig instanceof HTMLInputElement) {
    if (orig.type === 'checkbox' || orig.type === 'radio') {
      if (orig.checked) copy.setAttribute('checked', '');
      else copy.removeAttribute('checked');
    } else copy.setAttribute('value', orig.value);
  } else if (orig instanceof HTMLTextAreaElement) copy.textContent = orig.value;
  else if (orig instanceof HTMLOptionElement) {
    if (orig.selected) copy.setAttribute('selected', '');
    else copy.removeAttribute('selected');
  }
  const kids = orig.children;
  const copies = copy.children;
  for (let i = 0; i < kids.length; i++) {
    const k = kids[i];
    const c = copies[i];
    if (k && c) inlineStyles(k, c, cs, box);
  }
}

/** The first ancestor background that is not transparent (the page's, in light or dark). */
function backgroundOf(el: Element): string {
  for (let e: Element | null = el; e; e = e.parentElement) {
    const bg = getComputedStyle(e).backgroundColor;
    if (bg && bg !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(bg)) return bg;
  }
  return '#ffffff';
}

export interface FigureExport {
  svg: string;
  width: number;
  height: number;
  /** "figure-1-2-score-name" (add .svg / .png) */
  fileName: (ext: 'svg' | 'png') => string;
}

/** The SVG picture of the figure around `from` (any element inside its frame). */
export function figureSvg(from: Element, figureId: string, query: string): FigureExport {
  const frame = from.closest('[data-figure-frame]');
  if (!frame) throw new Error('no figure frame');
  const text = (sel: string) => frame.querySelector(sel)?.textContent?.replace(/\s+/g, ' ').trim();
  const number = (text('.fig-num') ?? '').replace(/^Figure\s*/, '').replace(/,.*$/, '');
  const title = text('.fig-title') ?? figureId;
  const caption = text('figcaption') ?? '';
  const url = `${location.origin}${embedHref(import.meta.env.BASE_URL, figureId, query)}`;

  // An off-screen box where the copy is styled and measured, then serialized.
  const box = document.createElement('div');
  box.setAttribute('aria-hidden', 'true');
  box.setAttribute('style', 'all:initial;position:fixed;left:-100000px;top:0;width:auto');
  document.body.appendChild(box);
  try {
    const copy = frame.cloneNode(true) as Element;
    inlineStyles(frame, copy, null, box);
    // A canvas clones blank: the picture carries what it shows now, as an image (chapter 5's maps).
    const drawn = frame.querySelectorAll('canvas');
    copy.querySelectorAll('canvas').forEach((c, i) => {
      const orig = drawn[i];
      if (!orig) return;
      const img = document.createElement('img');
      img.setAttribute('src', orig.toDataURL('image/png'));
      img.setAttribute('alt', orig.getAttribute('aria-label') ?? '');
      img.setAttribute('style', c.getAttribute('style') ?? '');
      c.replaceWith(img);
    });
    // Drop what the picture leaves out (marked while the copy still lined up with the original).
    copy.querySelectorAll('[data-export-drop]').forEach((e) => e.remove());
    copy.removeAttribute('id');
    const root = copy as HTMLElement;
    root.style.margin = '0';
    root.style.width = `${frame.getBoundingClientRect().width}px`;
    root.style.boxSizing = 'border-box';
    root.style.height = 'auto';
    root.style.minHeight = '0';
    box.appendChild(copy);
    const rect = copy.getBoundingClientRect();
    const width = Math.max(rect.width, root.scrollWidth);
    const cs = getComputedStyle(frame);
    const doc = exportSvg({
      number,
      title,
      caption,
      url,
      body: new XMLSerializer().serializeToString(copy),
      width,
      // Measured here with the page's fonts; the picture is drawn with fallback fonts (an image
      // loads none), whose lines may run a little taller: room for that, not a cut frame.
      height: rect.height * 1.04 + 12,
      background: backgroundOf(frame),
      color: cs.color,
      fontFamily: cs.fontFamily,
    });
    return { ...doc, fileName: (ext) => exportFileName(number, figureId, ext) };
  } finally {
    box.remove();
  }
}

/** Hands `blob` to the reader as a download named `name`. */
export function download(blob: Blob, name: string): void {
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

/** The PNG: the SVG drawn on a canvas at `scale` × its size. */
export async function svgToPng(ex: FigureExport, scale = 2): Promise<Blob> {
  const img = new Image();
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(ex.svg)}`;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(ex.width * scale);
  canvas.height = Math.round(ex.height * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  ctx.scale(scale, scale);
  ctx.drawImage(img, 0, 0, ex.width, ex.height);
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'),
  );
}
