import os from 'node:os';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { examples, loadNames } from '../../src/models/names/data';
import { buildLab, labGraphs, labStepper } from '../../src/models/names/mlp-lab';
import { NodeSession } from '../../src/models/train/session';

/** Chapter 3: step-through graph, finite-difference check, training in the page, embeds. */

const CHAPTER = '/chapters/03-backprop/';
// Going live compiles onnxruntime-web's WebAssembly and builds the graphs: slow on a busy machine.
test.describe.configure({ timeout: 240_000 });

async function live(page: Page, figure: string, timeout = 90_000): Promise<void> {
  await expect(page.locator(`[data-figure="${figure}"]`)).toHaveAttribute('data-status', 'live', {
    timeout,
  });
}

/** What one training step gives in Node (onnxruntime-node), from the same seed, batch and lr. */
async function nodeStep(seed: number, batch: number, lr: number): Promise<Float64Array[]> {
  const c = loadNames();
  const lab = buildLab(seed, 'random');
  const graphs = labGraphs(lab);
  const session = await NodeSession.create(graphs.step);
  const stepper = labStepper(lab, session, graphs.gradNames, { seed, optimizer: 'adam' });
  await stepper.step(examples(c.train), batch, lr);
  await session.release();
  return stepper.values;
}

async function pageValues(page: Page, figure: string): Promise<number[][]> {
  return page.evaluate((f) => {
    const hook = (
      globalThis as unknown as { __ch3?: Record<string, { values: () => Promise<number[][]> }> }
    ).__ch3;
    return hook?.[f]?.values() ?? [];
  }, figure);
}

/** Record the page's long tasks (over 50 ms on the main thread) from its first script on. */
async function observeLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = globalThis as { __longtasks?: { start: number; duration: number }[] };
    w.__longtasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        w.__longtasks?.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
}

/** The long tasks that started between t0 and t1 (performance.now() of the page). */
function longTasks(page: Page, t0: number, t1: number) {
  return page.evaluate(
    ([a, b]) =>
      (
        (globalThis as { __longtasks?: { start: number; duration: number }[] }).__longtasks ?? []
      ).filter((e) => e.start >= (a as number) && e.start <= (b as number)),
    [t0, t1],
  );
}

function maxDiff(a: number[][], b: Float64Array[]): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  a.forEach((row, i) => {
    const other = b[i] as Float64Array;
    expect(row.length).toBe(other.length);
    row.forEach((v, j) => (d = Math.max(d, Math.abs(v - (other[j] as number)))));
  });
  return d;
}

test('the chapter renders its figures before any JavaScript runs', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(CHAPTER);
  for (const id of ['backprop-graph', 'train-mlp', 'gradient-flow', 'zero-init', 'activations']) {
    await expect(page.locator(`#fig-${id}`).first()).toBeVisible();
  }
  // The build-time render already has numbers: gradients in the graph, a trained curve, samples.
  await expect(
    page.locator('[data-figure="backprop-graph"] [data-box="a"] [data-role="grad"]').first(),
  ).toContainText('∂L/∂a');
  await expect(page.locator('[data-figure="train-mlp"] [data-role="step"]')).toHaveText('1000');
  await expect(
    page.locator('[data-figure="zero-init"] [data-init="constant"] [data-role="distinct"]'),
  ).toHaveText('1');
  await expect(page.locator('.katex').first()).toBeVisible();
  await context.close();
});

