import type { Locator, Page } from '@playwright/test';
import { MAX_STREAM_CHARS, streamInput } from '../../src/components/ch4/stream';
import { nodeStep } from '../../src/models/runtime/node';
import { initialState, type State } from '../../src/models/runtime/run';
import { expect, test } from './fixtures';

/** Going live downloads and compiles onnxruntime-web (~14 MB of WASM): slow on a busy machine. */
const LIVE_TIMEOUT = 45_000;
test.describe.configure({ timeout: 180_000 });

/**
 * Chapter 4's figures 4.1 "unrolled" and 4.4 "gates", in Chromium on the WASM path. Expected
 * numbers come from onnxruntime-node on the same .onnx files, one step at a time from the zero
 * state (nodeStep), independently of the figure's incremental cache.
 */

const CHAPTER = '/chapters/04-recurrent/';
/** The figure rounds what it draws to 1e-4; the two runtimes agree to ~1e-6. */
const TOL = 2e-4;

/** Each step's outputs `internals` for the text, streamed from scratch with onnxruntime-node. */
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

async function live(page: Page, id: string): Promise<Locator> {
  const fig = page.locator(`[data-figure="${id}"]`).first();
  await fig.scrollIntoViewIfNeeded();
  await expect(fig).toHaveAttribute('data-status', 'live', { timeout: LIVE_TIMEOUT });
  return fig;
}

function close(got: number[], want: number[], what: string): void {
  expect(got.length, what).toBe(want.length);
  const worst = Math.max(0, ...got.map((g, i) => Math.abs(g - (want[i] ?? NaN))));
  expect(worst, what).toBeLessThan(TOL);
}

async function shownState(fig: Locator): Promise<number[]> {
  return JSON.parse((await fig.locator('.ch4-step').getAttribute('data-h')) ?? '[]') as number[];
}

async function expectNoNaN(fig: Locator): Promise<void> {
  const text = await fig.evaluate((e) => e.textContent ?? '');
  expect(text).not.toMatch(/NaN|undefined|Infinity/);
  const attrs = await fig.evaluate((e) =>
    [...e.querySelectorAll('*')].flatMap((el) => [...el.attributes].map((a) => a.value)),
  );
  expect(attrs.filter((a) => /NaN/.test(a))).toEqual([]);
}

test('both figures are in the HTML before any JavaScript runs, with the build-time numbers', async ({
  request,
}) => {
  const html = await (await request.get(CHAPTER)).text();
  // unrolled: "emma" is the start marker and 4 characters, 5 columns of 64 units.
  expect(html).toContain('data-figure="unrolled"');
  expect(html).toMatch(/data-columns="5"/);
  const m = /data-h="([^"]+)"/.exec(html);
  const want = await expected('rnn', 'emma', ['hidden']);
  close(
    JSON.parse((m?.[1] ?? '[]').replace(/&quot;/g, '"')) as number[],
    want[4]!['hidden']!,
    'h after "emma"',
  );
  // gates: "christopher" is 12 steps; five gate rows of 12 cells.
  expect(html).toContain('data-figure="gates"');
  for (const gate of ['lstm:input', 'lstm:forget', 'lstm:output', 'gru:update', 'gru:reset'])
    expect(html).toContain(`data-gate="${gate}"`);
});

