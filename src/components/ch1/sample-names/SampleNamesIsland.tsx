/**
 * Figure "sample-names" (island): run the chain rule forwards. Names are a pure function of
 * (model, temperature, seed, count), so the build-time render, the live page, a reload and an
 * embed with the same URL all show the same names.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { sampleNames, type Predict, type SampledName } from '../../../models/names/lm';
import { isNameModel } from '../name-models';
import { FigureBar } from '../../ui/FigureBar';
import { fmtFixed } from '../../ui/format';
import { latestOnly } from '../../ui/latest';
import type { ModelInfo } from '../../ui/models';
import { useFigure } from '../../ui/useFigure';
import { MAX_SEED, T_MAX, sampleNamesMeta as meta, type SampleNamesState } from './meta';

interface Props {
  models: ModelInfo[];
  initial: { state: SampleNamesState; names: SampledName[] };
  embed?: boolean;
}

const keyOf = (s: SampleNamesState): string => meta.serialize(s).toString();

export default function SampleNamesIsland({ models, initial, embed = false }: Props) {
  const { state, set, status, predicts, markLive, bar } = useFigure(meta, {
    initial: initial.state,
    embed,
    models,
  });
  const [drawn, setDrawn] = useState({ key: keyOf(initial.state), names: initial.names });

  const submit = useMemo(
    () =>
      latestOnly(async ({ s, predict }: { s: SampleNamesState; predict: Predict }) => {
        const names = await sampleNames(predict, { count: s.n, temperature: s.t, seed: s.seed });
        setDrawn({ key: keyOf(s), names });
        markLive();
      }),
    [],
  );

  useEffect(() => {
    const predict = predicts?.[state.model];
    if (predict) submit({ s: state, predict });
  }, [state, status, submit]);

  const title = models.find((m) => m.id === state.model)?.title ?? state.model;

  return (
    <div
      class="fig-body sample-names"
      data-figure="sample-names"
      data-status={status.kind}
      data-key={drawn.key}
    >
      <div class="fig-controls">
        <label class="fig-field">
          <span>Model</span>
          <select
            value={state.model}
            onChange={(e) => {
              const v = e.currentTarget.value;
              if (isNameModel(v)) set({ model: v });
            }}
          >
            {models.map((m) => (
              <option value={m.id} key={m.id}>
                {m.title}
              </option>
            ))}
          </select>
        </label>
        <label class="fig-field fig-field--grow">
          <span>
            Temperature <output data-role="t">{fmtFixed(state.t)}</output>
          </span>
          <input
            type="range"
            min={0}
            max={T_MAX}
            step={0.05}
            value={state.t}
            onInput={(e) => set({ t: Math.round(Number(e.currentTarget.value) * 100) / 100 })}
          />
        </label>
        <label class="fig-field">
          <span>Seed</span>
          <input
            type="number"
            min={0}
            max={MAX_SEED}
            step={1}
            value={state.seed}
            class="fig-seed"
            onInput={(e) => {
              const v = Number(e.currentTarget.value);
              if (Number.isInteger(v) && v >= 0 && v <= MAX_SEED) set({ seed: v });
            }}
          />
        </label>
        <button
          type="button"
          class="fig-button fig-button--primary"
          onClick={() => set({ seed: (state.seed + 1) % (MAX_SEED + 1) })}
        >
          Sample (next seed)
        </button>
      </div>
      <ol
        class="sample-names__list"
        aria-label={`${drawn.names.length} names sampled from the ${title} model`}
      >
        {drawn.names.map((n, i) => (
          <li key={i} class={n.name ? undefined : 'is-empty'}>
            {n.name || '(empty name)'}
            {n.cut && <span title="the model had not ended the name yet">…</span>}
          </li>
        ))}
      </ol>
      <p class="sample-names__legend">
        {title}, temperature {fmtFixed(state.t)}
        {state.t <= 0.01 ? ' (always the most likely character)' : ''}, seed {state.seed}.
      </p>
      <FigureBar {...bar} />
    </div>
  );
}
