/**
 * Bundled by contract.spec.ts (esbuild) and run inside a page of the built book: the book's own
 * browser runtime (src/models/runtime/web.ts, with onnxruntime-web and the .wasm files the build
 * emitted), exposed for the test. Nothing here is a stand-in: the same module the figures use.
 */
import { liveModel, type LiveModel } from '../../../src/models/runtime/web';

declare global {
  interface Window {
    contract: {
      sequence(model: LiveModel, tokens: number[][], outputs: string[]): Promise<unknown>;
      stream(model: LiveModel, tokens: number[]): Promise<unknown>;
    };
  }
}

window.contract = {
  async sequence(model, tokens, outputs) {
    const { runner, ep } = await liveModel(model);
    const out = await runner.sequence(tokens, outputs);
    return {
      ep,
      out: Object.fromEntries(
        Object.entries(out).map(([k, v]) => [k, { dims: v.dims, data: Array.from(v.data) }]),
      ),
    };
  },
  async stream(model, tokens) {
    const { runner, ep } = await liveModel(model);
    let state = runner.initialState(1);
    const probs: number[][] = [];
    for (const t of tokens) {
      const r = await runner.step([t], state, ['hidden']);
      state = r.state;
      probs.push(Array.from(r.probs));
    }
    // a wrong kind of call is refused with the model's kind
    const refused = await runner.window([[0, 0, 0]]).then(
      () => '',
      (e: unknown) => String(e),
    );
    return { ep, probs, refused };
  },
};