test('unrolled: typing runs only the new characters, an edit in the middle reruns from there, and the state matches onnxruntime-node', async ({
  page,
}) => {
  await page.goto(CHAPTER);
  const fig = await live(page, 'unrolled');
  const input = fig.locator('input[type="text"]');
  await input.fill('');
  await expect(fig).toHaveAttribute('data-steps', '1');
  await expect(fig.locator('.ch4-report')).toContainText('Nothing to read but the start marker');
  // Letter by letter: one more column, one step run, each time.
  const word = 'olivia';
  for (let i = 1; i <= word.length; i++) {
    await input.press(word[i - 1]!);
    await expect(fig).toHaveAttribute('data-text', word.slice(0, i));
    await expect(fig).toHaveAttribute('data-steps', String(i + 1));
    await expect(fig).toHaveAttribute('data-ran', '1');
    await expect(fig.locator('svg[data-columns]')).toHaveAttribute('data-columns', String(i + 1));
    await expect(fig.locator('g.ch4-col')).toHaveCount(i + 1);
  }
  const want = await expected('rnn', word, ['hidden']);
  close(await shownState(fig), want[word.length]!['hidden']!, 'h after olivia');

  // Change the third letter: steps 3..6 rerun (x_3 = the new letter, and everything after).
  await input.fill('olxvia');
  await expect(fig).toHaveAttribute('data-text', 'olxvia');
  await expect(fig).toHaveAttribute('data-ran', '4');
  await expect(fig).toHaveAttribute('data-steps', '7');
  const want2 = await expected('rnn', 'olxvia', ['hidden']);
  close(await shownState(fig), want2[6]!['hidden']!, 'h after olxvia');

  // Pick an earlier step with the keyboard: step 3 of 7 reads "l" (step 1 reads the start marker).
  const slider = fig.locator('input[type="range"]');
  await slider.focus();
  for (let k = 0; k < 4; k++) await slider.press('ArrowLeft');
  await expect(fig.locator('.ch4-step')).toHaveAttribute('data-step', '3');
  await expect(fig.locator('.ch4-step__head')).toContainText('“l”');
  close(await shownState(fig), want2[2]!['hidden']!, 'h_3');

  // The LSTM: the whole text is run on the other model.
  await fig.locator('select').first().selectOption('lstm');
  await expect(fig).toHaveAttribute('data-model', 'lstm');
  await input.fill('olxvia!');
  await expect(fig).toHaveAttribute('data-text', 'olxvia!');
  const want3 = await expected('lstm', 'olxvia', ['hidden']);
  close(await shownState(fig), want3[6]!['hidden']!, 'LSTM h after olxvia');
  await expectNoNaN(fig);
});

test('unrolled: characters outside the vocabulary are named and skipped; empty, and a 100 kB paste, are handled', async ({
  page,
}) => {
  await page.goto(CHAPTER);
  const fig = await live(page, 'unrolled');
  const input = fig.locator('input[type="text"]');
  await input.fill('Zoë 7😀');
  await expect(fig).toHaveAttribute('data-text', 'Zoë 7😀');
  const report = fig.locator('.ch4-report');
  await expect(report).toContainText('Lowercased: Z');
  await expect(report).toContainText('Skipped (not a–z): ë, space, 7, 😀');
  await expect(fig).toHaveAttribute('data-steps', '3'); // the start marker, z, o

  await input.fill('');
  await expect(fig).toHaveAttribute('data-text', '');
  await expect(fig).toHaveAttribute('data-steps', '1');
  await expectNoNaN(fig);

  const paste = 'abcdefghij'.repeat(10_000); // 100 kB
  await input.fill(paste);
  await expect(fig).toHaveAttribute('data-steps', String(MAX_STREAM_CHARS + 1), {
    timeout: 60_000,
  });
  await expect(report).toContainText(
    `Only the first ${MAX_STREAM_CHARS} letters are read; ${paste.length - MAX_STREAM_CHARS} more were left out.`,
  );
  await expect(fig.locator('g.ch4-col')).toHaveCount(MAX_STREAM_CHARS + 1);
  const want = await expected('rnn', paste.slice(0, MAX_STREAM_CHARS), ['hidden']);
  close(await shownState(fig), want[MAX_STREAM_CHARS]!['hidden']!, 'h after 200 letters');
  await expectNoNaN(fig);
});

async function gateRow(fig: Locator, gate: string): Promise<number[]> {
  return fig
    .locator(`tr[data-gate="${gate}"] td`)
    .evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-v'))));
}

