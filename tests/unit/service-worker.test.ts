import { describe, expect, it } from 'vitest';
import { fileUrl, precached } from '../../src/integrations/service-worker';

/**
 * What dist/sw.js precaches (src/integrations/service-worker.ts). The worker itself is tested in
 * the browser, against the build: tests/e2e/offline.spec.ts.
 */
describe('the service worker precache list', () => {
  it('takes every page, script, stylesheet, WebAssembly file, model, card and search file', () => {
    for (const file of [
      'index.html',
      '404.html',
      'chapters/01-probability/index.html',
      'embed/score-name/index.html',
      '_astro/ort-wasm-simd-threaded.DcHrbrbl.wasm',
      '_astro/ort.wasm.bundle.min.1RHNMTW7.js',
      '_astro/common.DO3_Bjbo.css',
      '_astro/KaTeX_Main-Regular.B22Nviop.woff2',
      'models/mlp.onnx',
      'models/mlp.json',
      'data/names-splits.json',
      'pagefind/pagefind.js',
      'pagefind/fragment/en_19cf382.pf_fragment',
      'favicon.svg',
    ])
      expect(precached(file), file).toBe(true);
  });

  it('leaves the WebGPU build, font fallbacks, maps and files for tools to run time', () => {
    for (const file of [
      'sw.js',
      'figures.json',
      'sitemap-index.xml',
      'sitemap-0.xml',
      'oembed/score-name.json',
      '_astro/ort-wasm-simd-threaded.asyncify.D5D0fo7z.wasm',
      '_astro/ort.webgpu.bundle.min.CEJ-AoZm.js',
      '_astro/KaTeX_Main-Regular.Dr94JaBh.woff',
      '_astro/KaTeX_Main-Regular.ypZvNtVU.ttf',
      '_astro/page.cNngjUgL.js.map',
    ])
      expect(precached(file), file).toBe(false);
  });

  it('asks for a page by its directory', () => {
    expect(fileUrl('index.html', '/')).toBe('/');
    expect(fileUrl('chapters/02-nnlm/index.html', '/')).toBe('/chapters/02-nnlm/');
    expect(fileUrl('404.html', '/')).toBe('/404.html');
    expect(fileUrl('models/mlp.onnx', '/book/')).toBe('/book/models/mlp.onnx');
    expect(fileUrl('embed/x/index.html', '/book/')).toBe('/book/embed/x/');
  });
});
