import type { Locator, Page } from '@playwright/test';
import { streamInput } from '../../src/components/ch4/stream';
import { nodeStep } from '../../src/models/runtime/node';
import { initialState, type State } from '../../src/models/runtime/run';
import { expect, test } from './fixtures';

/** Going live downloads and compiles onnxruntime-web (~26 MB of WASM for WebGPU). */
const LIVE_TIMEOUT = 60_000;
test.describe.configure({ timeout: 180_000 });

/**
 * Figures 4.1 "unrolled" and 4.4 "gates" on the WebGPU path (Playwright project "webgpu":
 * SwiftShader's CPU adapter here). `?ep=webgpu` forces the EP; what they draw must match
 * onnxruntime-node within 1e-3 (the figures round to 1e-4; WebGPU's float32 kernels differ from
 * the CPU's in the last bits, and an RNN carries the difference from step to step), and match
 * the same page on WASM within the same tolerance.
 */

const CHAPTER = '/chapters/04-recurrent/';
const TOL = 1e-3;
const TEXT = 'maximilian';

async function expected(model: string, text: string, internals: string[]) {
  const m = await nodeStep(model);
  let state: State = initialState(m.io, 1);
  const out: Record<string, number[]>[] = [];
  for (const id of streamInput(text).ids) {
    const r = await m.run([id], state, internals);
    state = r.state;
    out.push(Object.fromEntries(internals.map((n) => [n, Array.from(r.internals[n]!.data)])));
  }
  return out;
}

async function live(page: Page, id: string, ep: 'WebGPU' | 'WASM'): Promise<Locator> {
  const fig = page.locator(`[data-figure="${id}"]`).first();
  await fig.scrollIntoViewIfNeeded();
  await expect(fig).toHaveAttribute('data-status', 'live', { timeout: LIVE_TIMEOUT });
  await expect(fig.locator('[data-status="live"]')).toContainText(ep);
  return fig;
}

function worst(got: number[], want: number[]): number {
  expect(got.length).toBe(want.length);
  return Math.max(0, ...got.map((g, i) => Math.abs(g - (want[i] ?? NaN))));
}

/** What both figures show for TEXT: every step's state (4.1, RNN) and every gate row (4.4, unit 7). */
async function drawn(page: Page, ep: 'WebGPU' | 'WASM') {
  const u = await live(page, 'unrolled', ep);
  await u.locator('input[type="text"]').fill(TEXT);
  await expect(u).toHaveAttribute('data-text', TEXT);
  const slider = u.locator('input[type="range"]');
  const states: number[][] = [];
  // Step 1 reads the start marker, step k + 1 the k-th letter.
  for (let t = 1; t <= TEXT.length + 1; t++) {
    await slider.fill(String(t));
    await expect(u.locator('.ch4-step')).toHaveAttribute('data-step', String(t));
    states.push(JSON.parse((await u.locator('.ch4-step').getAttribute('data-h')) ?? '[]'));
  }
  const g = await live(page, 'gates', ep);
  await g.locator('input[type="text"]').fill(TEXT);
  await expect(g).toHaveAttribute('data-text', TEXT);
  await g.locator('input[type="range"]').fill('7');
  await expect(g).toHaveAttribute('data-unit', '7');
  const gates: Record<string, number[]> = {};
  for (const row of await g.locator('tr[data-gate]').all()) {
    const key = (await row.getAttribute('data-gate')) ?? '';
    gates[key] = await row
      .locator('td')
      .evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-v'))));
  }
  return { states, gates };
}

test('forced WebGPU: both figures run live on WebGPU, match onnxruntime-node and the WASM page', async ({
  page,
}) => {
  await page.goto(`${CHAPTER}?ep=webgpu`);
  const gpu = await drawn(page, 'WebGPU');

  const rnn = await expected('rnn', TEXT, ['hidden']);
  gpu.states.forEach((h, t) => expect(worst(h, rnn[t]!['hidden']!), `h_${t}`).toBeLessThan(TOL));
  const lstm = await expected('lstm', TEXT, ['input', 'forget', 'output']);
  const gru = await expected('gru', TEXT, ['update', 'reset']);
  for (const [key, want] of Object.entries({
    'lstm:input': lstm.map((s) => s['input']![6]!),
    'lstm:forget': lstm.map((s) => s['forget']![6]!),
    'lstm:output': lstm.map((s) => s['output']![6]!),
    'gru:update': gru.map((s) => s['update']![6]!),
    'gru:reset': gru.map((s) => s['reset']![6]!),
  }))
    expect(worst(gpu.gates[key] ?? [], want), key).toBeLessThan(TOL);

  await page.goto(`${CHAPTER}?ep=wasm`);
  const cpu = await drawn(page, 'WASM');
  gpu.states.forEach((h, t) =>
    expect(worst(h, cpu.states[t] ?? []), `WebGPU vs WASM h_${t}`).toBeLessThan(TOL),
  );
  for (const key of Object.keys(gpu.gates))
    expect(worst(gpu.gates[key] ?? [], cpu.gates[key] ?? []), key).toBeLessThan(TOL);
});
