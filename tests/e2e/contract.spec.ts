/**
 * The model contract in the browser: a tiny `sequence` model and a tiny `step` model, trained a
 * few steps by the book's trainer on onnxruntime-node (tests/fixtures/tiny-models.ts) and
 * exported, and an untrained Transformer block (layer norm, causal attention, GELU), are served
 * as /models/<id>.onnx and run by the book's own web runtime
 * (src/models/runtime/web.ts, bundled with esbuild into a page of the built site) on WASM and,
 * in the `webgpu` project, on WebGPU (the software adapter). Their outputs must equal
 * onnxruntime-node's on the same files within 1e-4.
 */
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';
import * as ort from 'onnxruntime-node';
import { TENSOR, type IoSpec } from '../../src/models/contract';
import { initialState, runSequence, runStep } from '../../src/models/runtime/run';
import { buildTiny, tinyBlock, type TinyBuild } from '../fixtures/tiny-models';
import { expect, test } from './fixtures';

const dist = path.resolve(process.env['E2E_DIST'] ?? 'dist');

/**
 * `…?url` imports (Vite's) resolve to the hashed file the build emitted: `<stem>.<hash><ext>`,
 * the hash without dots (ort-wasm-simd-threaded.asyncify.D5D0fo7z.wasm,
 * ort.wasm.bundle.min.C1k-1ZD7.mjs for `onnxruntime-web/wasm?url`).
 */
const assetUrls: Plugin = {
  name: 'built-asset-urls',
  setup(build) {
    build.onResolve({ filter: /\?url$/ }, (args) => ({
      // As the browser build resolves it (the `import` condition: the ESM bundle).
      path: path.basename(fileURLToPath(import.meta.resolve(args.path.replace(/\?url$/, '')))),
      namespace: 'built-asset',
    }));
    build.onLoad({ filter: /.*/, namespace: 'built-asset' }, (args) => {
      const ext = path.extname(args.path);
      const stem = args.path.slice(0, -ext.length);
      const file = readdirSync(path.join(dist, '_astro')).find(
        (f) =>
          f.startsWith(`${stem}.`) &&
          f.endsWith(ext) &&
          /^[^.]+$/.test(f.slice(stem.length + 1, -ext.length)),
      );
      if (!file) throw new Error(`no ${args.path} in ${dist}/_astro`);
      return { contents: `export default ${JSON.stringify(`/_astro/${file}`)};`, loader: 'js' };
    });
  },
};

async function bundle(): Promise<string> {
  const out = await build({
    entryPoints: [path.join(import.meta.dirname, 'contract', 'page.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    define: { 'import.meta.env.BASE_URL': '"/"' },
    plugins: [assetUrls],
    logLevel: 'error',
  });
  return out.outputFiles[0]?.text ?? '';
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const V = 27;
const TOKENS = [0, 5, 13, 13, 1, 0, 7, 8, 9];

let tiny: TinyBuild;
let block: ReturnType<typeof tinyBlock>;
let script: string;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  tiny = await buildTiny(20);
  block = tinyBlock(TOKENS.length);
  script = await bundle();
});

// The inline bundle needs a page without the book's CSP (scripts only from the site itself).
test.use({ bypassCSP: true });

async function open(page: import('@playwright/test').Page, ep: 'wasm' | 'webgpu') {
  const files: Record<string, Uint8Array> = {
    'tiny-seq': tiny.seq.onnx,
    'tiny-rnn': tiny.rnnStep.onnx,
    'tiny-block': block.onnx,
  };
  await page.route(/\/models\/tiny-(seq|rnn|block)\.onnx$/, (route) => {
    const id = /tiny-(seq|rnn|block)/.exec(route.request().url())?.[0] as string;
    return route.fulfill({
      body: Buffer.from(files[id] as Uint8Array),
      contentType: 'application/octet-stream',
    });
  });
  await page.goto(`/404.html?ep=${ep}`);
  await page.addScriptTag({ content: script, type: 'module' });
  await page.waitForFunction(() => 'contract' in window);
  const model = (id: string, io: IoSpec) => ({ id, io, sha256: sha256(files[id] as Uint8Array) });
  return {
    seq: model('tiny-seq', tiny.seq.io),
    rnn: model('tiny-rnn', tiny.rnnStep.io),
    block: model('tiny-block', block.io),
  };
}

async function nodeReference() {
  const seqS = await ort.InferenceSession.create(tiny.seq.onnx);
  const seq = await runSequence(ort.Tensor, seqS, tiny.seq.io, [TOKENS], [TENSOR.logprobs, 'mix']);
  const blockS = await ort.InferenceSession.create(block.onnx);
  const blk = await runSequence(
    ort.Tensor,
    blockS,
    block.io,
    [TOKENS],
    [TENSOR.logprobs, 'attention'],
  );
  const stepS = await ort.InferenceSession.create(tiny.rnnStep.onnx);
  let state = initialState(tiny.rnnStep.io, 1);
  const probs: number[][] = [];
  for (const t of TOKENS) {
    const r = await runStep(ort.Tensor, stepS, tiny.rnnStep.io, [t], state);
    state = r.state;
    probs.push(Array.from(r.probs));
  }
  return { seq, probs, blk };
}

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
};

