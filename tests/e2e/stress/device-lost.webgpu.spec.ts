import { expect, test } from '../fixtures';
import { BAD_NUMBERS, bodyText, expectNothingBusy, instances, poke, settle } from './figure';
import { assertServedBuild, FIGURES } from './manifest';

/**
 * WebGPU device lost mid-use (project "webgpu", SwiftShader): every figure forced onto WebGPU
 * goes live, then the page's GPU devices are destroyed, which is what a driver reset or a GPU
 * process crash looks like to the page (`device.lost` resolves, every later GPU call fails).
 * The figure must move itself to WASM, say why, and keep answering.
 */

test.describe.configure({ mode: 'parallel', timeout: 180_000 });

/** Keeps every GPUDevice the page creates, so the test can destroy them. */
const KEEP_DEVICES = `(() => {
  const devices = (globalThis.__stressDevices = []);
  const request = GPUAdapter.prototype.requestDevice;
  GPUAdapter.prototype.requestDevice = async function (...args) {
    const device = await request.apply(this, args);
    devices.push(device);
    return device;
  };
})();`;

// Figures computed in plain TypeScript never touch the GPU.
for (const f of FIGURES.filter((f) => f.runtime === 'onnxruntime')) {
  test(`embed ${f.id}: the WebGPU device is lost while live`, async ({ page, guard, request }) => {
    await assertServedBuild(request);
    // Runs in flight when the device goes are reported as warnings; the browser may log the loss.
    guard.allowError(/device (was )?lost|Device was destroyed|destroyed device/i);
    await page.addInitScript(KEEP_DEVICES);
    await page.goto(`${f.embed}?ep=webgpu`);
    expect(await settle(page, f.id, 90_000)).toEqual(['live']);
    const fig = instances(page, f.id).first();
    const status = fig.locator('.fig-status');
    test.skip(!/· WebGPU/.test(await status.innerText()), 'not running on WebGPU here');
    // Chapter 3's training figures run their models in a Worker (ch3/train/train.worker.ts),
    // whose GPU device the page cannot reach to destroy; a loss there reaches the figure as an
    // error, not yet as a move to WASM (left open in the closing note of 2026-12-03).
    test.skip(
      (await fig.getAttribute('data-thread')) === 'worker',
      'its models run in a Worker: the page holds no GPU device of it',
    );

    const destroyed = await page.evaluate(() => {
      const keep = globalThis as unknown as { __stressDevices: GPUDevice[] };
      keep.__stressDevices.forEach((d) => d.destroy());
      return keep.__stressDevices.length;
    });
    expect(destroyed).toBeGreaterThan(0);
    await poke(fig, 1);

    // On WASM now, with the reason in the status strip.
    await expect(status).toContainText('WASM', { timeout: 90_000 });
    await expect(status).toContainText(/WebGPU device was lost/);
    await expect(fig).toHaveAttribute('data-status', 'live');
    // ...and it still answers.
    const before = await bodyText(fig);
    const did = await poke(fig, 2);
    if (did !== 'nothing')
      await expect.poll(() => bodyText(fig), { timeout: 30_000 }).not.toBe(before);
    expect(await fig.innerText()).not.toMatch(BAD_NUMBERS);
    await expectNothingBusy(page);
  });
}
