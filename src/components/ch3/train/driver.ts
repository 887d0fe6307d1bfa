/**
 * The training loop behind chapter 3's figures, wherever it runs: in a module Worker
 * (train.worker.ts, the normal case) or on the page's main thread when no Worker can be made
 * (trainer.ts). No DOM and no Preact: it takes commands (the figure's buttons and fields) and
 * reports snapshots (the records the figure draws, whether it is training, timing).
 *
 * One step per task: each task is one graph run and one optimizer step, and long jobs
 * (held-out evaluation, sampling) give way between their graph runs, so the thread the loop runs
 * on can take a new command (Pause, a learning rate) between any two graph runs. Snapshots go
 * out after every command and, while training, at most every `snapshotEveryMs`.
 */
import { buildLab, predictAt, type Init } from '../../../models/names/mlp-lab';
import { examples } from '../../../models/names/vocab';
import type { Examples } from '../../../models/train/step';
import type { RunnerFactory } from '../../ui/graphRunners';
import { TrainRun, type RunRecord, type Runners } from './engine';
import { TRAIN_DEFAULTS, type TrainState } from './train-meta';
import { EVERY } from './variants';

/** While training, a snapshot (a redraw of the figure) at most this often. */
export const SNAPSHOT_EVERY_MS = 150;
/** Samples are redrawn every this many steps (and on pause). */
const SAMPLE_EVERY = 250;

export interface Live {
  runners: Runners;
  gradNames: string[];
  data: { train: Examples; heldOut: Examples };
}

let graphs: ReturnType<typeof TrainRun.graphs> | undefined;
const labGraphs = (): ReturnType<typeof TrainRun.graphs> => (graphs ??= TrainRun.graphs());

let splits: Promise<{ train: Examples; heldOut: Examples }> | undefined;
function loadSplits(): Promise<{ train: Examples; heldOut: Examples }> {
  splits ??= fetch(`${import.meta.env.BASE_URL}data/names-splits.json`)
    .then((r) => {
      if (!r.ok) throw new Error(`names-splits.json: HTTP ${r.status}`);
      return r.json() as Promise<{ train: string; heldOut: string }>;
    })
    .then((j) => ({
      train: examples(j.train.split(' ')),
      heldOut: examples(j.heldOut.split(' ')),
    }));
  splits.catch(() => (splits = undefined));
  return splits;
}

/** Sessions for the lab's three graphs and the data, after one real run. */
export async function loadLive(make: RunnerFactory): Promise<Live> {
  const g = labGraphs();
  const [step, ev, probs, data] = await Promise.all([
    make('lab-step', () => g.step),
    make('lab-eval', () => g.eval),
    make('lab-probs', () => g.probs),
    loadSplits(),
  ]);
  // One real run before calling it live: WebGPU can fail only when a graph first runs.
  const lab = buildLab(1, 'random');
  const p = await predictAt(
    probs,
    lab,
    lab.trainable.params.map((t) => lab.trainable.graph.paramValues(t)),
  )([[0, 0, 0]]);
  if (!p.every(Number.isFinite)) throw new Error('the first run returned non-finite numbers');
  return { runners: { step, eval: ev, probs }, gradNames: g.gradNames, data };
}

/** A macrotask boundary (a MessageChannel message: setTimeout(0) is clamped to 4 ms when nested). */
export function nextTask(): Promise<void> {
  return new Promise<void>((r) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => r();
    ch.port2.postMessage(null);
  });
}

export interface LabStats {
  steps: number;
  runMs: number;
  optMs: number;
  /** Drawing, measured by the figure on the main thread. */
  drawMs: number;
  /** Snapshots sent while training (each one a redraw). */
  frames: number;
  wallMs: number;
  /** Longest run of work between two yields, on the thread the loop runs on. */
  longestMs: number;
}

export const zeroStats = (): LabStats => ({
  steps: 0,
  runMs: 0,
  optMs: 0,
  drawMs: 0,
  frames: 0,
  wallMs: 0,
  longestMs: 0,
});

/** What the buttons and fields of a training figure ask for. */
export type Command =
  /** The settings; `restart` starts fresh runs from step 0 if there are runs (optimizer, seed). */
  | { type: 'state'; state: TrainState; restart: boolean }
  | { type: 'reset' }
  | { type: 'step' }
  | { type: 'play' }
  | { type: 'pause' };

export interface Snapshot {
  /** The last command handled (the figure numbers them). */
  seq: number;
  /** The live runs' records; undefined until the first run exists. */
  records: RunRecord[] | undefined;
  /** Training was asked for and not stopped. */
  playing: boolean;
  /** The loop still runs: after Pause, the step in flight finishes first. */
  looping: boolean;
  /** Fresh runs are being made (initial weights, held-out loss, samples). */
  starting: boolean;
  stats: LabStats;
}

export interface DriverOptions {
  /** One run per init (zero-init trains three). */
  inits: readonly Init[];
  /** Draw samples at evaluation points and on pause (train-mlp). */
  samples: boolean;
  emit: (s: Snapshot) => void;
  /** Where the loop gives way after a snapshot (a page: the next animation frame). */
  afterSnapshot?: () => Promise<void>;
  snapshotEveryMs?: number;
}

export class TrainDriver {
  private runs: TrainRun[] | undefined;
  private state: TrainState = TRAIN_DEFAULTS;
  private generation = 0;
  private seq = 0;
  /** What the reader last asked for (the snapshot's `playing`). */
  private wanted = false;
  /** The loop's condition. */
  private playing = false;
  private looping = false;
  private starting = false;
  private stats = zeroStats();
  private since = performance.now();
  private longestMs = 0;
  private actions: Promise<unknown> = Promise.resolve();
  private loopDone: Promise<void> = Promise.resolve();
  private pending: Promise<TrainRun[] | undefined> | undefined;

