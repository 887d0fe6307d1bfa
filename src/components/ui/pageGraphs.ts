/**
 * Figures that run graphs built in the page (builder + autodiff), not model files (chapter 3's).
 * This hook gives them what useLive gives figures with model files: a status for FigureBar,
 * reloading when the reader switches execution provider, and an EP decision with its reason:
 * - 'wasm': WASM. 'webgpu': WebGPU if a session can be made and run, else WASM with the reason.
 * - 'auto': WASM. Training a 12k-parameter model reads every gradient back each step, which a
 *   GPU does not speed up at this size; the reader can still pick WebGPU.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Ep, ModelEp } from '../../models/runtime/ep';
import { runnerFactory, type RunnerFactory } from './graphRunners';
import { useEpState, type LiveStatus } from './useLive';

export { runnerFactory, type RunnerFactory };

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** What to load live (e.g. sessions and a first run); `label` names it in the status strip. */
export interface PageGraphs<T> {
  label: string;
  load: (factory: RunnerFactory, ep: Ep) => Promise<T>;
  /** Why 'auto' means WASM for these graphs (default: chapter 3's reason, training). */
  autoNote?: string;
}

/**
 * Load `graphs` with `load(factory)` on the EP the page wants. Without graphs (a figure that
 * builds none) it does nothing and stays static.
 */
export function usePageGraphs<T>(graphs: PageGraphs<T> | undefined): {
  status: LiveStatus;
  value: T | undefined;
  ep: Ep | undefined;
  retry: () => void;
} {
  const epState = useEpState(graphs !== undefined);
  const [status, setStatus] = useState<LiveStatus>({ kind: 'static' });
  const [value, setValue] = useState<{ v: T; ep: Ep } | undefined>(undefined);
  const [attempt, setAttempt] = useState(0);
  const mode = epState?.mode;

  useEffect(() => {
    if (!mode || !graphs) return;
    const { label, load, autoNote } = graphs;
    let cancelled = false;
    setStatus((s) => (s.kind === 'live' ? s : { kind: 'loading' }));
    (async () => {
      let used: ModelEp;
      let v: T;
      if (mode === 'webgpu') {
        try {
          v = await load(await runnerFactory('webgpu'), 'webgpu');
          used = { ep: 'webgpu', note: 'chosen' };
        } catch (e) {
          v = await load(await runnerFactory('wasm'), 'wasm');
          used = { ep: 'wasm', note: `WebGPU failed (${message(e)}); fell back to WASM` };
        }
      } else {
        v = await load(await runnerFactory('wasm'), 'wasm');
        // After a WebGPU device loss the page is back on auto: say why (runtime/web.ts).
        const lost = epState?.gpuLost;
        used = {
          ep: 'wasm',
          note:
            mode !== 'auto'
              ? 'chosen'
              : lost
                ? `auto: ${lost}; switched to WASM`
                : (autoNote ?? 'auto: WASM for training; pick WebGPU to try it'),
        };
      }
      if (cancelled) return;
      setValue({ v, ep: used.ep });
      setStatus({ kind: 'live', predicts: {}, eps: { [label]: used }, runners: {} });
    })().catch((e: unknown) => {
      if (!cancelled) setStatus({ kind: 'error', message: message(e) });
    });
    return () => {
      cancelled = true;
    };
  }, [mode, attempt]);

  return { status, value: value?.v, ep: value?.ep, retry: () => setAttempt((a) => a + 1) };
}
