/**
 * The island behind chapter 3's training figures. Shows the build-time run until the reader
 * starts; then trains live, one step (one graph run + one optimizer step) per task, yielding to
 * the event loop in between; long jobs (held-out evaluation, sampling) yield between their graph
 * runs too, and the figure redraws at most every DRAW_EVERY_MS. No worker: a step is a few
 * milliseconds, and the sessions (and the EP choice) stay the page's shared ones.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { Exercise } from '../../ui/Exercise';
import { FigureBar } from '../../ui/FigureBar';
import { examples } from '../../../models/names/vocab';
import { buildLab, predictAt, type Init } from '../../../models/names/mlp-lab';
import type { Examples } from '../../../models/train/step';
import { TrainRun, type RunRecord, type Runners } from './engine';
import { num } from '../../ui/format';
import type { RunnerFactory } from '../../ui/pageGraphs';
import { useFigure } from '../../ui/useFigure';
import { BATCHES, LR_MAX, LR_MIN, MAX_SEED, roundLr, type TrainState } from './train-meta';
import { saturateHalf } from './exercise';
import { EVERY, VARIANT_INITS, VARIANT_METAS, type Variant } from './variants';
import { ActivationsView, FlowView, LossView, SamplesView, ZeroView, type Refs } from './views';

interface Props {
  variant: Variant;
  initial: { state: TrainState; records: RunRecord[] };
  refs: Refs;
  embed?: boolean;
  /** Show the exercise (the "activations" variant has one), checked on the reader's own run. */
  exercise?: boolean;
}

/** The figure redraws at most this often while training (drawing is main-thread work too). */
const DRAW_EVERY_MS = 150;
/** Samples are redrawn every this many steps (and on pause). */
const SAMPLE_EVERY = 250;