  constructor(
    private readonly live: Live,
    private readonly opts: DriverOptions,
  ) {}

  /** Give way to the thread's event loop; measures the work since the last time. */
  readonly yieldTask = async (): Promise<void> => {
    this.longestMs = Math.max(this.longestMs, performance.now() - this.since);
    await nextTask();
    this.since = performance.now();
  };

  private async yieldSnapshot(): Promise<void> {
    if (!this.opts.afterSnapshot) return this.yieldTask();
    this.longestMs = Math.max(this.longestMs, performance.now() - this.since);
    await this.opts.afterSnapshot();
    this.since = performance.now();
  }

  handle(cmd: Command, seq: number): void {
    this.seq = seq;
    // `wanted` answers at once (the figure's button); `playing` stops a running loop at once and
    // starts one only in order, after the actions queued before Train.
    switch (cmd.type) {
      case 'state': {
        this.state = cmd.state;
        if (cmd.restart && this.runs) {
          this.wanted = false;
          void this.reset();
        }
        break;
      }
      case 'play':
        this.wanted = true;
        this.enqueue(async () => this.play());
        break;
      case 'reset':
      case 'step':
      case 'pause': {
        this.wanted = false;
        this.playing = false;
        const type = cmd.type;
        this.enqueue(async () => {
          if (type === 'reset') {
            await this.reset();
            return;
          }
          this.playing = false;
          await this.loopDone;
          if (type === 'pause') {
            if (this.opts.samples && this.runs) await (this.runs[0] as TrainRun).sample();
            return;
          }
          const rs = await this.ensureRuns();
          if (rs) await this.stepAll(rs, true);
        });
        break;
      }
    }
    this.emit();
  }

  /** Settles when every action queued so far (Step, Reset, Pause's samples) is done. */
  async settled(): Promise<void> {
    await this.actions;
  }

  /** The first run's parameters (tests compare them with the Node step). */
  values(): number[][] {
    return (this.runs?.[0]?.stepper.values ?? []).map((v) => Array.from(v));
  }

  snapshot(): Snapshot {
    return {
      seq: this.seq,
      records: this.runs?.map((r) => r.record),
      playing: this.wanted,
      looping: this.looping,
      starting: this.starting,
      stats: { ...this.stats, longestMs: this.longestMs },
    };
  }

  private emit(): void {
    this.opts.emit(this.snapshot());
  }

  /** Button actions (step, reset, pause) run one after another, in order. */
  private enqueue(fn: () => Promise<unknown>): void {
    this.actions = this.actions
      .then(fn)
      .catch((e: unknown) => console.warn(e))
      .finally(() => this.emit());
  }

  /** Fresh runs from step 0 (same seed, same initial weights and batches). `stop` pauses training. */
  private async reset(stop = true): Promise<TrainRun[] | undefined> {
    const gen = ++this.generation;
    if (stop) this.playing = false;
    this.starting = true;
    this.emit();
    const s = this.state;
    const made = this.opts.inits.map(
      (init) =>
        new TrainRun(
          { seed: s.seed, init, optimizer: s.opt, lr: s.lr, batch: s.batch },
          this.live.runners,
          this.live.gradNames,
          this.live.data,
          EVERY,
          this.yieldTask,
        ),
    );
    for (const r of made) await r.start(true);
    if (gen !== this.generation) return undefined;
    this.starting = false;
    this.runs = made;
    this.stats = zeroStats();
    this.longestMs = 0;
    this.emit();
    return made;
  }

  /** The runs, made now if there are none (a second call while making them waits for it). */
  private ensureRuns(): Promise<TrainRun[] | undefined> {
    if (this.runs) return Promise.resolve(this.runs);
    this.pending ??= this.reset(false).finally(() => (this.pending = undefined));
    return this.pending;
  }

  /** One step of every run; a held-out point on the evaluation interval (or when asked). */
  private async stepAll(rs: TrainRun[], forcePoint: boolean): Promise<void> {
    const { lr, batch } = this.state;
    for (const r of rs) {
      const t = await r.step(lr, batch);
      this.stats.runMs += t.runMs;
      this.stats.optMs += t.optMs;
    }
    this.stats.steps++;
    const first = rs[0] as TrainRun;
    if (forcePoint || first.steps % EVERY === 0) {
      const samples = forcePoint || first.steps % SAMPLE_EVERY === 0;
      for (const r of rs) await r.point(samples && this.opts.samples);
    }
  }

  private play(): void {
    if (!this.wanted || this.looping) return;
    this.playing = true;
    this.looping = true;
    this.loopDone = this.loop()
      .catch((e: unknown) => {
        console.warn(e);
        this.playing = this.wanted = false;
      })
      .finally(() => {
        this.looping = false;
        // The last step may have finished after Pause: show it.
        this.emit();
      });
  }

  /** Trains while `playing`; a snapshot at most every snapshotEveryMs. */
  private async loop(): Promise<void> {
    const rs = await this.ensureRuns();
    if (!rs) return;
    const gen = this.generation;
    const every = this.opts.snapshotEveryMs ?? SNAPSHOT_EVERY_MS;
    await this.yieldSnapshot();
    let last = performance.now();
    let sent = last;
    while (this.playing && gen === this.generation) {
      await this.stepAll(rs, false);
      const now = performance.now();
      this.stats.wallMs += now - last;
      last = now;
      if (now - sent >= every) {
        sent = now;
        this.stats.frames++;
        this.emit();
        await this.yieldSnapshot();
      } else await this.yieldTask();
      this.stats.wallMs += performance.now() - last;
      last = performance.now();
    }
  }
}
