/**
 * Which execution provider (EP) runs the models in this page: WASM (CPU) or WebGPU.
 *
 * One small store per page, shared by every figure: the reader's choice (auto / wasm / webgpu,
 * also forced by `?ep=wasm|webgpu` in the URL), and, per model, what actually runs and why.
 * The decision itself lives in web.ts; this file only holds state and probes the GPU adapter.
 */
export type Ep = 'wasm' | 'webgpu';
export type EpMode = 'auto' | Ep;

export const EP_LABEL: Record<Ep, string> = { wasm: 'WASM (CPU)', webgpu: 'WebGPU' };

export interface ModelEp {
  ep: Ep;
  /** Why this EP, in words for the reader ("WebGPU failed: ...; using WASM"). */
  note: string;
}

export interface EpState {
  mode: EpMode;
  /** True when the URL forced the mode (`?ep=`): the reader can still change it. */
  fromUrl: boolean;
  /** Per model id: the EP its live session uses. */
  models: Record<string, ModelEp>;
  /** Per model id: what the automatic measurement chose (absent until it has run). */
  auto: Record<string, ModelEp>;
  /** Set when the WebGPU device was lost (web.ts): why every figure moved to WASM. */
  gpuLost?: string;
}

export function parseEpMode(value: string | null | undefined): EpMode | undefined {
  return value === 'wasm' || value === 'webgpu' || value === 'auto' ? value : undefined;
}

function initialState(): EpState {
  const fromUrl =
    typeof location === 'undefined'
      ? undefined
      : parseEpMode(new URLSearchParams(location.search).get('ep'));
  return { mode: fromUrl ?? 'auto', fromUrl: fromUrl !== undefined, models: {}, auto: {} };
}

type Listener = (state: EpState) => void;
let state: EpState | undefined;
const listeners = new Set<Listener>();

export function epState(): EpState {
  state ??= initialState();
  return state;
}

export function subscribeEp(fn: Listener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function update(next: EpState): void {
  state = next;
  for (const fn of listeners) fn(next);
}

export function setEpMode(mode: EpMode): void {
  const s = epState();
  if (s.mode !== mode) update({ ...s, mode });
}

/** The WebGPU device is gone: back to "auto" (which then picks WASM), remembering why. */
export function setGpuLost(reason: string): void {
  update({ ...epState(), mode: 'auto', gpuLost: reason });
}

export function setModelEp(id: string, value: ModelEp): void {
  const s = epState();
  const old = s.models[id];
  if (old?.ep === value.ep && old.note === value.note) return;
  update({ ...s, models: { ...s.models, [id]: value } });
}

export function setAutoEp(id: string, value: ModelEp): void {
  const s = epState();
  update({ ...s, auto: { ...s.auto, [id]: value } });
}

export interface GpuProbe {
  /** A hardware adapter exists (not a software fallback). */
  usable: boolean;
  /**
   * For the reader, in plain words: the adapter, or why the models run on the CPU. Shown in the
   * figure's status line after "auto:", so no adapter names or API jargon when it is unusable.
   */
  description: string;
}

/** What the status line says when the page cannot use a GPU. */
export const NO_GPU = {
  browser: 'this browser gives the page no GPU, so models run on the CPU (WASM)',
  device: 'this device has no GPU the page can use, so models run on the CPU (WASM)',
  failed: 'the GPU could not be reached, so models run on the CPU (WASM)',
} as const;

let gpuProbe: Promise<GpuProbe> | undefined;

/** Ask for a WebGPU adapter once per page; a fallback (software) adapter does not count. */
export function probeGpu(): Promise<GpuProbe> {
  gpuProbe ??= (async (): Promise<GpuProbe> => {
    if (typeof navigator === 'undefined' || !('gpu' in navigator) || !navigator.gpu) {
      return { usable: false, description: NO_GPU.browser };
    }
    try {
      const adapter = await navigator.gpu.requestAdapter();
      if (!adapter) return { usable: false, description: NO_GPU.device };
      // adapter.info.isFallbackAdapter is current; older browsers had adapter.isFallbackAdapter.
      const legacy = (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter;
      const fallback = adapter.info?.isFallbackAdapter ?? legacy ?? false;
      const name = [adapter.info?.vendor, adapter.info?.architecture, adapter.info?.description]
        .filter((s) => s)
        .join(' ');
      // A fallback adapter is the CPU pretending to be a GPU (e.g. SwiftShader): no faster.
      return fallback
        ? { usable: false, description: NO_GPU.device }
        : { usable: true, description: name || 'WebGPU adapter' };
    } catch (e) {
      console.warn('WebGPU adapter request failed', e);
      return { usable: false, description: NO_GPU.failed };
    }
  })();
  return gpuProbe;
}
