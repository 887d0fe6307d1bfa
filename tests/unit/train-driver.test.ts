/**
 * Chapter 3's training driver (ch3/train/driver.ts), the loop the training Worker runs, here
 * on onnxruntime-node: commands are handled in the order given, Step gives the numbers a plain
 * TrainRun gives, Pause stops the loop with its last step shown, and Reset then Train trains
 * from step 0.
 */
import { describe, expect, it } from 'vitest';
import { TrainDriver, type Live, type Snapshot } from '../../src/components/ch3/train/driver';
import { TrainRun } from '../../src/components/ch3/train/engine';
import { examples, loadNames } from '../../src/models/names/data';
import { NodeSession } from '../../src/models/train/session';

async function setup(): Promise<Live> {
  const g = TrainRun.graphs();
  const [step, ev, probs] = await Promise.all([
    NodeSession.create(g.step),
    NodeSession.create(g.eval),
    NodeSession.create(g.probs),
  ]);
  const c = loadNames();
  return {
    runners: { step, eval: ev, probs },
    gradNames: g.gradNames,
    data: { train: examples(c.train), heldOut: examples(c.heldOut) },
  };
}

async function until(cond: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('TrainDriver', () => {
  it('steps like a TrainRun, pauses with its last step shown, and trains from 0 after Reset', async () => {
    const live = await setup();
    const snaps: Snapshot[] = [];
    const last = () => snaps.at(-1) as Snapshot;
    const steps = () => last().records?.[0]?.steps ?? 0;
    const d = new TrainDriver(live, {
      inits: ['random'],
      samples: true,
      emit: (s) => snaps.push(s),
    });
    const state = { seed: 3, lr: 0.01, batch: 32, opt: 'adam' } as const;
    d.handle({ type: 'state', state, restart: false }, 1);
    d.handle({ type: 'step' }, 2);
    d.handle({ type: 'step' }, 3);
    await until(() => last().seq === 3 && steps() === 2 && !last().starting);

    const run = new TrainRun(
      { seed: 3, init: 'random', optimizer: 'adam', lr: 0.01, batch: 32 },
      live.runners,
      live.gradNames,
      live.data,
    );
    await run.start(false);
    await run.step();
    await run.step();
    expect(d.values()).toEqual(run.stepper.values.map((v) => Array.from(v)));
    expect(last().records?.[0]?.samples).toHaveLength(10);

    d.handle({ type: 'play' }, 4);
    await until(() => steps() > 10);
    expect(last().playing).toBe(true);
    d.handle({ type: 'pause' }, 5);
    expect(last().playing).toBe(false);
    await until(() => !last().looping);
    const paused = steps();
    await new Promise((r) => setTimeout(r, 100));
    expect(steps()).toBe(paused);
    expect(last().stats.steps).toBe(paused);

    // Reset and Train at once: Train waits for the fresh runs, then trains them.
    d.handle({ type: 'reset' }, 6);
    d.handle({ type: 'play' }, 7);
    await until(() => last().seq === 7 && last().looping && steps() > 0 && steps() < paused);
    d.handle({ type: 'pause' }, 8);
    await until(() => !last().looping);
    expect(last().playing).toBe(false);
    await d.settled();
    for (const r of Object.values(live.runners)) await (r as NodeSession).release();
  }, 120_000);
});
