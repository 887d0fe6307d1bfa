/**
 * The controls every generation figure shares (figures 4.2 and 5.3): the prompt; temperature,
 * top-k, optionally top-p, seed and length; "Generate (next seed)" and Stop / "Again (same
 * seed)"; the text as generated and the run's stats line.
 * Numbers typed out of range are ignored (the field keeps what the reader typed; the state
 * keeps its last valid value).
 */
import { EP_LABEL, type Ep } from '../../models/runtime/ep';
import { fmtFixed, fmtInt } from './format';
import type { Phase } from './useGeneration';

export interface SamplingSettings {
  t: number;
  k: number;
  /** Top-p, when the figure offers it. */
  p?: number;
  seed: number;
  n: number;
}

export interface SamplingLimits {
  tMax: number;
  kMax: number;
  maxSeed: number;
  nMax: number;
  /** The length field's label ("Characters", "Tokens") and step. */
  nLabel: string;
  nStep: number;
}

function intField(
  value: number,
  min: number,
  max: number,
  step: number,
  onValid: (v: number) => void,
  role?: string,
) {
  return (
    <input
      type="number"
      min={min}
      max={max}
      step={step}
      value={value}
      class="fig-seed"
      data-role={role}
      onInput={(e) => {
        const v = Number(e.currentTarget.value);
        if (Number.isInteger(v) && v >= min && v <= max) onValid(v);
      }}
    />
  );
}

export function SamplingControls({
  settings: s,
  limits,
  set,
}: {
  settings: SamplingSettings;
  limits: SamplingLimits;
  set: (patch: Partial<SamplingSettings>) => void;
}) {
  return (
    <div class="fig-controls">
      <label class="fig-field fig-field--grow">
        <span>
          Temperature <output data-role="t">{fmtFixed(s.t)}</output>
        </span>
        <input
          type="range"
          min={0}
          max={limits.tMax}
          step={0.05}
          value={s.t}
          onInput={(e) => set({ t: Math.round(Number(e.currentTarget.value) * 100) / 100 })}
        />
      </label>
      <label class="fig-field">
        <span>Top-k (0 = all)</span>
        {intField(s.k, 0, limits.kMax, 1, (k) => set({ k }), 'k')}
      </label>
      {s.p !== undefined && (
        <label class="fig-field fig-field--grow">
          <span>
            Top-p <output data-role="p">{fmtFixed(s.p)}</output>
          </span>
          <input
            type="range"
            min={0.05}
            max={1}
            step={0.05}
            value={s.p}
            data-role="top-p"
            onInput={(e) => set({ p: Math.round(Number(e.currentTarget.value) * 100) / 100 })}
          />
        </label>
      )}
      <label class="fig-field">
        <span>Seed</span>
        {intField(s.seed, 0, limits.maxSeed, 1, (seed) => set({ seed }), 'seed')}
      </label>
      <label class="fig-field">
        <span>{limits.nLabel}</span>
        {intField(s.n, 1, limits.nMax, limits.nStep, (n) => set({ n }), 'n')}
      </label>
    </div>
  );
}

export function GenerateButtons({
  live,
  running,
  onNextSeed,
  onStop,
  onAgain,
}: {
  live: boolean;
  running: boolean;
  onNextSeed: () => void;
  onStop: () => void;
  onAgain: () => void;
}) {
  return (
    <div class="fig-controls">
      <button
        type="button"
        class="fig-button fig-button--primary"
        disabled={!live}
        onClick={onNextSeed}
      >
        Generate (next seed)
      </button>
      {running ? (
        <button type="button" class="fig-button" data-role="stop" onClick={onStop}>
          Stop
        </button>
      ) : (
        <button
          type="button"
          class="fig-button"
          data-role="again"
          disabled={!live}
          onClick={onAgain}
        >
          Again (same seed)
        </button>
      )}
    </div>
  );
}

/** The prompt field: the reader's text (a paste longer than `max` is cut by the figure). */
export function PromptField({
  value,
  max,
  onInput,
}: {
  value: string;
  max: number;
  onInput: (value: string) => void;
}) {
  return (
    <div class="fig-controls">
      <label class="fig-field fig-field--grow">
        <span>Prompt</span>
        <input
          type="text"
          value={value}
          spellcheck={false}
          autocomplete="off"
          maxLength={max * 4}
          onInput={(e) => onInput(e.currentTarget.value)}
        />
      </label>
    </div>
  );
}

/** The prompt (bold) and what was generated after it, with a cursor while it streams. */
export function GeneratedText({
  prompt,
  text,
  running,
  busy,
}: {
  prompt: string;
  text: string;
  running: boolean;
  busy: boolean;
}) {
  return (
    <p class="generate__text" data-role="text" aria-live="off" aria-busy={busy}>
      <span class="generate__prompt">{prompt}</span>
      <span class="generate__out" data-role="generated">
        {text}
      </span>
      {running && <span class="generate__cursor" aria-hidden="true" />}
    </p>
  );
}

/**
 * The stats line of a live run, in words: how far it got (of `n` `unit`), why it stopped, the
 * rate and what it runs on ("40 tokens · 212 tokens per second · running on WASM (CPU) in your
 * browser.").
 */
export function runStats({
  phase,
  count,
  n,
  unit,
  why,
  perSecond,
  ep,
}: {
  phase: Phase;
  count: number;
  n: number;
  unit: string;
  why?: string | undefined;
  perSecond?: number | undefined;
  ep?: Ep | undefined;
}): string {
  return [
    phase === 'running'
      ? `Generating: ${fmtInt(count)} of ${fmtInt(n)} ${unit}`
      : phase === 'stopped'
        ? `Stopped after ${fmtInt(count)} ${unit} (${why ?? 'stopped'})`
        : `${fmtInt(count)} ${unit}`,
    perSecond !== undefined ? ` · ${fmtInt(Math.round(perSecond))} ${unit} per second` : '',
    ep ? ` · running on ${EP_LABEL[ep]} in your browser` : '',
    '.',
  ].join('');
}

/**
 * A generation figure's whole input: the prompt (the reader's text, kept as typed; the state
 * gets its first `max` characters), the sampling controls and the buttons ("next seed" moves
 * the seed on, wrapping at limits.maxSeed).
 */
export function GenerateForm({
  prompt,
  setPrompt,
  max,
  settings,
  limits,
  set,
  live,
  running,
  onStop,
  onAgain,
}: {
  prompt: string;
  setPrompt: (typed: string) => void;
  max: number;
  settings: SamplingSettings;
  limits: SamplingLimits;
  set: (patch: Partial<SamplingSettings> & { prompt?: string }) => void;
  live: boolean;
  running: boolean;
  onStop: () => void;
  onAgain: () => void;
}) {
  return (
    <>
      <PromptField
        value={prompt}
        max={max}
        onInput={(v) => {
          setPrompt(v);
          set({ prompt: v.slice(0, max) });
        }}
      />
      <SamplingControls settings={settings} limits={limits} set={set} />
      <GenerateButtons
        live={live}
        running={running}
        onNextSeed={() => set({ seed: (settings.seed + 1) % (limits.maxSeed + 1) })}
        onStop={onStop}
        onAgain={onAgain}
      />
    </>
  );
}