test('step-through: values appear going forward, then gradients going backward', async ({
  page,
}) => {
  await page.goto('/embed/backprop-graph/?ex=expr&step=0');
  const fig = page.locator('[data-figure="backprop-graph"]');
  await live(page, 'backprop-graph');
  const box = (id: string) => fig.locator(`[data-box="${id}"]`);
  await expect(box('L')).toHaveAttribute('data-has-value', '0');
  await expect(box('a')).toHaveAttribute('data-has-value', '1'); // leaves are given
  const next = fig.locator('[data-action="next"]');
  for (let i = 0; i < 4; i++) await next.click();
  await expect(box('L')).toHaveAttribute('data-has-value', '1');
  await expect(box('L').locator('[data-role="value"]')).toHaveText('= 0.332');
  await expect(box('L')).toHaveAttribute('data-has-grad', '0');
  await next.click(); // backward through L = h × d
  await expect(box('L')).toHaveAttribute('data-has-grad', '1');
  await expect(box('d')).toHaveAttribute('data-has-grad', '1');
  await expect(box('a')).toHaveAttribute('data-has-grad', '0');
  await expect(fig.locator('[data-role="describe"]')).toContainText('Backward through L = h × d');
  for (let i = 0; i < 3; i++) await next.click();
  await expect(box('a').locator('[data-role="grad"]')).toHaveText('∂L/∂a −0.224');
  await expect(fig.locator('[data-role="progress"]')).toContainText('Step 8 of 8');
  // Changing an input recomputes: d = 1 doubles L.
  await fig.locator('[data-input="d"]').fill('1');
  await expect(box('L').locator('[data-role="value"]')).toHaveText('= 0.664');
});

test('check: the backward pass agrees with finite differences, on the expression and on the MLP', async ({
  page,
}) => {
  await page.goto('/embed/backprop-graph/?ex=expr');
  const fig = page.locator('[data-figure="backprop-graph"]');
  await live(page, 'backprop-graph');
  for (const leaf of ['a', 'c', 'd']) {
    await fig.locator('[data-input="leaf"]').selectOption(leaf);
    await fig.locator('[data-action="check"]').click();
    await expect(fig.locator('[data-role="check"]')).toHaveAttribute('data-agrees', 'true');
  }
  await fig.locator('select').first().selectOption('mlp');
  await expect(fig).toHaveAttribute('data-fresh', '1');
  for (const leaf of ['W1', 'C', 'b2']) {
    await fig.locator('[data-input="leaf"]').selectOption(leaf);
    await fig.locator('[data-action="check"]').click();
    await expect(fig.locator('[data-role="check"]')).toHaveAttribute('data-agrees', 'true');
  }
  await expect(fig.locator('[data-role="c-rows"]')).toContainText('∂L/∂C is zero except');
});

test('one training step in the page (onnxruntime-web, WASM) equals the Node step', async ({
  page,
}) => {
  const expected = await nodeStep(3, 32, 0.01);
  await page.goto('/embed/train-mlp/?seed=3&lr=0.01&batch=32&opt=adam&ep=wasm');
  await live(page, 'train-mlp');
  await page.locator('[data-action="step"]').click();
  await expect(page.locator('[data-figure="train-mlp"]')).toHaveAttribute('data-steps', '1');
  expect(maxDiff(await pageValues(page, 'train-mlp'), expected)).toBeLessThan(1e-5);
});

test('one training step on WebGPU equals the Node step', { tag: '@webgpu' }, async ({ page }) => {
  const expected = await nodeStep(3, 32, 0.01);
  await page.goto('/embed/train-mlp/?seed=3&lr=0.01&batch=32&opt=adam&ep=webgpu');
  // The WebGPU build of onnxruntime (26 MB of WebAssembly) compiles slowly on a busy CPU.
  test.setTimeout(300_000);
  await live(page, 'train-mlp', 240_000);
  await expect(page.locator('[data-figure="train-mlp"] .fig-status')).toContainText('WebGPU');
  await page.locator('[data-action="step"]').click();
  await expect(page.locator('[data-figure="train-mlp"]')).toHaveAttribute('data-steps', '1', {
    timeout: 120_000,
  });
  expect(maxDiff(await pageValues(page, 'train-mlp'), expected)).toBeLessThan(1e-5);
});