test('gates: typing updates both models incrementally; the gates of the picked unit match onnxruntime-node', async ({
  page,
}) => {
  await page.goto(CHAPTER);
  const fig = await live(page, 'gates');
  const input = fig.locator('input[type="text"]');
  await input.fill('anna');
  await expect(fig).toHaveAttribute('data-text', 'anna');
  await expect(fig).toHaveAttribute('data-steps', '5');
  await input.press('b');
  await expect(fig).toHaveAttribute('data-text', 'annab');
  await expect(fig).toHaveAttribute('data-ran', '1,1');
  await expect(fig).toHaveAttribute('data-steps', '6');

  // Unit 3, by keyboard.
  const slider = fig.locator('input[type="range"]');
  await slider.focus();
  await slider.press('ArrowRight');
  await slider.press('ArrowRight');
  await expect(fig).toHaveAttribute('data-unit', '3');
  const lstm = await expected('lstm', 'annab', ['input', 'forget', 'output']);
  const gru = await expected('gru', 'annab', ['update', 'reset']);
  for (const [model, want] of [
    ['lstm', lstm],
    ['gru', gru],
  ] as const) {
    for (const gate of Object.keys(want[0]!)) {
      const got = await gateRow(fig, `${model}:${gate}`);
      close(
        got,
        want.map((s) => s[gate]![2]!),
        `${model} ${gate}, unit 3`,
      );
      for (const v of got) expect(v >= 0 && v <= 1).toBe(true);
    }
  }

  // The button picks the unit whose LSTM forget gate moves most over this text (from the
  // onnxruntime-node numbers: the largest max - min across the steps).
  const ranges = Array.from({ length: 64 }, (_, u) => {
    const f = lstm.map((st) => st['forget']![u]!);
    return Math.max(...f) - Math.min(...f);
  });
  const top = ranges.indexOf(Math.max(...ranges));
  const second = Math.max(...ranges.filter((_, u) => u !== top));
  expect(ranges[top]! - second, 'a clear winner, whatever the float differences').toBeGreaterThan(
    1e-3,
  );
  await fig.locator('[data-action="busiest-unit"]').click();
  await expect(fig).toHaveAttribute('data-unit', String(top + 1));

  // Bad input: named, skipped; a 100 kB paste is cut; empty is one step.
  await input.fill('Ñandú-42');
  await expect(fig).toHaveAttribute('data-text', 'Ñandú-42');
  await expect(fig.locator('.ch4-report')).toContainText('Skipped (not a–z): Ñ, ú, -, 4, 2');
  await input.fill('xy'.repeat(50_000));
  await expect(fig).toHaveAttribute('data-steps', String(MAX_STREAM_CHARS + 1), {
    timeout: 60_000,
  });
  await expect(fig.locator('.ch4-report')).toContainText('more were left out');
  await input.fill('');
  await expect(fig).toHaveAttribute('data-steps', '1');
  await expectNoNaN(fig);
});

test('the embed pages read their state from the address and go live', async ({ page }) => {
  await page.goto('/embed/unrolled/?text=Anna&model=lstm&step=3');
  const u = await live(page, 'unrolled');
  await expect(u).toHaveAttribute('data-text', 'Anna');
  await expect(u).toHaveAttribute('data-model', 'lstm');
  await expect(u.locator('.ch4-step')).toHaveAttribute('data-step', '3');
  const want = await expected('lstm', 'anna', ['hidden']);
  close(await shownState(u), want[2]!['hidden']!, 'embed: LSTM h_3, after the start marker, a, n');
  await expectNoNaN(u);

  await page.goto('/embed/gates/?text=bob&unit=5');
  const g = await live(page, 'gates');
  await expect(g).toHaveAttribute('data-text', 'bob');
  await expect(g).toHaveAttribute('data-unit', '5');
  await expect(g).toHaveAttribute('data-steps', '4');
  // Nonsense in the address falls back to the defaults.
  await page.goto('/embed/gates/?unit=NaN');
  const g2 = await live(page, 'gates');
  await expect(g2).toHaveAttribute('data-unit', '1');
  await expectNoNaN(g2);
});