interface Live {
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

async function loadLive(make: RunnerFactory): Promise<Live> {
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

/**
 * Where the main thread is given back: every animation frame, and between the graph runs of
 * long jobs. Measures the longest stretch of work between two yields (for tests and the bench).
 */
class Pacer {
  private since = performance.now();
  longestMs = 0;

  private mark(): void {
    this.longestMs = Math.max(this.longestMs, performance.now() - this.since);
  }

  readonly frame = async (): Promise<void> => {
    this.mark();
    await new Promise<void>((r) => requestAnimationFrame(() => r()));
    this.since = performance.now();
  };

  /**
   * A macrotask boundary: the browser can paint and handle input. A MessageChannel message,
   * not setTimeout(0), which browsers clamp to 4 ms when nested.
   */
  readonly task = async (): Promise<void> => {
    this.mark();
    await new Promise<void>((r) => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => r();
      ch.port2.postMessage(null);
    });
    this.since = performance.now();
  };
}

export interface LabStats {
  steps: number;
  runMs: number;
  optMs: number;
  drawMs: number;
  frames: number;
  wallMs: number;
  /** Longest run of work between two yields to the browser. */
  longestMs: number;
}

declare global {
  // Read by the e2e tests and the bench: the live parameters and timing of each training figure.
  var __ch3:
    | Record<string, { values: () => number[][]; steps: () => number; stats: () => LabStats }>
    | undefined;
}

export default function TrainLab({
  variant,
  initial,
  refs,
  embed = false,
  exercise = false,
}: Props) {
  const meta = VARIANT_METAS[variant];
  const inits: readonly Init[] = VARIANT_INITS[variant];
  const {
    state,
    setState,
    status,
    value: live,
    bar,
  } = useFigure(meta, {
    initial: initial.state,
    embed,
    graphs: { label: 'training graphs', load: loadLive },
  });
  const [playing, setPlaying] = useState(false);
  /**
   * The loop is still running: after Pause, the step in flight finishes first. The figure says
   * it is playing until then (data-playing), so its step count is final once it says paused.
   */
  const [looping, setLooping] = useState(false);
  const [starting, setStarting] = useState(false);
  const [, setTick] = useState(0);
  const runs = useRef<TrainRun[] | undefined>(undefined);
  const generation = useRef(0);
  const stateRef = useRef(state);
  stateRef.current = state;
  const stats = useRef<LabStats>({
    steps: 0,
    runMs: 0,
    optMs: 0,
    drawMs: 0,
    frames: 0,
    wallMs: 0,
    longestMs: 0,
  });
  const pacer = useRef(new Pacer());
  const renderStart = useRef(0);
  renderStart.current = performance.now();

  // A new EP (or retry) means new sessions: the runs restart on them.
  useEffect(() => {
    if (runs.current) void reset();
  }, [live]);

  useLayoutEffect(() => {
    stats.current.drawMs += performance.now() - renderStart.current;
  });

  useEffect(() => {
    globalThis.__ch3 ??= {};
    globalThis.__ch3[variant] = {
      values: () => (runs.current?.[0]?.stepper.values ?? []).map((v) => Array.from(v)),
      steps: () => runs.current?.[0]?.steps ?? 0,
      stats: () => ({ ...stats.current, longestMs: pacer.current.longestMs }),
    };
  }, []);

  const redraw = () => setTick((t) => t + 1);

  /** Fresh runs from step 0 (same seed, same initial weights and batches). `stop` pauses training. */
  async function reset(
    s: TrainState = stateRef.current,
    stop = true,
  ): Promise<TrainRun[] | undefined> {
    if (!live) return undefined;
    const gen = ++generation.current;
    if (stop) setPlaying(false);
    setStarting(true);
    const made = inits.map(
      (init) =>
        new TrainRun(
          { seed: s.seed, init, optimizer: s.opt, lr: s.lr, batch: s.batch },
          live.runners,
          live.gradNames,
          live.data,
          EVERY,
          pacer.current.task,
        ),
    );
    for (const r of made) await r.start(true);
    if (gen !== generation.current) return undefined;
    setStarting(false);
    runs.current = made;
    stats.current = { steps: 0, runMs: 0, optMs: 0, drawMs: 0, frames: 0, wallMs: 0, longestMs: 0 };
    pacer.current.longestMs = 0;
    redraw();
    return made;
  }

  // Runs being created: a second click while the first reset is pending waits for it.
  const pendingReset = useRef<Promise<TrainRun[] | undefined> | undefined>(undefined);
  async function ensureRuns(): Promise<TrainRun[] | undefined> {
    if (runs.current) return runs.current;
    pendingReset.current ??= reset(stateRef.current, false).finally(
      () => (pendingReset.current = undefined),
    );
    return pendingReset.current;
  }

  // Button actions (step, reset) run one after another, in click order.
  const actions = useRef<Promise<unknown>>(Promise.resolve());
  const enqueue = (fn: () => Promise<unknown>): void => {
    actions.current = actions.current.then(fn).catch((e: unknown) => console.warn(e));
  };

  /** One step of every run; a held-out point on the evaluation interval (or when asked). */
  async function stepAll(rs: TrainRun[], forcePoint: boolean): Promise<void> {
    const { lr, batch } = stateRef.current;
    for (const r of rs) {
      const t = await r.step(lr, batch);
      stats.current.runMs += t.runMs;
      stats.current.optMs += t.optMs;
    }
    stats.current.steps++;
    const first = rs[0] as TrainRun;
    if (forcePoint || first.steps % EVERY === 0) {
      const samples = forcePoint || first.steps % SAMPLE_EVERY === 0;
      for (const r of rs) await r.point(samples && variant === 'train-mlp');
    }
  }

  // The training loop: runs while `playing`, a frame budget at a time.
  useEffect(() => {
    if (!playing) return;
    let stop = false;
    setLooping(true);
    (async () => {
      const rs = await ensureRuns();
      if (!rs) return;
      const gen = generation.current;
      await pacer.current.frame();
      // One step per task: each task is one graph run and one optimizer step, never a batch of
      // them, so input and painting get in between however slow the machine is.
      let last = performance.now();
      let drawn = last;
      while (!stop && gen === generation.current) {
        await stepAll(rs, false);
        const now = performance.now();
        stats.current.wallMs += now - last;
        last = now;
        if (now - drawn >= DRAW_EVERY_MS) {
          drawn = now;
          stats.current.frames++;
          redraw();
          await pacer.current.frame();
        } else await pacer.current.task();
        stats.current.wallMs += performance.now() - last;
        last = performance.now();
      }
      // The last step may have finished after Pause: show it.
      redraw();
    })()
      .catch((e: unknown) => {
        console.warn(e);
        setPlaying(false);
      })
      .finally(() => setLooping(false));
    return () => {
      stop = true;
    };
  }, [playing]);

  const set = (patch: Partial<TrainState>, restart = false) => {
    const next = { ...stateRef.current, ...patch };
    setState(next);
    stateRef.current = next;
    if (restart && runs.current) void reset(next);
  };

  const stepOnce = () =>
    enqueue(async () => {
      setPlaying(false);
      const rs = await ensureRuns();
      if (!rs) return;
      await stepAll(rs, true);
      redraw();
    });

  const pause = () => {
    setPlaying(false);
    const rs = runs.current;
    if (rs && variant === 'train-mlp') void (rs[0] as TrainRun).sample().then(redraw);
  };

  const records = runs.current?.map((r) => r.record) ?? initial.records;
  const isLive = !!runs.current;
  const first = records[0];
  const ready = status.kind === 'live' && !!live;
  const held = first?.curve.at(-1)?.heldOut;

  return (
    <div
      class={`fig-body ch3-lab ch3-lab--${variant}`}
      data-figure={variant}
      data-status={status.kind}
      data-run={isLive ? 'live' : 'static'}
      data-steps={first?.steps ?? 0}
      data-playing={playing || looping ? '1' : '0'}
    >
      <div class="fig-controls">
        <button
          type="button"
          class="fig-button fig-button--primary"
          disabled={!ready}
          onClick={() => (playing ? pause() : setPlaying(true))}
          data-action="play"
        >
          {playing ? 'Pause' : isLive && (first?.steps ?? 0) > 0 ? 'Resume' : 'Train'}
        </button>
        <button
          type="button"
          class="fig-button"
          disabled={!ready || playing}
          onClick={() => void stepOnce()}
          data-action="step"
        >
          Step
        </button>
        <button
          type="button"
          class="fig-button"
          disabled={!ready}
          onClick={() => enqueue(() => reset())}
          data-action="reset"
        >
          Reset
        </button>
        <label class="fig-field fig-field--grow">
          <span>
            Learning rate <output data-role="lr">{state.lr}</output>
          </span>
          <input
            type="range"
            min={Math.log10(LR_MIN)}
            max={Math.log10(LR_MAX)}
            step={0.05}
            value={Math.log10(state.lr)}
            data-input="lr"
            onInput={(e) => set({ lr: roundLr(10 ** Number(e.currentTarget.value)) })}
          />
        </label>
        <label class="fig-field">
          <span>Batch</span>
          <select
            value={String(state.batch)}
            data-input="batch"
            onChange={(e) => set({ batch: Number(e.currentTarget.value) })}
          >
            {BATCHES.map((b) => (
              <option key={b} value={String(b)}>
                {b}
              </option>
            ))}
          </select>
        </label>
        <label class="fig-field">
          <span>Optimizer</span>
          <select
            value={state.opt}
            data-input="opt"
            onChange={(e) => set({ opt: e.currentTarget.value === 'sgd' ? 'sgd' : 'adam' }, true)}
          >
            <option value="adam">Adam</option>
            <option value="sgd">SGD</option>
          </select>
        </label>
        <label class="fig-field">
          <span>Seed</span>
          <input
            type="number"
            class="fig-seed"
            min={0}
            max={MAX_SEED}
            value={state.seed}
            data-input="seed"
            onChange={(e) => {
              const v = Number(e.currentTarget.value);
              if (Number.isInteger(v) && v >= 0 && v <= MAX_SEED) set({ seed: v }, true);
            }}
          />
        </label>
      </div>
      {exercise && variant === 'activations' && (
        <Exercise
          exercise={saturateHalf}
          result={ready ? saturateHalf.check(isLive ? first : undefined) : undefined}
        />
      )}
      <p class="fig-note ch3-lab__status" aria-live="polite">
        {starting && 'Starting from step 0 (initial weights, held-out loss, samples)… '}
        {isLive ? 'Your run' : 'Build-time run (onnxruntime-node)'}: step{' '}
        <span data-role="step">{first?.steps ?? 0}</span>
        {held !== undefined && (
          <>
            {' '}
            · held-out loss <span data-role="heldout">{num(held, 4)}</span>
          </>
        )}
        {isLive &&
          stats.current.wallMs > 0 &&
          ` · ${num((1000 * stats.current.steps) / stats.current.wallMs)} steps/s`}
        {!isLive && ready && ' · press Train to start from step 0 in your browser'}
      </p>
      {variant === 'train-mlp' && first && (
        <div class="ch3-two">
          <LossView records={records} ghost={initial.records[0]} refs={refs} />
          <SamplesView record={first} />
        </div>
      )}
      {variant === 'gradient-flow' && first && <FlowView record={first} />}
      {variant === 'zero-init' && <ZeroView records={records} refs={refs} />}
      {variant === 'activations' && first && <ActivationsView record={first} />}
      <FigureBar {...bar} />
    </div>
  );
}