test('training in the page lowers held-out loss without long tasks; pause, reset and seed reproduce runs', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await observeLongTasks(page);
  await page.goto('/embed/train-mlp/?seed=1&lr=0.01&batch=32&opt=adam');
  const fig = page.locator('[data-figure="train-mlp"]');
  await live(page, 'train-mlp');
  await fig.locator('[data-action="step"]').click();
  await expect(fig).toHaveAttribute('data-steps', '1');
  const first = Number(await fig.locator('[data-role="heldout"]').textContent());
  expect(first).toBeGreaterThan(3);

  const t0 = await page.evaluate(() => performance.now());
  await fig.locator('[data-action="play"]').click();
  await expect
    .poll(async () => Number(await fig.getAttribute('data-steps')), { timeout: 90_000 })
    .toBeGreaterThanOrEqual(301);
  await fig.locator('[data-action="play"]').click(); // pause
  await expect(fig).toHaveAttribute('data-playing', '0');
  const t1 = await page.evaluate(() => performance.now());
  const paused = await fig.getAttribute('data-steps');
  await page.waitForTimeout(500);
  await expect(fig).toHaveAttribute('data-steps', paused ?? '');
  const held = Number(await fig.locator('[data-role="heldout"]').textContent());
  expect(held).toBeLessThan(first - 0.4);
  const long = await longTasks(page, t0, t1);
  const over = long.filter((e) => e.duration > 100);
  // A long task is wall time: when other processes keep every core busy, the OS preempts the
  // browser mid-task and any task can read long. Strict on a machine with a core to spare;
  // on a loaded one, only "rare" is checked, and the annotation says how loaded it was.
  const load = os.loadavg()[0] ?? 0;
  const rate = over.length / ((t1 - t0) / 1000);
  test.info().annotations.push({
    type: 'long tasks',
    description: `${over.length} over 100 ms in ${((t1 - t0) / 1000).toFixed(1)} s of training; load ${load.toFixed(1)} on ${os.cpus().length} CPUs`,
  });
  if (load < os.cpus().length) expect(over, JSON.stringify(long)).toEqual([]);
  else expect(rate, JSON.stringify(long)).toBeLessThan(3);

  // Reset: the same seed gives the same weights and batches, so the same numbers.
  const stepN = async (n: number) => {
    for (let i = 0; i < n; i++) await fig.locator('[data-action="step"]').click();
    await expect(fig).toHaveAttribute('data-steps', String(n));
    return {
      held: await fig.locator('[data-role="heldout"]').textContent(),
      values: await pageValues(page, 'train-mlp'),
    };
  };
  await fig.locator('[data-action="reset"]').click();
  await expect(fig).toHaveAttribute('data-steps', '0');
  const a = await stepN(3);
  await fig.locator('[data-action="reset"]').click();
  await expect(fig).toHaveAttribute('data-steps', '0');
  const b = await stepN(3);
  expect(b.held).toBe(a.held);
  expect(b.values).toEqual(a.values);
  // Another seed: other initial weights.
  await fig.locator('[data-input="seed"]').fill('2');
  await fig.locator('[data-input="seed"]').blur();
  await expect(fig).toHaveAttribute('data-steps', '0');
  const c = await stepN(3);
  expect(c.values).not.toEqual(a.values);
});

test('zero init: hidden units stay identical while random init learns', async ({ page }) => {
  await page.goto('/embed/zero-init/');
  const fig = page.locator('[data-figure="zero-init"]');
  await live(page, 'zero-init');
  for (let i = 0; i < 5; i++) await fig.locator('[data-action="step"]').click();
  await expect(fig).toHaveAttribute('data-run', 'live');
  await expect(fig).toHaveAttribute('data-steps', '5');
  await expect(fig.locator('[data-init="random"] [data-role="distinct"]')).toHaveText('200');
  await expect(fig.locator('[data-init="zero"] [data-role="distinct"]')).toHaveText('1');
  await expect(fig.locator('[data-init="constant"] [data-role="distinct"]')).toHaveText('1');
});

