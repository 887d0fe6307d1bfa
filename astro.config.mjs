// @ts-check
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import mdx from '@astrojs/mdx';
import preact from '@astrojs/preact';
import { unified } from '@astrojs/markdown-remark';
import remarkMath from 'remark-math';
import rehypeKatex from 'rehype-katex';
import { cspInlineHashes } from './src/integrations/csp-inline-hashes';
import { serviceWorker } from './src/integrations/service-worker';
import remarkInlineValues from './src/markdown/remark-inline-values.mjs';
import remarkApparatus, { scanChapters } from './src/markdown/remark-apparatus.mjs';
import { parseBibtex } from './src/markdown/bibtex.mjs';
import remarkGlossary from './src/markdown/remark-glossary.mjs';
import { GLOSSARY, glossaryHref } from './src/content/glossary';
import { FIGURE_NUMBERS } from './src/components/figure-numbers';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Wide display math scrolls sideways (book.css); a scrollable region must be reachable by
 * keyboard (axe: scrollable-region-focusable), so each display gets tabindex="0".
 */
function focusableDisplayMath() {
  /** @param {any} node */
  const walk = (node) => {
    const cls = node.properties?.className;
    if (node.type === 'element' && Array.isArray(cls) && cls.includes('katex-display'))
      node.properties.tabIndex = 0;
    node.children?.forEach(walk);
  };
  return walk;
}

/**
 * The address the book is published at, from the SITE environment variable
 * (`SITE=https://example.org npm run build`): it makes the canonical links and the sitemap.
 * Without it there is no `site`: pages carry no canonical link and no sitemap is written, rather
 * than ones pointing at a local server (docs/HOSTING.md).
 */
const site = process.env.SITE || undefined;

/** The one bibliography (src/content/references.bib), read once per build. */
const BIB_FILE = 'src/content/references.bib';
const bibliography = parseBibtex(
  readFileSync(new URL(BIB_FILE, import.meta.url), 'utf8'),
  BIB_FILE,
);

/** Says once, in a build without SITE, why there is no sitemap or canonical link. */
function siteNotice() {
  /** @type {import('astro').AstroIntegration} */
  const integration = {
    name: 'site-notice',
    hooks: {
      'astro:config:setup': ({ command, logger }) => {
        if (command === 'build' && !site)
          logger.info(
            'SITE is not set: no canonical links and no sitemap in this build (fine for a local ' +
              'copy; to publish, see docs/HOSTING.md).',
          );
      },
    },
  };
  return integration;
}

export default defineConfig({
  ...(site ? { site } : {}),
  // Math: remark-math finds $...$ and $$...$$, rehype-katex renders it. MDX (the chapters)
  // inherits this processor's plugins (@astrojs/mdx's extendMarkdownConfig, on by default).
  markdown: {
    // remarkInlineValues: a computed number must never begin an MDX source line (it would split
    // its sentence into paragraphs); the build fails with the file and line if one does.
    // remarkApparatus: citations ([@key]) from the bibliography, numbered equations
    // (\label{eq:…}) and references to them and to figures ([@eq:…], [@fig:…]); an unknown key
    // or label fails the build. Each chapter ends with its References and a cite-this block.
    processor: unified({
      remarkPlugins: [
        remarkMath,
        remarkInlineValues,
        [
          remarkApparatus,
          {
            bibliography,
            figures: FIGURE_NUMBERS,
            // Every chapter's equation labels, so a chapter can refer to another's equations
            // (read again for each file: a few small files, and the dev server stays current).
            equations: () =>
              scanChapters(fileURLToPath(new URL('./src/content/docs/chapters', import.meta.url))),
            book: {
              title: 'The Chain Rule, Twice',
              year: String(new Date().getUTCFullYear()),
              site,
            },
          },
        ],
        // remarkGlossary: `[perplexity](gloss:perplexity)` links the term to its Glossary entry
        // and carries the definition shown on hover and focus; an unknown id fails the build.
        [remarkGlossary, { entries: GLOSSARY, href: glossaryHref }],
      ],
      rehypePlugins: [rehypeKatex, focusableDisplayMath],
    }),
  },
  integrations: [
    siteNotice(),
    starlight({
      title: 'The Chain Rule, Twice',
      description:
        'How neural language models work, with every figure running a real model in the page.',
      defaultLocale: 'root',
      locales: { root: { label: 'English', lang: 'en' } },
      customCss: ['katex/dist/katex.min.css', './src/styles/book.css'],
      // The content wrapper plus the script that shows when math or a table scrolls sideways.
      components: { MarkdownContent: './src/components/overrides/MarkdownContent.astro' },
      sidebar: [
        { label: 'Chapters', items: [{ autogenerate: { directory: 'chapters' } }] },
        { label: 'Glossary', link: '/glossary/' },
        { label: 'For teachers', link: '/teachers/' },
      ],
    }),
    mdx(),
    preact(),
    cspInlineHashes(),
    // Last: dist/sw.js precaches the final files (after Pagefind and the CSP hashes).
    serviceWorker(),
  ],
  // A Content-Security-Policy in every page (a <meta>, with hashes of Astro's inline scripts and
  // styles): scripts only from this site, WebAssembly allowed ('wasm-unsafe-eval', for
  // onnxruntime-web and Pagefind), no other hosts. Inline style="" attributes (KaTeX layout,
  // figure geometry) are allowed; inline <script> and <style> only by hash (Starlight's inline
  // scripts are hashed after the build by src/integrations/csp-inline-hashes.ts). docs/HOSTING.md
  // has the same policy as an HTTP header; tests/e2e/pages.spec.ts checks every page.
  security: {
    csp: {
      directives: [
        "default-src 'self'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
      ],
      scriptDirective: { resources: ["'self'", "'wasm-unsafe-eval'"] },
      styleDirective: { resources: ["'self'", { resource: "'unsafe-inline'", kind: 'attribute' }] },
    },
  },
  vite: {
    ssr: { external: ['onnxruntime-node'] },
    // Chapter 3's training Worker (ch3/train/train.worker.ts) loads onnxruntime-web with dynamic
    // imports, which an IIFE worker bundle (Vite's default) cannot split: an ES module worker.
    // Its files are named as Astro names the page's (`[name].[hash]`), so the .wasm it shares
    // with the page is one file in the site, one URL, one download (not a `[name]-[hash]` copy).
    worker: {
      format: 'es',
      rolldownOptions: {
        output: {
          assetFileNames: '_astro/[name].[hash][extname]',
          chunkFileNames: '_astro/[name].[hash].js',
          entryFileNames: '_astro/[name].[hash].js',
        },
      },
    },
  },
});
