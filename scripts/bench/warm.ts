/**
 * Warm: the chapter is live; type 200 keystrokes into score-name. For each, the figure itself
 * records `score-name:update` (input event -> all three models' rows committed to the DOM), and
 * the runtime records `ort:infer:<model>:<ep>` for every model call.
 */
import type { Browser } from 'playwright-core';
import { summarize, type Summary } from './stats';

export interface WarmResult {
  ep: 'wasm' | 'webgpu';
  keystrokes: number;
  /** Input event -> DOM updated for all three models, measured in the page. */
  keystrokeToDrawnMs: Summary | null;
  /** Key press sent by the driver -> new rows observed by the driver (includes CDP round trips). */
  driverRoundTripMs: Summary | null;
  /** One model call (a batch of name-length + 1 contexts). */
  inferenceMs: Record<string, Summary | null>;
  /** The EP the page reported. */
  status: string;
}

/** Keystrokes that grow and shrink a name: "isabella", then backspace, and again. */
function keys(n: number): string[] {
  const word = 'isabellamarie';
  const out: string[] = [];
  while (out.length < n) {
    for (const ch of word) out.push(ch);
    for (let i = 0; i < word.length; i++) out.push('Backspace');
  }
  return out.slice(0, n);
}

export async function warm(
  browser: Browser,
  origin: string,
  ep: 'wasm' | 'webgpu',
  n: number,
): Promise<WarmResult> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${origin}/chapters/01-probability/?ep=${ep}#fig-score-name`);
  const fig = page.locator('[data-figure="score-name"]');
  await fig.waitFor();
  await page.waitForSelector('[data-figure="score-name"][data-status="live"]', { timeout: 60_000 });
  const status = (await fig.locator('.fig-status').textContent()) ?? '';
  const input = fig.locator('input[type="text"]');
  await input.fill('');
  await page.waitForSelector('[data-figure="score-name"][data-text=""]');
  await page.evaluate(() => {
    performance.clearMeasures();
  });

  let text = '';
  const roundTrips: number[] = [];
  await input.focus();
  for (const key of keys(n)) {
    text = key === 'Backspace' ? text.slice(0, -1) : text + key;
    const t0 = performance.now();
    await page.keyboard.press(key);
    await page.waitForFunction(
      (want) =>
        document.querySelector('[data-figure="score-name"]')?.getAttribute('data-text') === want,
      text,
      { polling: 'raf' },
    );
    roundTrips.push(performance.now() - t0);
  }
  const measures = await page.evaluate(() =>
    performance.getEntriesByType('measure').map((e) => ({ name: e.name, duration: e.duration })),
  );
  await context.close();
  const of = (name: string) => measures.filter((m) => m.name === name).map((m) => m.duration);
  return {
    ep,
    keystrokes: n,
    keystrokeToDrawnMs: summarize(of('score-name:update')),
    driverRoundTripMs: summarize(roundTrips),
    inferenceMs: Object.fromEntries(
      ['unigram', 'bigram', 'mlp'].map((id) => [id, summarize(of(`ort:infer:${id}:${ep}`))]),
    ),
    status,
  };
}