test('where the gradient goes: characters absent from the batch get exactly zero', async ({
  page,
}) => {
  await page.goto('/embed/gradient-flow/?batch=8');
  const fig = page.locator('[data-figure="gradient-flow"]');
  await live(page, 'gradient-flow');
  await fig.locator('[data-action="step"]').click();
  await expect(fig).toHaveAttribute('data-steps', '1');
  const bars = await fig
    .locator('[data-bar]')
    .evaluateAll((gs) => gs.map((g) => g.getAttribute('data-zero')));
  expect(bars).toHaveLength(27);
  // 8 examples x 3 context characters touch at most 24 distinct rows.
  expect(bars.filter((z) => z === '1').length).toBeGreaterThanOrEqual(3);
  expect(bars.filter((z) => z === '0').length).toBeGreaterThanOrEqual(1);
});

test('embed pages take their state from the URL', async ({ page }) => {
  await page.goto('/embed/backprop-graph/?ex=mlp&step=5&i=2');
  const g = page.locator('[data-figure="backprop-graph"]');
  await expect(g).toHaveAttribute('data-ex', 'mlp');
  await expect(g).toHaveAttribute('data-step', '5');
  await expect(g.locator('[data-input="example"]')).toHaveValue('2');
  await page.goto('/embed/activations/?lr=0.05&batch=64&opt=sgd&seed=7');
  const a = page.locator('[data-figure="activations"]');
  await expect(a.locator('[data-role="lr"]')).toHaveText('0.05');
  await expect(a.locator('[data-input="batch"]')).toHaveValue('64');
  await expect(a.locator('[data-input="opt"]')).toHaveValue('sgd');
  await expect(a.locator('[data-input="seed"]')).toHaveValue('7');
});

test('every chapter-3 figure has an embed page without the book chrome', async ({ page }) => {
  for (const id of ['backprop-graph', 'train-mlp', 'gradient-flow', 'zero-init', 'activations']) {
    const res = await page.goto(`/embed/${id}/`);
    expect(res?.status(), id).toBe(200);
    await live(page, id);
    await expect(page.locator('.sidebar, header.header, .sl-markdown-content')).toHaveCount(0);
    await expect(page.locator('.embed__back a')).toHaveAttribute('href', `${CHAPTER}#fig-${id}`);
    await expect(page.locator('.fig-embed')).toHaveCount(0);
  }
});

