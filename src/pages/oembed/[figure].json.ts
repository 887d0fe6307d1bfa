/**
 * /oembed/<figure>.json: the figure's oEmbed document (src/components/ui/oembed.ts). Written
 * only in a build with SITE set: oEmbed needs absolute URLs, and a build without SITE does not
 * know its own address (docs/HOSTING.md). Such a build has no /oembed/ and no discovery link.
 */
import type { APIRoute, GetStaticPaths } from 'astro';
import { FIGURES, isFigureId } from '../../components/figures';
import { oembedFor } from '../../components/ui/oembed';

export const getStaticPaths = (() =>
  import.meta.env.SITE
    ? Object.keys(FIGURES).map((figure) => ({ params: { figure } }))
    : []) satisfies GetStaticPaths;

export const GET: APIRoute = ({ params, site }) => {
  const id = params['figure'];
  if (!isFigureId(id) || !site) return new Response(null, { status: 404 });
  // FIGURES mixes state types; oembedFor reads no state.
  const meta = FIGURES[id] as unknown as Parameters<typeof oembedFor>[0];
  return new Response(JSON.stringify(oembedFor(meta, site), null, 2), {
    headers: { 'content-type': 'application/json' },
  });
};
