/**
 * oEmbed (https://oembed.com): the document a consumer (a blog, an LMS, a chat app) fetches for
 * a figure's embed page, to turn a pasted link into the iframe. One static JSON per figure at
 * /oembed/<figure>.json (src/pages/oembed/[figure].json.ts), found through the
 * <link rel="alternate" type="application/json+oembed"> in the embed page's head.
 *
 * oEmbed wants absolute URLs, so both exist only in a build with SITE set (docs/HOSTING.md).
 * The document is static: it describes the figure in its default state and ignores a consumer's
 * maxwidth/maxheight (the iframe is width="100%", so it fits any width it is given).
 */
import { embedIframe } from './embed';
import type { FigureMeta } from './meta';

export const PROVIDER_NAME = 'The Chain Rule, Twice';
/** The width the fixed heights are measured at (FigureMeta.embedHeight). */
export const EMBED_WIDTH = 900;

/** A "rich" oEmbed response: the spec's required fields, and the optional ones we know. */
export interface OEmbedRich {
  type: 'rich';
  version: '1.0';
  html: string;
  width: number;
  height: number;
  title: string;
  provider_name: string;
  provider_url: string;
}

export function embedPath(id: string): string {
  return `/embed/${id}/`;
}

export function oembedPath(id: string): string {
  return `/oembed/${id}.json`;
}

/** `site`: the book's address (Astro's `site`), e.g. "https://example.org/". */
export function oembedFor(meta: FigureMeta<unknown>, site: string | URL): OEmbedRich {
  const title = `Figure ${meta.number}: ${meta.title}`;
  return {
    type: 'rich',
    version: '1.0',
    html: embedIframe({
      src: new URL(embedPath(meta.id), site).href,
      title,
      height: meta.embedHeight,
    }),
    width: EMBED_WIDTH,
    height: meta.embedHeight,
    title,
    provider_name: PROVIDER_NAME,
    provider_url: new URL('/', site).href,
  };
}
