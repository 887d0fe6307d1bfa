/**
 * Exporting a figure (src/components/ui/export.ts): file names, escaping, caption wrapping and
 * the SVG document; and the "For teachers" texts every registered figure must carry.
 */
import { describe, expect, it } from 'vitest';
import { escapeXml, exportFileName, exportSvg, wrapText } from '../../src/components/ui/export';
import { FIGURE_METAS } from '../../src/components/figure-numbers';

describe('exportFileName', () => {
  it('names the file by number and id', () => {
    expect(exportFileName('1.2', 'score-name', 'svg')).toBe('figure-1-2-score-name.svg');
    expect(exportFileName('3.5', 'activations', 'png')).toBe('figure-3-5-activations.png');
    expect(exportFileName(' 2.4 ', 'Hidden Layer!', 'png')).toBe('figure-2-4-hidden-layer.png');
  });
});

describe('escapeXml', () => {
  it('escapes markup characters', () => {
    expect(escapeXml('<unk> & "q"')).toBe('&lt;unk&gt; &amp; &quot;q&quot;');
  });
});

describe('wrapText', () => {
  it('keeps every word, in order, within the width where it can', () => {
    const text = 'the quick brown fox jumps over the lazy dog again and again';
    const lines = wrapText(text, 12);
    expect(lines.join(' ')).toBe(text);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(12);
  });
  it('gives a word longer than the width a line of its own', () => {
    expect(wrapText('a abcdefghijkl b', 5)).toEqual(['a', 'abcdefghijkl', 'b']);
  });
  it('returns no line for empty text', () => {
    expect(wrapText('  ', 10)).toEqual([]);
  });
});

describe('exportSvg', () => {
  const parts = {
    number: '1.2',
    title: 'Scoring a name, one character at a time',
    caption: 'Each row is one factor of the chain rule <with> & symbols.',
    url: 'https://example.org/embed/score-name/?text=zoe&model=mlp',
    body: '<div xmlns="http://www.w3.org/1999/xhtml">body</div>',
    width: 600,
    height: 400,
    background: 'rgb(255, 255, 255)',
    color: 'rgb(0, 0, 0)',
    fontFamily: '"Inter", sans-serif',
  };
  const out = exportSvg(parts);
  it('frames the body with room for the header, caption and address', () => {
    expect(out.width).toBe(632);
    expect(out.height).toBeGreaterThan(400 + 3 * 18);
    expect(out.svg).toContain('<foreignObject x="16" y="42" width="600" height="400">');
    expect(out.svg).toContain(parts.body);
  });
  it('carries title, caption and the live address as escaped text', () => {
    expect(out.svg).toContain('<title>Figure 1.2. Scoring a name, one character at a time</title>');
    expect(out.svg).toContain('&lt;with&gt; &amp; symbols.');
    expect(out.svg).toContain('?text=zoe&amp;model=mlp');
    expect(out.svg).toContain('font-family="&quot;Inter&quot;, sans-serif"');
    expect(out.svg).not.toContain('<with>');
  });
});

describe('teaching texts', () => {
  it('every figure says what it shows, a lesson idea and an exercise', () => {
    expect(FIGURE_METAS.length).toBe(25);
    for (const m of FIGURE_METAS) {
      for (const t of [m.teaching.shows, m.teaching.lesson, m.teaching.exercise]) {
        expect(t.length, m.id).toBeGreaterThan(40);
        // No measured number typed into the text (those come from the models, at build time).
        expect(t, m.id).not.toMatch(/\d[.,]\d|\d\s*%/);
      }
    }
  });
});
