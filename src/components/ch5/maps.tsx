/**
 * Drawing attention maps (chapter 5: heads, head-gallery). A map is T x T, query rows down, key
 * columns across, lower-triangular (a position looks only back); a cell's shade is its weight,
 * 0 (paper) to 1 (full ink).
 *
 * Live, every map of a figure goes into ONE canvas per redraw: the weights become pixels of a
 * small offscreen image (one byte of alpha each), scaled up without smoothing, so a keystroke
 * costs a few drawImage calls and no DOM nodes. Before the page's script runs (and in print
 * without it), the same maps are SVG drawn at build time: each map is a handful of paths, one
 * per shade level (weights rounded to eighths), never one node per cell.
 */
import { useLayoutEffect, useRef } from 'preact/hooks';
import { rowAt, type Attention } from './attention';

export interface HeadRef {
  layer: number;
  head: number;
}

export interface GridLayout {
  /** Maps per row. */
  cols: number;
  /** Side of one map, CSS px. */
  size: number;
  /** Space between maps, CSS px. */
  gap: number;
}

export function gridSize(n: number, g: GridLayout): { width: number; height: number } {
  const rows = Math.ceil(n / g.cols);
  const cols = Math.min(n, g.cols);
  return { width: cols * g.size + (cols - 1) * g.gap, height: rows * g.size + (rows - 1) * g.gap };
}

function place(k: number, g: GridLayout): { x: number; y: number } {
  return { x: (k % g.cols) * (g.size + g.gap), y: Math.floor(k / g.cols) * (g.size + g.gap) };
}

let scratch: HTMLCanvasElement | undefined;

function rgb(color: string): [number, number, number] {
  const m = /rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/.exec(color);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [40, 80, 160];
}

/**
 * Draw the maps of `heads` into `canvas` on the grid `g`, in the canvas's CSS colour. `row`:
 * a query row to outline in every map (-1: none).
 */
export function drawMaps(
  canvas: HTMLCanvasElement,
  a: Attention,
  heads: readonly HeadRef[],
  g: GridLayout,
  row: number,
): void {
  const { width, height } = gridSize(heads.length, g);
  const dpr = Math.min(3, globalThis.devicePixelRatio || 1);
  const W = Math.round(width * dpr);
  const H = Math.round(height * dpr);
  if (canvas.width !== W || canvas.height !== H) {
    canvas.width = W;
    canvas.height = H;
  }
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, height);
  const T = a.T;
  if (T === 0 || heads.length === 0) return;
  const [r, gr, b] = rgb(getComputedStyle(canvas).color);
  // Every map as T x T pixels of one offscreen image, stacked down.
  scratch ??= document.createElement('canvas');
  if (scratch.width !== T || scratch.height !== T * heads.length) {
    scratch.width = T;
    scratch.height = T * heads.length;
  }
  const sctx = scratch.getContext('2d');
  if (!sctx) return;
  const img = sctx.createImageData(T, T * heads.length);
  const px = img.data;
  heads.forEach(({ layer, head }, k) => {
    const base = rowAt(a, layer, head, 0);
    for (let i = 0; i < T; i++)
      for (let j = 0; j <= i; j++) {
        const w = a.data[base + i * T + j] ?? 0;
        const o = ((k * T + i) * T + j) * 4;
        px[o] = r;
        px[o + 1] = gr;
        px[o + 2] = b;
        px[o + 3] = Math.round(Math.min(1, Math.max(0, w)) * 255);
      }
  });
  sctx.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = false;
  const cell = g.size / T;
  heads.forEach((_, k) => {
    const { x, y } = place(k, g);
    ctx.drawImage(scratch as HTMLCanvasElement, 0, k * T, T, T, x, y, g.size, g.size);
    // The map's frame: the upper triangle is empty by construction, not by accident.
    ctx.strokeStyle = `rgb(${r} ${gr} ${b} / 0.35)`;
    ctx.lineWidth = 1;
    ctx.strokeRect(x + 0.5, y + 0.5, g.size - 1, g.size - 1);
    if (row >= 0 && row < T) {
      ctx.strokeStyle = 'rgb(220 120 0 / 0.9)';
      ctx.lineWidth = Math.max(1, Math.min(2, cell / 3));
      ctx.strokeRect(x, y + row * cell, (row + 1) * cell, cell);
    }
  });
}

export interface MapsProps {
  attention: Attention;
  heads: readonly HeadRef[];
  layout: GridLayout;
  /** A query row to outline in every map (-1: none). */
  row: number;
  /** The picture's text alternative. */
  label: string;
}

/** The live grid: one canvas, redrawn in the commit that changes its inputs. */
export function MapsCanvas({ attention, heads, layout, row, label }: MapsProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  useLayoutEffect(() => {
    if (ref.current) drawMaps(ref.current, attention, heads, layout, row);
  }, [attention, heads, layout, row]);
  const { width, height } = gridSize(heads.length, layout);
  return (
    <canvas
      ref={ref}
      class="ch5-maps__canvas"
      width={width}
      height={height}
      style={{ width: `${width}px`, height: `${height}px` }}
      role="img"
      aria-label={label}
      data-maps={heads.length}
      data-t={attention.T}
    />
  );
}

const LEVELS = 8;

/** The build-time grid: SVG, one path per shade level per map. */
export function MapsSvg({ attention, heads, layout, row, label }: MapsProps) {
  const { width, height } = gridSize(heads.length, layout);
  const T = attention.T;
  const cell = layout.size / Math.max(1, T);
  const c = (v: number) => Number(v.toFixed(2));
  return (
    <svg
      class="ch5-maps__svg"
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={label}
      data-maps={heads.length}
      data-t={T}
    >
      {heads.map(({ layer, head }, k) => {
        const { x, y } = place(k, layout);
        const base = rowAt(attention, layer, head, 0);
        const paths: string[] = Array.from({ length: LEVELS }, () => '');
        for (let i = 0; i < T; i++)
          for (let j = 0; j <= i; j++) {
            const w = attention.data[base + i * T + j] ?? 0;
            const level = Math.round(Math.min(1, Math.max(0, w)) * LEVELS);
            if (level > 0)
              paths[level - 1] +=
                `M${c(x + j * cell)} ${c(y + i * cell)}h${c(cell)}v${c(cell)}h${c(-cell)}z`;
          }
        return (
          <g key={k}>
            <rect
              class="ch5-maps__frame"
              x={x + 0.5}
              y={y + 0.5}
              width={layout.size - 1}
              height={layout.size - 1}
            />
            {paths.map((d, l) =>
              d ? (
                <path key={l} d={d} class="ch5-maps__cells" fill-opacity={(l + 1) / LEVELS} />
              ) : null,
            )}
            {row >= 0 && row < T && (
              <rect
                class="ch5-maps__row"
                x={x}
                y={y + row * cell}
                width={(row + 1) * cell}
                height={cell}
              />
            )}
          </g>
        );
      })}
    </svg>
  );
}
