/**
 * The island behind chapter 3's training figures. Shows the build-time run until the reader
 * starts; then draws the reader's run, which trains in a Worker (trainer.ts, driver.ts): the
 * main thread sends the buttons and fields as commands and draws the snapshots that come back,
 * at most every SNAPSHOT_EVERY_MS while training. Where no Worker starts, the same driver runs on
 * the main thread, one graph run per task, and the status line says so.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { Exercise } from '../../ui/Exercise';
import { FigureBar } from '../../ui/FigureBar';
import { num } from '../../ui/format';
import { useFigure } from '../../ui/useFigure';
import { zeroStats, type Command, type LabStats, type Snapshot } from './driver';
import type { RunRecord } from './engine';
import { saturateHalf } from './exercise';
import { BATCHES, LR_MAX, LR_MIN, MAX_SEED, roundLr, type TrainState } from './train-meta';
import { startTrainer } from './trainer';
import { VARIANT_INITS, VARIANT_METAS, type Variant } from './variants';
import { ActivationsView, FlowView, LossView, SamplesView, ZeroView, type Refs } from './views';

interface Props {
  variant: Variant;
  initial: { state: TrainState; records: RunRecord[] };
  refs: Refs;
  embed?: boolean;
  /** Show the exercise (the "activations" variant has one), checked on the reader's own run. */
  exercise?: boolean;
}

export type { LabStats };

declare global {
  // Read by the e2e tests and the bench: the live parameters and timing of each training figure.
  var __ch3:
    | Record<
        string,
        {
          values: () => Promise<number[][]>;
          steps: () => number;
          stats: () => LabStats;
          thread: () => 'worker' | 'main' | undefined;
        }
      >
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
  const {
    state,
    setState,
    status,
    value: trainer,
    bar,
  } = useFigure(meta, {
    initial: initial.state,
    embed,
    graphs: {
      label: 'training graphs',
      load: (make, ep) =>
        startTrainer(make, ep, { inits: VARIANT_INITS[variant], samples: variant === 'train-mlp' }),
    },
  });
  /** The button: optimistic on click, then what the trainer says once it has seen the click. */
  const [playing, setPlaying] = useState(false);
  /** The snapshot drawn; `snapRef` the latest one (not drawn while training out of view). */
  const [snap, setSnap] = useState<Snapshot | undefined>(undefined);
  const snapRef = useRef(snap);
  /** The loop still runs (data-playing: the step count is final once it says 0). */
  const [looping, setLooping] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const visible = useRef(true);
  const trainerRef = useRef(trainer);
  trainerRef.current = trainer;
  const sent = useRef(0);
  const stateRef = useRef(state);
  stateRef.current = state;
  const drawMs = useRef(0);
  const renderStart = useRef(0);
  renderStart.current = performance.now();

  useLayoutEffect(() => {
    drawMs.current += performance.now() - renderStart.current;
  });

  const send = (command: Command): void => {
    if (trainerRef.current) sent.current = trainerRef.current.send(command);
  };

  // A new trainer (EP switch, retry): it takes the settings, and restarts a live run from step 0.
  useEffect(() => {
    if (!trainer) return;
    const hadRun = !!snapRef.current?.records;
    trainer.listen((s) => {
      snapRef.current = s;
      setLooping(s.looping);
      // Out of view, a training figure is not redrawn (the main thread stays idle); once
      // training stops, or the figure scrolls into view, it is.
      if (visible.current || !s.looping) setSnap(s);
      if (s.seq === sent.current) setPlaying(s.playing);
    });
    setPlaying(false);
    send({ type: 'state', state: stateRef.current, restart: false });
    if (hadRun) send({ type: 'reset' });
    return () => trainer.close();
  }, [trainer]);

  useEffect(() => {
    const el = root.current;
    if (!el || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver(([e]) => {
      visible.current = e?.isIntersecting ?? true;
      if (visible.current) setSnap(snapRef.current);
    });
    io.observe(el);
    return () => io.disconnect();
  }, []);

  useEffect(() => {
    globalThis.__ch3 ??= {};
    globalThis.__ch3[variant] = {
      values: () => trainerRef.current?.values() ?? Promise.resolve([]),
      steps: () => snapRef.current?.records?.[0]?.steps ?? 0,
      stats: () => ({ ...(snapRef.current?.stats ?? zeroStats()), drawMs: drawMs.current }),
      thread: () => trainerRef.current?.thread,
    };
  }, []);

  const set = (patch: Partial<TrainState>, restart = false) => {
    const next = { ...stateRef.current, ...patch };
    setState(next);
    stateRef.current = next;
    if (restart && snapRef.current?.records) setPlaying(false);
    send({ type: 'state', state: next, restart });
  };

  const act = (command: Command) => {
    setPlaying(command.type === 'play');
    send(command);
  };

  const records = snap?.records ?? initial.records;
  const isLive = !!snap?.records;
  const first = records[0];
  const ready = status.kind === 'live' && !!trainer;
  const stats = snap?.stats;
  const held = first?.curve.at(-1)?.heldOut;

  return (
    <div
      ref={root}
      class={`fig-body ch3-lab ch3-lab--${variant}`}
      data-figure={variant}
      data-status={status.kind}
      data-run={isLive ? 'live' : 'static'}
      data-steps={first?.steps ?? 0}
      data-playing={playing || looping ? '1' : '0'}
      data-thread={trainer?.thread}
    >
      <div class="fig-controls">
        <button
          type="button"
          class="fig-button fig-button--primary"
          disabled={!ready}
          onClick={() => act({ type: playing ? 'pause' : 'play' })}
          data-action="play"
        >
          {playing ? 'Pause' : isLive && (first?.steps ?? 0) > 0 ? 'Resume' : 'Train'}
        </button>
        <button
          type="button"
          class="fig-button"
          disabled={!ready || playing}
          onClick={() => act({ type: 'step' })}
          data-action="step"
        >
          Step
        </button>
        <button
          type="button"
          class="fig-button"
          disabled={!ready}
          onClick={() => act({ type: 'reset' })}
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
        {snap?.starting && 'Starting from step 0 (initial weights, held-out loss, samples)… '}
        {isLive ? 'Your run' : 'Build-time run (onnxruntime-node)'}: step{' '}
        <span data-role="step">{first?.steps ?? 0}</span>
        {held !== undefined && (
          <>
            {' '}
            · held-out loss <span data-role="heldout">{num(held, 4)}</span>
          </>
        )}
        {isLive &&
          stats &&
          stats.wallMs > 0 &&
          ` · ${num((1000 * stats.steps) / stats.wallMs)} steps/s`}
        {isLive && trainer?.thread === 'main' && ` · on the main thread: ${trainer.note}`}
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
