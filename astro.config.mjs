// @ts-check
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import mdx from '@astrojs/mdx';
import preact from '@astrojs/preact';
import { unified } from '@astrojs/markdown-remark';
import remarkMath from 'remark-math';
import rehypeKatex from 'rehype-katex';

export default defineConfig({
  site: 'http://localhost:4321',
  markdown: {
    processor: unified(),
    remarkPlugins: [remarkMath],
    rehypePlugins: [rehypeKatex],
  },
  integrations: [
    starlight({
      title: 'The Chain Rule, Twice',
      description:
        'How neural language models work, with every figure running a real model in the page.',
      defaultLocale: 'root',
      locales: { root: { label: 'English', lang: 'en' } },
      customCss: ['katex/dist/katex.min.css', './src/styles/book.css'],
      sidebar: [{ label: 'Chapters', items: [{ autogenerate: { directory: 'chapters' } }] }],
    }),
    mdx(),
    preact(),
  ],
  vite: {
    ssr: { external: ['onnxruntime-node'] },
  },
});
