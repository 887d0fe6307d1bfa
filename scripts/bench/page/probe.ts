/**
 * Installed in every benchmarked page before any of its own scripts run (an init script), for
 * one figure: `globalThis.__benchFigureId` names it. Everything is timed here, in the page's
 * own clock (performance.now(), ms from navigation start), so no driver round trip is counted.
 *
 * Definitions (the bench reports these names):
 * - figureVisible: the figure's build-time render is on screen: the first IntersectionObserver
 *   entry with isIntersecting for its `[data-figure=<id>]` element. Intersection is computed in
 *   the rendering step of the frame that paints it, so this is the figure's first paint.
 * - hydrated: Astro's `astro:hydrate` event on the island that holds the figure.
 * - live: `data-status="live"` set on the figure's element (the status contract of
 *   src/components/ui/useFigure.ts); liveFrame: the start of the next animation frame after it
 *   (the frame that paints it).
 * - a keystroke is timed from its keydown event's timeStamp (the key press entering the page) to
 *   - commit: the figure's output for the new text is in the DOM. A figure that declares the
 *     text its output is for (`data-text` on its element, as score-name and next-word do) is
 *     committed when data-text equals the input's new value; any other figure when its subtree
 *     first changes after the input event (embeddings: the map, the note, the neighbours);
 *   - frame: the start of the first animation frame after the commit: the frame that paints it
 *     (aligned to the display's refresh, so up to one frame interval later than commit).
 */

interface KeyTiming {
  value: string;
  start: number;
  commit?: number;
  frame?: number;
}

export interface ProbeState {
  figure: string;
  firstContentfulPaint?: number;
  inDom?: number;
  figureVisible?: number;
  hydrated?: number;
  live?: number;
  liveFrame?: number;
  statuses: { status: string; t: number }[];
  keys: KeyTiming[];
  /** The figure's second (projection) attribute changes, for the embeddings figure. */
  attrs: { name: string; value: string; t: number; frame?: number }[];
}

declare global {
  var __benchFigureId: string | undefined;
  var __bench: ProbeState | undefined;
}

(() => {
  const id = globalThis.__benchFigureId ?? '';
  const state: ProbeState = { figure: id, statuses: [], keys: [], attrs: [] };
  globalThis.__bench = state;
  performance.setResourceTimingBufferSize(10_000);

  new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      if (e.name === 'first-contentful-paint') state.firstContentfulPaint ??= e.startTime;
  }).observe({ type: 'paint', buffered: true });

  const selector = `[data-figure="${CSS.escape(id)}"]`;
  let figure: Element | null = null;
  let pending: KeyTiming | undefined;

  // performance.now() inside the callback, not its timestamp argument: under load Chromium hands
  // rAF the frame's scheduled time, which can be earlier than the change being painted.
  const nextFrame = (set: (t: number) => void) =>
    requestAnimationFrame(() => set(performance.now()));

  const commit = (k: KeyTiming) => {
    k.commit = performance.now();
    if (pending === k) pending = undefined;
    nextFrame((t) => (k.frame = t));
  };

  const watch = (el: Element) => {
    figure = el;
    state.inDom = performance.now();
    new IntersectionObserver((entries, io) => {
      const hit = entries.find((e) => e.isIntersecting);
      if (hit) {
        state.figureVisible = hit.time;
        io.disconnect();
      }
    }).observe(el);
    const onStatus = () => {
      const s = el.getAttribute('data-status') ?? '';
      const t = performance.now();
      if (state.statuses.at(-1)?.status !== s) state.statuses.push({ status: s, t });
      if (s === 'live' && state.live === undefined) {
        state.live = t;
        nextFrame((f) => (state.liveFrame = f));
      }
    };
    onStatus();
    new MutationObserver((records) => {
      for (const r of records) {
        if (r.type === 'attributes' && r.target === el) {
          if (r.attributeName === 'data-status') onStatus();
          else if (r.attributeName === 'data-projection') {
            const a = {
              name: r.attributeName,
              value: el.getAttribute(r.attributeName) ?? '',
              t: performance.now(),
            } as ProbeState['attrs'][number];
            state.attrs.push(a);
            nextFrame((f) => (a.frame = f));
          }
        }
        const k = pending;
        if (!k || k.commit !== undefined) continue;
        if (el.hasAttribute('data-text')) {
          if (el.getAttribute('data-text') === k.value) commit(k);
        } else if (!(r.target instanceof HTMLInputElement)) {
          commit(k);
        }
      }
    }).observe(el, { attributes: true, childList: true, characterData: true, subtree: true });
  };

  // The figure's element arrives while the HTML is parsed (build-time render) or, at worst,
  // when its island renders: catch it either way.
  const find = new MutationObserver(() => {
    const el = document.querySelector(selector);
    if (el) {
      find.disconnect();
      watch(el);
    }
  });
  find.observe(document, { childList: true, subtree: true });

  addEventListener(
    'astro:hydrate',
    (e) => {
      if (figure && e.target instanceof Element && e.target.contains(figure))
        state.hydrated ??= performance.now();
    },
    true,
  );

  // Keystrokes into the figure's own text input (not the embed-code box).
  let keyStart: number | undefined;
  addEventListener(
    'keydown',
    (e) => {
      if (figure && e.target instanceof HTMLInputElement && figure.contains(e.target))
        keyStart = e.timeStamp;
    },
    true,
  );
  addEventListener(
    'input',
    (e) => {
      const t = e.target;
      if (!figure || !(t instanceof HTMLInputElement) || !figure.contains(t)) return;
      const k: KeyTiming = { value: t.value, start: keyStart ?? e.timeStamp };
      keyStart = undefined;
      state.keys.push(k);
      pending = k;
      // Already drawn (a figure that renders synchronously inside the event): commit now.
      if (figure.getAttribute('data-text') === k.value) commit(k);
    },
    true,
  );
})();