for (const ep of ['wasm', 'webgpu'] as const) {
  test(
    `sequence and step models run in the page on ${ep} as in Node`,
    { tag: ep === 'webgpu' ? '@webgpu' : [] },
    async ({ page }) => {
      // WebGPU on the software adapter compiles its shaders slowly (30 s under load).
      test.setTimeout(300_000);
      const models = await open(page, ep);
      const ref = await nodeReference();

      type SeqOut = { ep: string; out: Record<string, { dims: number[]; data: number[] }> };
      const seq = (await page.evaluate(
        ([m, t]) => window.contract.sequence(m, [t], ['logprobs', 'mix']),
        [models.seq, TOKENS] as const,
      )) as SeqOut;
      expect(seq.ep).toBe(ep);
      expect(seq.out['logprobs']?.dims).toEqual([1, TOKENS.length, V]);
      expect(seq.out['mix']?.dims).toEqual([1, TOKENS.length, 8]);
      expect(maxAbs(seq.out['logprobs']!.data, ref.seq[TENSOR.logprobs]!.data)).toBeLessThanOrEqual(
        1e-4,
      );
      expect(maxAbs(seq.out['mix']!.data, ref.seq['mix']!.data)).toBeLessThanOrEqual(1e-4);

      // layer norm, two-head causal attention (MatMul + additive mask + Softmax), GELU, ReLU
      const blk = (await page.evaluate(
        ([m, t]) => window.contract.sequence(m, [t], ['logprobs', 'attention']),
        [models.block, TOKENS] as const,
      )) as SeqOut;
      expect(blk.out['attention']?.dims).toEqual([1, 2, TOKENS.length, TOKENS.length]);
      expect(maxAbs(blk.out['logprobs']!.data, ref.blk[TENSOR.logprobs]!.data)).toBeLessThanOrEqual(
        1e-4,
      );
      expect(maxAbs(blk.out['attention']!.data, ref.blk['attention']!.data)).toBeLessThanOrEqual(
        1e-4,
      );

      const step = (await page.evaluate(([m, t]) => window.contract.stream(m, t), [
        models.rnn,
        TOKENS,
      ] as const)) as { ep: string; probs: number[][]; refused: string };
      expect(step.ep).toBe(ep);
      expect(step.probs).toHaveLength(TOKENS.length);
      expect(maxAbs(step.probs.flat(), ref.probs.flat())).toBeLessThanOrEqual(1e-4);
      expect(step.refused).toMatch(/tiny-rnn is a step model, not a window model/);
    },
  );
}
