/**
 * The lifecycle every streaming-generation figure shares (chapter 4's character LSTM, figure
 * 4.2; chapter 5's GPT, figure 5.3): what is shown (the build-time text first), one current run
 * at a time, drawn as it streams, and stopped at once on Stop, when the settings change (then
 * started again with the new ones, once typing settles), when the figure scrolls out of view,
 * when the page is hidden or left, and when the island goes. Under reduced motion the text is
 * shown once, whole, and nothing runs by itself until the reader changes a setting.
 *
 * The figure supplies `run`: given the settings and a context, it loads its model, calls
 * `ctx.begin(ep, empty)`, generates while reporting `ctx.progress(data)` and awaiting
 * `ctx.pause()` after each step, and returns the final data (or undefined if it bailed out).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Ep } from '../../models/runtime/ep';
import type { LiveStatus } from './useLive';

export type Phase = 'static' | 'running' | 'done' | 'stopped';

export interface Shown<D> {
  /** The settings the data belongs to. */
  key: string;
  data: D;
  phase: Phase;
  /** Why it stopped early, in words. */
  why?: string;
  /** Generated units (characters, tokens) per second of this run, once measured. */
  perSecond?: number | undefined;
  ep?: Ep | undefined;
}

export interface RunContext<D> {
  /** The model is ready on `ep`: the run starts drawing from `empty`. */
  begin(ep: Ep, empty: D): void;
  /** The data so far (drawn at the next pause while streaming). */
  progress(data: D): void;
  /** Awaited after each step: hands the page back to the browser every YIELD_MS. */
  pause(): Promise<void>;
  /** True once this run must end (Stop, a newer run, the figure off screen). */
  stopped(): boolean;
  /** True when this run has been replaced (its model load finished too late). */
  replaced(): boolean;
}

export interface GenerationOptions<S, D> {
  state: S;
  initial: { state: S; data: D };
  status: LiveStatus;
  /** The settings as a string (meta.serialize): a change starts a new run. */
  keyOf: (s: S) => string;
  /** Units generated in `data` (for the rate). */
  count: (data: D) => number;
  run: (s: S, ctx: RunContext<D>) => Promise<{ data: D; stopped: boolean } | undefined>;
  markLive: () => void;
}

/** Hand the page back to the browser this often while generating (ms). */
const YIELD_MS = 30;
/** Wait this long after the last change of settings (typing) before generating. */
const SETTLE_MS = 250;

const nextTask = (): Promise<void> => new Promise((r) => setTimeout(r, 0));
const reducedMotion = (): boolean =>
  typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;

export function useGeneration<S, D>({
  state,
  initial,
  status,
  keyOf,
  count,
  run,
  markLive,
}: GenerationOptions<S, D>) {
  /** The reader has changed a setting (so even under reduced motion, generate). */
  const acted = useRef(false);
  const [shown, setShown] = useState<Shown<D>>({
    key: keyOf(initial.state),
    data: initial.data,
    phase: 'static',
  });
  /** The current run's number: a run whose number is no longer current stops. */
  const current = useRef(0);
  const root = useRef<HTMLDivElement>(null);
  const onScreen = useRef(true);
  /** The data generated so far by the current run (the display may be a frame behind). */
  const sofar = useRef<D>(initial.data);

  const stop = (why: string): void => {
    current.current++;
    const data = sofar.current;
    setShown((s) => (s.phase === 'running' ? { ...s, data, phase: 'stopped', why } : s));
  };

  const start = async (s: S): Promise<void> => {
    const id = ++current.current;
    const key = keyOf(s);
    let t0 = performance.now();
    let ep: Ep | undefined;
    const stream = !reducedMotion();
    const flush = (phase: Phase, data: D): void => {
      if (current.current !== id) return; // stopped, or replaced by a newer run
      const seconds = (performance.now() - t0) / 1000;
      setShown({
        key,
        data,
        phase,
        ep,
        perSecond: seconds > 0 ? count(data) / seconds : undefined,
      });
    };
    let last = performance.now();
    const result = await run(s, {
      begin: (e, empty) => {
        ep = e;
        sofar.current = empty;
        t0 = performance.now();
        last = t0;
        if (current.current === id) setShown({ key, data: empty, phase: 'running', ep });
      },
      progress: (data) => {
        if (current.current === id) sofar.current = data;
      },
      pause: async () => {
        if (performance.now() - last < YIELD_MS) return;
        // Streamed onto the page as drawn; under reduced motion, shown once, whole.
        if (stream) flush('running', sofar.current);
        await nextTask();
        last = performance.now();
      },
      stopped: () => current.current !== id || !onScreen.current,
      replaced: () => current.current !== id,
    });
    if (!result || current.current !== id) return; // a newer run (or Stop) has the display
    if (result.stopped) {
      stop('the figure left the screen');
      return;
    }
    flush('done', result.data);
    markLive();
  };

  // Generate when live, and again (after typing settles) whenever the settings change.
  const settings = keyOf(state);
  // What the model runs on: a new generation when it changes, not when the status strip's
  // notes do (the automatic EP choice reports itself after the figure is live).
  const runningOn = status.kind === 'live' ? Object.values(status.eps)[0]?.ep : undefined;
  /** A generation is scheduled (typing is settling): the text is about to be replaced. */
  const [pending, setPending] = useState(false);
  useEffect(() => {
    if (!runningOn) return;
    // Under reduced motion nothing runs by itself: the build-time text stays until the reader
    // changes a setting (an embed page whose address asks for other settings generates them).
    if (reducedMotion() && settings === keyOf(initial.state) && !acted.current) return;
    setPending(true);
    const timer = setTimeout(() => {
      setPending(false);
      start(state).catch((e: unknown) => {
        setShown((x) => ({
          ...x,
          phase: 'stopped',
          why: `the model failed (${e instanceof Error ? e.message : String(e)})`,
        }));
      });
    }, SETTLE_MS);
    return () => {
      clearTimeout(timer);
      setPending(false);
      current.current++;
    };
  }, [settings, runningOn]);

  // Stop when the figure scrolls away or the page is hidden or left; stop for good on unmount.
  useEffect(() => {
    const el = root.current;
    const io =
      el && 'IntersectionObserver' in globalThis
        ? new IntersectionObserver((entries) => {
            const visible = entries.some((e) => e.isIntersecting);
            onScreen.current = visible;
            if (!visible) stop('the figure left the screen');
          })
        : undefined;
    if (el) io?.observe(el);
    const hidden = (): void => {
      if (document.visibilityState === 'hidden') stop('the page was hidden');
    };
    const leave = (): void => stop('the page was left');
    document.addEventListener('visibilitychange', hidden);
    addEventListener('pagehide', leave);
    return () => {
      io?.disconnect();
      document.removeEventListener('visibilitychange', hidden);
      removeEventListener('pagehide', leave);
      current.current++;
    };
  }, []);

  return {
    shown,
    root,
    pending,
    running: shown.phase === 'running',
    /** Mark a change of settings as the reader's (see reduced motion). */
    acted: () => {
      acted.current = true;
    },
    stop,
    /** Again, with the same settings (after Stop). */
    restart: (): void => {
      onScreen.current = true;
      acted.current = true;
      if (status.kind === 'live') void start(state);
    },
  };
}
