/**
 * Embedding (src/components/ui/embed.ts, oembed.ts): the code the Embed box copies, the
 * listener inside it (run here against a stand-in page), the URL write-back, and every figure's
 * oEmbed document against the oEmbed 1.0 spec (https://oembed.com, sections 2.3.4 and 2.3.4.4).
 */
import { describe, expect, it } from 'vitest';
import { sampleNamesMeta } from '../../src/components/ch1/sample-names/meta';
import { scoreNameMeta } from '../../src/components/ch1/score-name/meta';
import { FIGURE_METAS as METAS } from '../../src/components/figure-numbers';
import {
  HEIGHT_MESSAGE,
  embedCode,
  embedHref,
  embedListener,
  isHeightMessage,
  parseEmbedTheme,
  queryWithState,
} from '../../src/components/ui/embed';
import { oembedFor } from '../../src/components/ui/oembed';

const ORIGIN = 'https://book.example';

describe('embed code', () => {
  it('is the iframe alone before the page knows its origin, with the fixed height', () => {
    const code = embedCode({ src: '/embed/score-name/?text=a&model=mlp', title: 'T', height: 640 });
    expect(code).toBe(
      '<iframe src="/embed/score-name/?text=a&amp;model=mlp" title="T" width="100%" height="640" style="border:0" loading="lazy"></iframe>',
    );
  });

  it('escapes quotes and markup in the title and the state', () => {
    const code = embedCode({
      src: `${ORIGIN}/embed/score-name/?text=%22%3E`,
      title: 'a "quoted" <b>',
      height: 600,
    });
    expect(code).toContain('title="a &quot;quoted&quot; &lt;b>"');
    expect(code).not.toMatch(/title="a "/);
  });

  it('adds an id and the listener once the origin is known', () => {
    const code = embedCode({
      src: `${ORIGIN}/embed/score-name/`,
      title: 'T',
      height: 640,
      frameId: 'f1',
      origin: ORIGIN,
    });
    expect(code.startsWith(`<iframe src="${ORIGIN}/embed/score-name/" id="f1"`)).toBe(true);
    expect(code).toContain('<script>');
    expect(code.trimEnd().endsWith('</script>')).toBe(true);
  });
});

describe('the embed page address', () => {
  it('is the figure state, then the theme when one is chosen', () => {
    expect(embedHref('/', 'score-name', 'text=a+b&model=mlp')).toBe(
      '/embed/score-name/?text=a+b&model=mlp',
    );
    expect(embedHref('/', 'loss-curves', '')).toBe('/embed/loss-curves/');
    expect(embedHref('/', 'loss-curves', '', { theme: 'dark' })).toBe(
      '/embed/loss-curves/?theme=dark',
    );
    expect(embedHref('/book/', 'score-name', 'text=a', { theme: 'light', lock: true })).toBe(
      '/book/embed/score-name/?text=a&theme=light&lock=1',
    );
    expect(embedHref('/', 'score-name', 'text=a', { theme: 'auto', lock: false })).toBe(
      '/embed/score-name/?text=a',
    );
  });

  it('reads a theme, anything else is the reader’s own', () => {
    expect(parseEmbedTheme('dark')).toBe('dark');
    expect(parseEmbedTheme('light')).toBe('light');
    for (const bad of [null, undefined, '', 'DARK', 'auto', 'blue'])
      expect(parseEmbedTheme(bad)).toBe('auto');
  });

  it('no figure uses the page-level keys (theme, lock, ep) for its state', () => {
    for (const meta of METAS) {
      const keys = [...meta.serialize(meta.defaults).keys()];
      for (const k of ['theme', 'lock', 'ep']) expect(keys, meta.id).not.toContain(k);
    }
  });
});

/** Runs the listener's script against a stand-in page with one iframe; returns what it did. */
function runListener(frameId: string, origin: string) {
  const script = embedListener(frameId, origin)
    .replace(/^<script>\n/, '')
    .replace(/\n<\/script>$/, '');
  const contentWindow = {};
  const frame = { contentWindow, style: { height: '' } };
  let handler: ((e: unknown) => void) | undefined;
  const doc = { getElementById: (id: string) => (id === frameId ? frame : null) };
  const add = (type: string, h: (e: unknown) => void) => {
    if (type === 'message') handler = h;
  };
  new Function('addEventListener', 'document', script)(add, doc);
  return {
    frame,
    send: (source: unknown, from: string, data: unknown) =>
      handler?.({ source, origin: from, data }),
    contentWindow,
  };
}

