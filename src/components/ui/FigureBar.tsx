/**
 * The strip under every figure: what is running (build-time render, loading, live on
 * WASM/WebGPU, or an error with a retry), the execution-provider switch, the embed code and
 * the figure's current state as an SVG or PNG file (./export-dom.ts).
 * Figures that load no model (runtime 'page': their data came with the page) get the same strip
 * with a PageStatus and no execution-provider switch.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { EP_LABEL, setEpMode, parseEpMode, type EpMode } from '../../models/runtime/ep';
import { bootState, runtimeNeedsReload } from '../../models/runtime/web';
import { embedCode, embedHref, parseEmbedTheme, type EmbedTheme } from './embed';
import { useEpState, type LiveStatus } from './useLive';

/** A figure with no model (runtime 'page'): its build-time render, then hydrated and live. */
export type PageStatus = { kind: 'page'; live: boolean };

export interface FigureBarProps {
  figureId: string;
  title: string;
  status: LiveStatus | PageStatus;
  /** Runs the models again after an error (figures that load models). */
  retry?: () => void;
  /** The figure's current state as a query string (no leading '?'). */
  query: string;
  /** The copied iframe's fixed height (FigureMeta.embedHeight). */
  embedHeight: number;
  /** On an embed page there is no embed code to offer. */
  embed: boolean;
}

function liveText(status: Extract<LiveStatus, { kind: 'live' }>): {
  text: string;
  notes: string[];
} {
  const eps = Object.entries(status.eps);
  const distinct = [...new Set(eps.map(([, m]) => m.ep))];
  const text =
    distinct.length === 1
      ? `Live in your browser · ${EP_LABEL[distinct[0] ?? 'wasm']}`
      : `Live in your browser · ${eps.map(([id, m]) => `${id}: ${EP_LABEL[m.ep]}`).join(', ')}`;
  const notes = [...new Set(eps.map(([, m]) => m.note).filter((n) => n && n !== 'chosen'))];
  return { text, notes };
}

/**
 * While the runtime downloads (RuntimeStart.astro's boot), how much of it has arrived: "42 %",
 * redrawn a few times a second; undefined once it is in, or on a page without the boot.
 */
function useRuntimeShare(active: boolean): string | undefined {
  const [share, setShare] = useState<string | undefined>(undefined);
  useEffect(() => {
    if (!active) return;
    const read = () => {
      const s = bootState();
      setShare(
        s && s.loaded < s.total
          ? `${Math.min(99, Math.floor((100 * s.loaded) / s.total))} %`
          : undefined,
      );
    };
    read();
    const timer = setInterval(read, 250);
    return () => clearInterval(timer);
  }, [active]);
  return share;
}

function StatusText({
  status,
  retry,
}: {
  status: LiveStatus | PageStatus;
  retry: (() => void) | undefined;
}) {
  const share = useRuntimeShare(status.kind === 'loading');
  switch (status.kind) {
    case 'page':
      return status.live ? (
        <span class="fig-status" data-status="live">
          Live in your browser · computed from data that came with the page
        </span>
      ) : (
        <span class="fig-status" data-status="static">
          Drawn at build time; it becomes interactive once the page’s script has loaded.
        </span>
      );
    case 'static':
      return (
        <span class="fig-status" data-status="static">
          Drawn at build time from the same model files; it becomes interactive once the model loads
          in your browser.
        </span>
      );
    case 'loading':
      return (
        <span class="fig-status" data-status="loading">
          Loading the model in your browser…
          {share && <span class="fig-status__note"> (runtime {share} downloaded)</span>}
        </span>
      );
    case 'error': {
      // onnxruntime could not start at all: it will not try again in this page, a reload will.
      const reload = runtimeNeedsReload();
      return (
        <span class="fig-status fig-status--error" data-status="error" role="alert">
          Couldn’t run the model here ({status.message}). Showing the build-time render.{' '}
          <button
            type="button"
            class="fig-button"
            onClick={reload || !retry ? () => location.reload() : retry}
          >
            {reload || !retry ? 'Reload page' : 'Retry'}
          </button>
        </span>
      );
    }
    case 'live': {
      const { text, notes } = liveText(status);
      return (
        <span class="fig-status" data-status="live">
          {text}
          {notes.length > 0 && <span class="fig-status__note"> ({notes.join('; ')})</span>}
        </span>
      );
    }
  }
}