test('training runs in a Worker: no long main-thread task, and another figure answers keys at once', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await observeLongTasks(page);
  await page.goto(CHAPTER);
  const fig = page.locator('[data-figure="train-mlp"]');
  await fig.scrollIntoViewIfNeeded();
  await live(page, 'train-mlp');
  const graph = page.locator('[data-figure="backprop-graph"]').first();
  await graph.scrollIntoViewIfNeeded();
  await expect(graph).toHaveAttribute('data-status', 'live', { timeout: 90_000 });
  // The figures that came into view on the way are live too: what follows measures training only.
  await expect(page.locator('[data-status="loading"]')).toHaveCount(0, { timeout: 90_000 });
  await page.waitForTimeout(1000);
  // Keydown -> the figure's DOM changed (its new result is committed), per key.
  await graph.evaluate((el) => {
    const w = globalThis as { __keys?: number[] };
    w.__keys = [];
    let down: number | undefined;
    el.addEventListener('keydown', (e) => (down = e.timeStamp), true);
    new MutationObserver(() => {
      if (down === undefined) return;
      w.__keys?.push(performance.now() - down);
      down = undefined;
    }).observe(el, { subtree: true, childList: true, characterData: true, attributes: true });
  });

  // The renderer's main thread: its tasks' wall time and its CPU time (Chromium's own counters).
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const metrics = async () =>
    Object.fromEntries(
      (await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]),
    ) as Record<'Timestamp' | 'TaskDuration' | 'ThreadTime', number>;

  // Train and Pause without scrolling to the figure: the reader stays at the figure they type in.
  const play = () => fig.locator('[data-action="play"]').dispatchEvent('click');
  await play();
  // The live run's step count (the figure out of view is not redrawn while it trains).
  const steps = async () =>
    Number(
      await page.evaluate(() =>
        (globalThis as unknown as { __ch3?: Record<string, { steps: () => number }> }).__ch3?.[
          'train-mlp'
        ]?.steps(),
      ),
    );
  await expect.poll(steps, { timeout: 60_000 }).toBeGreaterThan(20);
  const t0 = await page.evaluate(() => performance.now());
  const m0 = await metrics();
  const s0 = await steps();
  // About 6 s of training, reading keys in another figure meanwhile.
  const input = graph.locator('[data-input="d"]');
  await input.focus();
  for (let i = 0; i < 40; i++) {
    await input.press(i % 2 ? 'ArrowDown' : 'ArrowUp');
    await page.waitForTimeout(150);
  }
  const t1 = await page.evaluate(() => performance.now());
  const m1 = await metrics();
  const s1 = await steps();
  await play(); // pause
  await expect(fig).toHaveAttribute('data-playing', '0');
  // Drawn once training stopped, out of view or not.
  await expect(fig).toHaveAttribute('data-steps', String(await steps()));

  const long = await longTasks(page, t0, t1);
  const keys = await page.evaluate(() => (globalThis as { __keys?: number[] }).__keys ?? []);
  const sorted = [...keys].sort((a, b) => a - b);
  const p95 = sorted[Math.min(sorted.length - 1, Math.floor(0.95 * sorted.length))] ?? Infinity;
  const longest = Math.max(0, ...long.map((e) => e.duration));
  const seconds = (t1 - t0) / 1000;
  const wall = m1.Timestamp - m0.Timestamp;
  const busy = (m1.TaskDuration - m0.TaskDuration) / wall;
  const cpu = (m1.ThreadTime - m0.ThreadTime) / wall;
  const load = os.loadavg()[0] ?? 0;
  const summary = `${s1 - s0} steps in ${seconds.toFixed(1)} s (thread: ${await fig.getAttribute('data-thread')}); ${long.length} long tasks, longest ${longest.toFixed(0)} ms; ${keys.length} keys, p95 ${p95.toFixed(1)} ms; main thread in tasks ${(100 * busy).toFixed(0)}% of the time, CPU ${(100 * cpu).toFixed(0)}%; load ${load.toFixed(1)} on ${os.cpus().length} CPUs`;
  test.info().annotations.push({ type: 'main thread while training', description: summary });
  console.log(`main thread while training: ${summary}`);

  // The loop runs in the page's training Worker.
  await expect(fig).toHaveAttribute('data-thread', 'worker');
  expect(page.workers().map((w) => w.url())).toContainEqual(
    expect.stringMatching(/train\.worker\.[\w-]+\.js$/),
  );
  expect(s1 - s0, 'training advanced while keys were pressed').toBeGreaterThan(50);
  expect(keys.length).toBeGreaterThanOrEqual(38);
  // Long tasks and key latency are wall time: when other processes keep every core busy, the OS
  // preempts the browser mid-task, and the page's own drawing reads long too. With a core to
  // spare: no task over 50 ms, keys within a frame. On a loaded machine (load 8-12 on 2 CPUs
  // here, where training on the main thread kept it in tasks 83-98% of the time): the main
  // thread mostly idle, and the median key within a frame (a few keys preempted: p95 47-66 ms).
  if (load < os.cpus().length) {
    expect(long, JSON.stringify(long)).toEqual([]);
    expect(p95, JSON.stringify(sorted)).toBeLessThanOrEqual(16);
  } else {
    expect(busy, summary).toBeLessThan(0.8);
    expect(sorted[Math.floor(sorted.length / 2)], JSON.stringify(sorted)).toBeLessThanOrEqual(16);
  }
});