describe('the listener in the embed code', () => {
  const msg = (height: unknown) => ({ type: HEIGHT_MESSAGE, figure: 'score-name', height });

  it('sets its iframe to the height its embed page reports', () => {
    const l = runListener('f1', ORIGIN);
    l.send(l.contentWindow, ORIGIN, msg(742.3));
    expect(l.frame.style.height).toBe('743px');
  });

  it('believes a sandboxed iframe (origin "null") when the message comes from that iframe', () => {
    const l = runListener('f1', ORIGIN);
    l.send(l.contentWindow, 'null', msg(900));
    expect(l.frame.style.height).toBe('900px');
  });

  it('ignores other windows, other origins, other messages and bad heights', () => {
    const l = runListener('f1', ORIGIN);
    l.send({}, ORIGIN, msg(500)); // another iframe
    l.send(l.contentWindow, 'https://evil.example', msg(500)); // navigated elsewhere
    l.send(l.contentWindow, ORIGIN, { type: 'other', height: 500 });
    for (const h of ['500', -1, 0, NaN, 1e9, null]) l.send(l.contentWindow, ORIGIN, msg(h));
    l.send(l.contentWindow, ORIGIN, null);
    l.send(l.contentWindow, ORIGIN, '[iFrameSizer]x:500:100:init');
    expect(l.frame.style.height).toBe('');
  });

  it('the page-side check agrees with the listener', () => {
    expect(isHeightMessage(msg(742))).toBe(true);
    for (const bad of [msg('742'), msg(0), msg(1e9), { ...msg(5), figure: 1 }, null, 'x'])
      expect(isHeightMessage(bad)).toBe(false);
  });
});

describe('the state written back into an embed page URL', () => {
  it('replaces the figure keys only, and keeps the others (ep=, a host parameter)', () => {
    const next = queryWithState(scoreNameMeta, '?ep=wasm&text=emma&model=mlp&utm_source=lms', {
      text: 'ada',
      model: 'bigram',
    });
    const q = new URLSearchParams(next);
    expect(q.get('ep')).toBe('wasm');
    expect(q.get('utm_source')).toBe('lms');
    expect(q.getAll('text')).toEqual(['ada']);
    expect(q.getAll('model')).toEqual(['bigram']);
    expect(scoreNameMeta.parse(q)).toEqual({ text: 'ada', model: 'bigram' });
  });

  it('removes a key the new state no longer writes', () => {
    const next = queryWithState(scoreNameMeta, '?text=emma&model=mlp', {
      text: 'emma',
      model: 'all',
    });
    expect(next).toBe('text=emma');
  });

  it('writes nothing when the URL already says this state (however it is spelled)', () => {
    expect(
      queryWithState(sampleNamesMeta, '?seed=3&t=0.80&model=mlp', {
        ...sampleNamesMeta.parse(new URLSearchParams('seed=3&t=0.8&model=mlp')),
      }),
    ).toBeUndefined();
  });

  it('round-trips every figure through its own codec from a malformed URL', () => {
    for (const meta of METAS) {
      const next = queryWithState(meta, '?x=1&text=%E0%A4&step=oops&cell=zzz', meta.defaults);
      const q = new URLSearchParams(next ?? 'x=1&text=%E0%A4&step=oops&cell=zzz');
      expect(q.get('x'), meta.id).toBe('1');
      expect(meta.parse(q), meta.id).toEqual(meta.defaults);
    }
  });
});

describe('oEmbed documents', () => {
  const site = 'https://book.example/';

  it.each(METAS.map((m) => [m.id, m] as const))('%s: a valid rich response', (_, meta) => {
    const doc = oembedFor(meta, site) as unknown as Record<string, unknown>;
    // Required of every response (2.3.4): type and version "1.0".
    expect(doc['type']).toBe('rich');
    expect(doc['version']).toBe('1.0');
    // Required of type rich (2.3.4.4): html, width, height (width and height in pixels).
    expect(typeof doc['html']).toBe('string');
    for (const k of ['width', 'height']) {
      expect(Number.isInteger(doc[k]), k).toBe(true);
      expect(doc[k] as number, k).toBeGreaterThan(0);
    }
    // Optional ones, when present, are strings; URLs absolute.
    for (const k of ['title', 'provider_name', 'provider_url'])
      expect(typeof doc[k], k).toBe('string');
    expect(new URL(doc['provider_url'] as string).href).toBe(site);
    // The html is the iframe, no script (consumers strip it), at the fixed height.
    const html = doc['html'] as string;
    expect(html).toMatch(/^<iframe [^>]*><\/iframe>$/);
    expect(html).not.toContain('<script');
    expect(html).toContain(`src="${site}embed/${meta.id}/"`);
    expect(html).toContain(`height="${meta.embedHeight}"`);
    expect(doc['height']).toBe(meta.embedHeight);
    // It survives JSON (what the endpoint writes).
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });

  it('every figure has a sensible fixed height', () => {
    for (const meta of METAS) {
      expect(Number.isInteger(meta.embedHeight), meta.id).toBe(true);
      expect(meta.embedHeight, meta.id).toBeGreaterThan(300);
      expect(meta.embedHeight, meta.id).toBeLessThan(2000);
    }
  });
});
