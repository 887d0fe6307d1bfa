/**
 * The life of a figure's models in the page: "static" (the build-time render, before anything
 * loads), "loading", "live" (a Predict per model), or "error" (the static render stays, with a
 * message and a retry). Loading starts when the island mounts, i.e. when the figure scrolls into
 * view (client:visible), and restarts when the reader switches execution provider. web.ts is
 * small and imported statically (no extra round trip); it imports onnxruntime-web lazily.
 */
import { useEffect, useLayoutEffect, useMemo, useState } from 'preact/hooks';
import type { Predict } from '../../models/names/lm';
import { epState, subscribeEp, type EpState, type ModelEp } from '../../models/runtime/ep';
import { livePredict, type LiveModel, type Runner } from '../../models/runtime/web';

export type LiveStatus =
  | { kind: 'static' }
  | { kind: 'loading' }
  | {
      kind: 'live';
      predicts: Record<string, Predict>;
      eps: Record<string, ModelEp>;
      /** Every call of each model's io kind (step models stream with `runners[id].step`). */
      runners: Record<string, Runner>;
    }
  | { kind: 'error'; message: string };

/** The page-wide EP state, re-rendering on change (nothing when `enabled` is false). */
export function useEpState(enabled = true): EpState | undefined {
  const [s, setS] = useState<EpState | undefined>(undefined);
  useEffect(() => {
    if (!enabled) return;
    setS(epState());
    return subscribeEp(setS);
  }, []);
  return s;
}

/** Load `models` live; without models (a figure that runs none) it does nothing and stays static. */
export function useLive(models: readonly LiveModel[] | undefined): {
  status: LiveStatus;
  retry: () => void;
} {
  const [status, setStatus] = useState<LiveStatus>({ kind: 'static' });
  const [attempt, setAttempt] = useState(0);
  // The page-wide EP state; undefined until mounted (the server render is static).
  const [ep, setEp] = useState<EpState | undefined>(undefined);
  // Reload only when the EP these models should run on changes (not when a note does).
  const want =
    ep &&
    models &&
    `${ep.mode}:${models.map((m) => (ep.mode === 'auto' ? (ep.auto[m.id]?.ep ?? 'wasm') : ep.mode)).join(',')}`;

  // Layout effects run right after hydration, in the same task: loading starts at once instead
  // of after the next frame, as a plain effect would.
  useLayoutEffect(() => {
    if (!models) return;
    setEp(epState());
    return subscribeEp(setEp);
  }, []);

  useLayoutEffect(() => {
    if (!want || !models) return;
    let cancelled = false;
    setStatus((s) => (s.kind === 'live' ? s : { kind: 'loading' }));
    (async () => {
      // onnxruntime-web itself is imported (web.ts, dynamically) only now: the figure is on screen.
      const loaded = await Promise.all(models.map((m) => livePredict(m)));
      if (cancelled) return;
      const predicts: Record<string, Predict> = {};
      const eps: Record<string, ModelEp> = {};
      const runners: Record<string, Runner> = {};
      models.forEach((m, i) => {
        const l = loaded[i];
        if (!l) return;
        predicts[m.id] = l.predict;
        runners[m.id] = l.runner;
        eps[m.id] = { ep: l.ep, note: l.note };
      });
      setStatus({ kind: 'live', predicts, eps, runners });
    })().catch((e: unknown) => {
      if (!cancelled)
        setStatus({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
    });
    return () => {
      cancelled = true;
    };
  }, [want, attempt, models]);

  // The automatic choice may explain itself after loading ("auto: no WebGPU adapter").
  // Memoised: figures re-run their models when `status` changes identity.
  const shown = useMemo((): LiveStatus => {
    if (status.kind !== 'live' || ep?.mode !== 'auto') return status;
    const eps = Object.fromEntries(
      Object.entries(status.eps).map(([id, m]) => [
        id,
        { ...m, note: ep.auto[id]?.note ?? m.note },
      ]),
    );
    return { ...status, eps };
  }, [status, ep]);
  return { status: shown, retry: () => setAttempt((a) => a + 1) };
}
