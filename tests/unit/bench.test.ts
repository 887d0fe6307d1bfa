/**
 * The benchmark's own code: the static-import reader behind the size budget
 * (scripts/bench/pagejs.ts) and the plain ONNX interpreter that the bench compares
 * onnxruntime-web against (scripts/bench/page/forward.ts), checked here against
 * onnxruntime-node on every committed window model.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasPlainModel, plainModel, unsupportedOps } from '../../scripts/bench/page/forward';
import { pageRoots, staticImports } from '../../scripts/bench/pagejs';
import { MODEL_IDS, type IoSpec } from '../../src/models/contract';
import { encodeModel } from '../../src/models/graph/proto';
import { decodeModel } from '../../src/models/graph/proto-read';
import { modelsDir, nodePredict } from '../../src/models/runtime/node';

describe('size budget: what a page loads', () => {
  it('reads static imports of minified modules and leaves dynamic ones out', () => {
    const code =
      'import{j as e}from"./jsx.A1.js";import"./side.B2.js";export{x as y}from"./re.C3.js";' +
      'const m=()=>import("./ort.D4.js");import*as ns from"./ns.E5.js";';
    expect(staticImports(code)).toEqual([
      './jsx.A1.js',
      './side.B2.js',
      './re.C3.js',
      './ns.E5.js',
    ]);
  });

  it('finds module scripts, modulepreloads and island URLs in the HTML', () => {
    const html = `<script type="module" src="/_astro/page.js"></script>
      <script>console.log("classic")</script>
      <script type="module">import "/_astro/inline.js";</script>
      <link rel="modulepreload" href="/_astro/pre.js">
      <astro-island uid="x" component-url="/_astro/Fig.js" renderer-url="/_astro/client.js" client="visible"></astro-island>`;
    expect(pageRoots(html, '/embed/x/')).toEqual({
      entry: ['/_astro/page.js', '/_astro/inline.js', '/_astro/pre.js'],
      islands: ['/_astro/Fig.js', '/_astro/client.js'],
    });
  });
});

/** Every shipped window model (ctx [B, n] -> probs [B, V]), by its card. */
const windowModels = MODEL_IDS.filter((id) => {
  const card = JSON.parse(readFileSync(path.join(modelsDir(), `${id}.json`), 'utf8')) as {
    io: IoSpec;
  };
  return card.io.kind === 'window';
});

const modelBytes = (id: string) =>
  new Uint8Array(readFileSync(path.join(modelsDir(), `${id}.onnx`)));

describe('the plain ONNX interpreter the bench compares onnxruntime-web with', () => {
  it('finds the window models by their cards', () => {
    expect(windowModels).toContain('mlp');
    expect(windowModels).toContain('nnlm');
  });

  for (const id of windowModels) {
    it(`${id}: same probabilities as onnxruntime-node`, async () => {
      const plain = plainModel(modelBytes(id));
      const contexts = Array.from({ length: 5 }, (_, b) =>
        Array.from({ length: plain.context }, (_, j) => (b * 13 + j * 7 + 1) % plain.vocab),
      );
      const out = new Float32Array(contexts.length * plain.vocab);
      plain.forward(Int32Array.from(contexts.flat()), contexts.length, out);
      const ref = await (await nodePredict(id))(contexts);
      expect(ref.length).toBe(out.length);
      let worst = 0;
      for (let i = 0; i < out.length; i++)
        worst = Math.max(worst, Math.abs((out[i] as number) - (ref[i] as number)));
      expect(worst).toBeLessThan(1e-5);
    });
  }

  it('names an op it does not implement', () => {
    const model = decodeModel(modelBytes('mlp'));
    const tanh = model.graph.nodes.find((n) => n.opType === 'Tanh');
    if (!tanh) throw new Error('mlp has no Tanh');
    tanh.opType = 'Relu';
    const bytes = encodeModel(model);
    expect(unsupportedOps(bytes)).toEqual(['Relu']);
    expect(hasPlainModel(bytes)).toBe(false);
    expect(() => plainModel(bytes)).toThrow(/unsupported op Relu/);
  });
});