function EpSwitch() {
  const ep = useEpState();
  if (!ep) return null;
  return (
    <label class="fig-ep">
      Run on{' '}
      <select
        value={ep.mode}
        onChange={(e) => {
          const mode = parseEpMode(e.currentTarget.value);
          if (mode) setEpMode(mode);
        }}
      >
        {(['auto', 'wasm', 'webgpu'] satisfies EpMode[]).map((m) => (
          <option value={m} key={m}>
            {m === 'auto' ? 'Auto' : EP_LABEL[m]}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The Embed box; the "For teachers" page shows it open, with each figure's default state. */
export function EmbedCode({
  figureId,
  title,
  query,
  embedHeight,
  open = false,
}: {
  figureId: string;
  title: string;
  query: string;
  embedHeight: number;
  open?: boolean;
}) {
  // Before hydration (and with JS off) the code is the iframe with a site-relative URL; then an
  // absolute one, with an id of its own (the same figure may be embedded twice in one page) and
  // the listener that fits the iframe to the figure (./embed.ts), unless the height is fixed.
  const [origin, setOrigin] = useState('');
  const [frameId, setFrameId] = useState<string | undefined>(undefined);
  const [copied, setCopied] = useState(false);
  const [fit, setFit] = useState(true);
  const [theme, setTheme] = useState<EmbedTheme>('auto');
  const [lock, setLock] = useState(false);
  useEffect(() => {
    setOrigin(location.origin);
    setFrameId(`chain-rule-twice-${figureId}-${Math.random().toString(36).slice(2, 8)}`);
  }, []);
  const href = embedHref(import.meta.env.BASE_URL, figureId, query, { theme, lock });
  const snippet = embedCode({
    src: `${origin}${href}`,
    title,
    height: embedHeight,
    ...(fit && frameId && origin ? { frameId, origin } : {}),
  });
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(snippet);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      setCopied(false);
    }
  };
  return (
    <details class="fig-embed" open={open}>
      <summary>Embed</summary>
      <div class="fig-embed__options">
        <label class="fig-field">
          <span>Iframe height</span>
          <select
            value={fit ? 'fit' : 'fixed'}
            onChange={(e) => setFit(e.currentTarget.value === 'fit')}
            data-embed-option="height"
          >
            <option value="fit">fits the figure (with a script)</option>
            <option value="fixed">fixed, {embedHeight} px (no script)</option>
          </select>
        </label>
        <label class="fig-field">
          <span>Light or dark</span>
          <select
            value={theme}
            onChange={(e) => setTheme(parseEmbedTheme(e.currentTarget.value))}
            data-embed-option="theme"
          >
            <option value="auto">the reader’s (light or dark)</option>
            <option value="light">light</option>
            <option value="dark">dark</option>
          </select>
        </label>
        <label class="fig-field">
          <span>The reader</span>
          <select
            value={lock ? 'lock' : 'free'}
            onChange={(e) => setLock(e.currentTarget.value === 'lock')}
            data-embed-option="lock"
          >
            <option value="free">can change the figure</option>
            <option value="lock">cannot (fixed, e.g. for a quiz)</option>
          </select>
        </label>
      </div>
      <textarea
        class="fig-embed__code"
        readOnly
        rows={6}
        aria-label="Embed code"
        value={snippet}
        onFocus={(e) => e.currentTarget.select()}
      />
      <button type="button" class="fig-button" onClick={() => void copy()} data-embed-copy>
        {copied ? 'Copied' : 'Copy embed code'}
      </button>{' '}
      <a class="fig-embed__link" href={href} data-embed-link>
        This figure as set up, alone
      </a>
      <p class="fig-embed__note">
        The iframe’s address carries the figure’s current state. It is {embedHeight} px high, enough
        for the figure at 900 px wide; the script after it, where the host page runs scripts, fits
        it to the figure as it changes.
      </p>
    </details>
  );
}

/** "Download SVG" and "Download PNG": a picture of the figure as it is now (./export-dom.ts). */
function ExportButtons({ figureId, query }: { figureId: string; query: string }) {
  const ref = useRef<HTMLSpanElement>(null);
  const [message, setMessage] = useState('');
  const save = async (ext: 'svg' | 'png') => {
    const el = ref.current;
    if (!el) return;
    try {
      // Loaded on the first press: pages pay nothing for it before (scripts/size-budget.ts).
      const { download, figureSvg, svgToPng } = await import('./export-dom');
      const ex = figureSvg(el, figureId, query);
      const blob =
        ext === 'svg' ? new Blob([ex.svg], { type: 'image/svg+xml' }) : await svgToPng(ex);
      download(blob, ex.fileName(ext));
      setMessage('');
    } catch (e) {
      setMessage(`Couldn’t make the ${ext.toUpperCase()} here (${String(e)}).`);
    }
  };
  return (
    <span class="fig-export" ref={ref}>
      <button type="button" class="fig-button" onClick={() => void save('svg')} data-export="svg">
        Download SVG
      </button>{' '}
      <button type="button" class="fig-button" onClick={() => void save('png')} data-export="png">
        Download PNG
      </button>
      <span class="fig-export__message" role="status">
        {message}
      </span>
    </span>
  );
}

export function FigureBar({
  figureId,
  title,
  status,
  retry,
  query,
  embedHeight,
  embed,
}: FigureBarProps) {
  return (
    <div class="fig-bar">
      <StatusText status={status} retry={retry} />
      <span class="fig-bar__tools">
        {status.kind !== 'page' && <EpSwitch />}
        {!embed && <ExportButtons figureId={figureId} query={query} />}
        {!embed && (
          <EmbedCode figureId={figureId} title={title} query={query} embedHeight={embedHeight} />
        )}
      </span>
    </div>
  );
}
