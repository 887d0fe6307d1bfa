/**
 * Embedding a figure in another site: the message an embed page sends its parent, the code the
 * "Embed" box offers (an iframe plus an optional listener that fits it to the figure), and the
 * write-back of the figure's state into the embed page's URL. Browser-safe, like ./meta.ts.
 *
 * The height message, posted by every embed page (src/scripts/embed-height.ts) to its parent on
 * load and whenever its content changes height:
 *
 *   { type: 'chain-rule-twice:height', figure: 'score-name', height: 742 }
 *
 * `height` is the embed page's content height in CSS pixels (the figure, its caption and the link
 * back to the chapter). It says nothing private, so it is posted to any parent ('*'); the parent
 * must check where it came from (the listener below does).
 */
import type { FigureMeta } from './meta';

export const HEIGHT_MESSAGE = 'chain-rule-twice:height';

export interface HeightMessage {
  type: typeof HEIGHT_MESSAGE;
  figure: string;
  height: number;
}

/** Heights a listener accepts; anything else in a message is ignored. */
export const MAX_EMBED_HEIGHT = 20_000;

export function isHeightMessage(data: unknown): data is HeightMessage {
  if (typeof data !== 'object' || data === null) return false;
  const d = data as Record<string, unknown>;
  return (
    d['type'] === HEIGHT_MESSAGE &&
    typeof d['figure'] === 'string' &&
    typeof d['height'] === 'number' &&
    d['height'] > 0 &&
    d['height'] <= MAX_EMBED_HEIGHT
  );
}

export interface EmbedCodeOptions {
  /** The embed page's absolute URL, state included. */
  src: string;
  title: string;
  /** The iframe's fixed height, what a host without scripts shows (FigureMeta.embedHeight). */
  height: number;
  /**
   * The iframe's id, which the listener looks it up by (unique in the host page). Without it
   * (and without `origin`) the code is the iframe alone.
   */
  frameId?: string;
  /** The book's origin, e.g. "https://example.org": the only sender the listener believes. */
  origin?: string;
}

/**
 * The embed page's colours: the reader's system scheme ('auto', no parameter), or the one the
 * host chose with ?theme= (read by the embed page before its first paint).
 */
export type EmbedTheme = 'auto' | 'light' | 'dark';

export function parseEmbedTheme(raw: string | null | undefined): EmbedTheme {
  return raw === 'light' || raw === 'dark' ? raw : 'auto';
}

/** What the host page chooses about the embed page, beyond the figure's state. */
export interface EmbedPageOptions {
  theme?: EmbedTheme;
  /** ?lock=1: the figure shows the state in its address and does not respond to the reader. */
  lock?: boolean;
}

/** The embed page's site-relative address: the figure's state, then the page's own options. */
export function embedHref(
  base: string,
  figureId: string,
  query: string,
  { theme = 'auto', lock = false }: EmbedPageOptions = {},
): string {
  const q = new URLSearchParams(query);
  if (theme !== 'auto') q.set('theme', theme);
  if (lock) q.set('lock', '1');
  const search = q.toString();
  return `${base}embed/${figureId}/${search ? `?${search}` : ''}`;
}

/** For HTML attribute values in double quotes. */
function attr(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
}

/**
 * The iframe: a fixed height that shows the figure, its caption and the link back at 900 px wide,
 * so it is complete where scripts are not allowed (most LMS editors strip them).
 */
export function embedIframe({ src, title, height, frameId }: EmbedCodeOptions): string {
  const id = frameId ? ` id="${attr(frameId)}"` : '';
  return `<iframe src="${attr(src)}"${id} title="${attr(title)}" width="100%" height="${Math.round(height)}" style="border:0" loading="lazy"></iframe>`;
}

/**
 * The listener: resizes the iframe with id `frameId` to the height its embed page reports. It
 * believes a message only if it comes from that iframe's window (e.source) and from the book's
 * origin, or from the opaque origin "null" that a sandboxed iframe without allow-same-origin
 * has (then e.source alone says it is that iframe). ES5, so it runs in any page.
 */
export function embedListener(frameId: string, origin: string): string {
  const id = JSON.stringify(frameId);
  const from = JSON.stringify(origin);
  return [
    '<script>',
    `/* The Chain Rule, Twice: fits the iframe above to its figure (optional; without this, it keeps its height). */`,
    `addEventListener("message", function (e) {`,
    `  var f = document.getElementById(${id}), d = e.data;`,
    `  if (!f || e.source !== f.contentWindow || (e.origin !== ${from} && e.origin !== "null")) return;`,
    `  if (d && d.type === "${HEIGHT_MESSAGE}" && typeof d.height === "number" && d.height > 0 && d.height <= ${MAX_EMBED_HEIGHT})`,
    `    f.style.height = Math.ceil(d.height) + "px";`,
    `});`,
    '</script>',
  ].join('\n');
}

/** The whole code the Embed box offers: the iframe, then (with an origin) the listener. */
export function embedCode(o: EmbedCodeOptions): string {
  const iframe = embedIframe(o);
  return o.frameId && o.origin ? `${iframe}\n${embedListener(o.frameId, o.origin)}` : iframe;
}

/**
 * The embed page's query after the reader changed the figure to `state`: the figure's own keys
 * replaced by serialize(state), every other parameter (ep=, a host's tracking, ...) kept as it
 * was. The figure's own keys are the ones its current URL state serializes to (so a key the
 * figure no longer writes, e.g. score-name's `model` back at "all", is removed) plus the new
 * ones. Returns undefined when the URL already says exactly this state.
 */
export function queryWithState<S>(
  meta: Pick<FigureMeta<S>, 'parse' | 'serialize'>,
  search: string,
  state: S,
): string | undefined {
  const q = new URLSearchParams(search);
  const current = meta.serialize(meta.parse(q));
  const next = meta.serialize(state);
  if (current.toString() === next.toString()) return undefined;
  for (const key of new Set([...current.keys(), ...next.keys()])) q.delete(key);
  for (const [key, value] of next) q.append(key, value);
  return q.toString();
}
