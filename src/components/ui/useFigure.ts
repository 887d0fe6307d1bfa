/**
 * The one hook behind every figure island: the figure's state, what it computes with, its status
 * and the props of its FigureBar. An island then reads as: state, model, what to draw.
 *
 *   const fig = useFigure(meta, { initial: initial.state, embed, models });
 *   ... fig.state, fig.predicts ... <div data-status={fig.status.kind}> ... <FigureBar {...fig.bar} />
 *
 * - State starts at `initial` (the build-time render's, default meta.defaults); on an embed page
 *   it is read from the URL in a layout effect, before any model can be live, and the reader's
 *   changes are written back into the URL (history.replaceState, debounced, the figure's own
 *   keys only: ./embed.ts queryWithState), so the embed page's address is always what it shows.
 *   Chapter pages keep their URL: several figures share it; their Embed box carries the state.
 * - What the figure runs on sets its status (data-status, the status strip):
 *   `models`: model files in onnxruntime-web (useLive): static, loading, live or error.
 *   `graphs`: graphs built in the page (usePageGraphs), the same four.
 *   neither: data that came with the page: "static" in the build-time HTML, "live" once hydrated.
 *   Which of the three a figure uses must not change over its life.
 * - markLive() sets the performance mark `fig:<id>:live` once, when the figure first draws live
 *   results (read by scripts/bench).
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Dispatch, StateUpdater } from 'preact/hooks';
import type { Predict } from '../../models/names/lm';
import type { Ep } from '../../models/runtime/ep';
import type { LiveModel } from '../../models/runtime/web';
import { queryWithState } from './embed';
import type { FigureBarProps } from './FigureBar';
import type { FigureMeta } from './meta';
import { usePageGraphs, type PageGraphs } from './pageGraphs';
import { useLive, type LiveStatus } from './useLive';

export interface FigureOptions<S, T> {
  /** On an embed page: read the state from the URL, and offer no embed code. */
  embed: boolean;
  /** The state the build-time render shows (default: meta.defaults). */
  initial?: S;
  /** Model files the figure runs (their ids, titles and hashes from the cards). */
  models?: readonly LiveModel[];
  /** Or graphs it builds and runs in the page. */
  graphs?: PageGraphs<T>;
  /** Told the state read from an embed page's URL (e.g. to fill a text field from it). */
  onUrlState?: (state: S) => void;
}

export interface Figure<S, T> {
  state: S;
  setState: Dispatch<StateUpdater<S>>;
  /** Merge a patch into the state. */
  set: (patch: Partial<S>) => void;
  status: LiveStatus;
  /** The live models' predictors by model id, once live (with `models`). */
  predicts: Record<string, Predict> | undefined;
  /** What `graphs.load` returned, and the EP it runs on, once live (with `graphs`). */
  value: T | undefined;
  ep: Ep | undefined;
  retry: () => void;
  markLive: () => void;
  /** Spread into <FigureBar />. */
  bar: FigureBarProps;
}

/** How long the state must rest before it is written into the URL (typing, dragging a slider). */
const URL_WRITE_DELAY_MS = 300;

const STATIC: LiveStatus = { kind: 'static' };
const HYDRATED: LiveStatus = { kind: 'live', predicts: {}, eps: {}, runners: {} };

export function useFigure<S, T = never>(
  meta: FigureMeta<S>,
  { embed, initial, models, graphs, onUrlState }: FigureOptions<S, T>,
): Figure<S, T> {
  const [state, setState] = useState<S>(initial ?? meta.defaults);

  // An embed page is a static file: its state arrives in the URL, read once on the client.
  useLayoutEffect(() => {
    if (!embed) return;
    const s = meta.parse(new URLSearchParams(location.search));
    setState(s);
    onUrlState?.(s);
  }, [embed]);

  // ...and goes back into the URL as the reader changes it (only after it was read, so a
  // first render with the defaults never overwrites the URL's state).
  const query = meta.serialize(state).toString();
  const urlRead = useRef(false);
  useEffect(() => {
    if (!embed) return;
    if (!urlRead.current) {
      urlRead.current = true;
      return;
    }
    const timer = setTimeout(() => {
      const next = queryWithState(meta, location.search, state);
      if (next === undefined) return;
      const url = `${location.pathname}${next ? `?${next}` : ''}${location.hash}`;
      try {
        history.replaceState(history.state, '', url);
      } catch {
        // A browser that refuses (e.g. an old one in a sandboxed frame): the page still works.
      }
    }, URL_WRITE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [embed, query]);

  const live = useLive(models);
  const page = usePageGraphs(graphs);
  const onPage = !models && !graphs;
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => {
    if (onPage) setHydrated(true);
  }, []);

  const marked = useRef(false);
  const markLive = useMemo(
    () => () => {
      if (marked.current) return;
      marked.current = true;
      performance.mark(`fig:${meta.id}:live`);
    },
    [meta.id],
  );

  const { status, retry } = models ? live : graphs ? page : { status: STATIC, retry: () => {} };
  const shown = onPage ? (hydrated ? HYDRATED : STATIC) : status;
  return {
    state,
    setState,
    set: (patch) => setState((s) => ({ ...s, ...patch })),
    status: shown,
    predicts: shown.kind === 'live' && models ? shown.predicts : undefined,
    value: page.value,
    ep: page.ep,
    retry,
    markLive,
    bar: {
      figureId: meta.id,
      title: meta.title,
      // A figure on page data says so in its strip, and offers no execution-provider switch.
      status: onPage ? { kind: 'page', live: hydrated } : shown,
      retry,
      query,
      embedHeight: meta.embedHeight,
      embed,
    },
  };
}
