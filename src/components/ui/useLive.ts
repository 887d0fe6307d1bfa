/**
 * The life of a figure's models in the page: "static" (the build-time render, before anything
 * loads), "loading", "live" (a Predict per model), or "error" (the static render stays, with a
 * message and a retry). Loading starts when the island mounts, i.e. when the figure scrolls into
 * view (client:visible), and restarts when the reader switches execution provider.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Predict } from '../../models/names/lm';
import { epState, subscribeEp, type EpState, type ModelEp } from '../../models/runtime/ep';
import type { LiveModel } from '../../models/runtime/web';

export type LiveStatus =
  | { kind: 'static' }
  | { kind: 'loading' }
  | { kind: 'live'; predicts: Record<string, Predict>; eps: Record<string, ModelEp> }
  | { kind: 'error'; message: string };

/** The page-wide EP state, re-rendering on change. */
export function useEpState(): EpState | undefined {
  const [s, setS] = useState<EpState | undefined>(undefined);
  useEffect(() => {
    setS(epState());
    return subscribeEp(setS);
  }, []);
  return s;
}

export function useLive(models: readonly LiveModel[]): { status: LiveStatus; retry: () => void } {
  const [status, setStatus] = useState<LiveStatus>({ kind: 'static' });
  const [attempt, setAttempt] = useState(0);
  const ep = useEpState();
  // Reload when the mode changes, or when the automatic measurement decides for a model.
  const key = ep ? `${ep.mode}|${models.map((m) => ep.auto[m.id]?.ep ?? '').join(',')}` : '';

  useEffect(() => {
    if (!ep) return;
    let cancelled = false;
    setStatus((s) => (s.kind === 'live' ? s : { kind: 'loading' }));
    (async () => {
      // web.ts (and through it onnxruntime-web) is fetched only now: the figure is on screen.
      const { livePredict } = await import('../../models/runtime/web');
      const loaded = await Promise.all(models.map((m) => livePredict(m)));
      if (cancelled) return;
      const predicts: Record<string, Predict> = {};
      const eps: Record<string, ModelEp> = {};
      models.forEach((m, i) => {
        const l = loaded[i];
        if (!l) return;
        predicts[m.id] = l.predict;
        eps[m.id] = { ep: l.ep, note: l.note };
      });
      setStatus({ kind: 'live', predicts, eps });
    })().catch((e: unknown) => {
      if (!cancelled)
        setStatus({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
    });
    return () => {
      cancelled = true;
    };
  }, [key, attempt]); // `key` stands for `ep` and `models`

  return { status, retry: () => setAttempt((a) => a + 1) };
}
