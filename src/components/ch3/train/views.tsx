/** What each training figure draws from its runs' records (the same on the server and live). */
import {
  HIST_BINS,
  HIST_RANGE,
  HIDDEN_ROWS,
  HIDDEN_UNITS,
  PARAM_NAMES,
  type RunRecord,
} from './engine';
import { Bars, HeatGrid, Histogram, Legend, LineChart, type Series } from '../../ui/charts';
import { glyph, num } from '../../ui/format';
import { VOCAB } from '../../../models/names/vocab';
import type { Init } from '../../../models/names/mlp-lab';

export interface Refs {
  /** ln V: the uniform guess. */
  uniform: number;
  /** The chapter-1 MLP's held-out loss (its card). */
  chapter1: number;
  chapter1Steps: number;
}

const INIT_LABEL: Record<Init, string> = {
  random: 'random init',
  zero: 'all zeros',
  constant: 'all weights equal',
};

export function LossView({
  records,
  ghost,
  refs,
}: {
  records: RunRecord[];
  ghost: RunRecord | undefined;
  refs: Refs;
}) {
  const many = records.length > 1;
  const series: Series[] = records.flatMap((r) => {
    const held = {
      label: many ? `held-out, ${INIT_LABEL[r.config.init]}` : 'held-out loss',
      kind: many ? r.config.init : 'held',
      points: r.curve.map((p) => ({ x: p.step, y: p.heldOut })),
    };
    const train = {
      label: 'training loss (batch mean)',
      kind: 'train',
      points: r.curve.slice(1).map((p) => ({ x: p.step, y: p.train })),
    };
    return many ? [held] : [train, held];
  });
  if (ghost && !many)
    series.unshift({
      label: 'held-out, build-time run',
      kind: 'ghost',
      dashed: true,
      points: ghost.curve.map((p) => ({ x: p.step, y: p.heldOut })),
    });
  const refLines = [
    { y: refs.uniform, label: `uniform guess, ln 27 = ${num(refs.uniform)}` },
    {
      y: refs.chapter1,
      label: `chapter 1’s MLP after ${refs.chapter1Steps.toLocaleString('en-US')} steps: ${num(refs.chapter1)}`,
    },
  ];
  return (
    <div class="ch3-panel">
      <LineChart
        id="loss"
        series={series}
        refs={refLines}
        xLabel="training step"
        yLabel="loss (nats per character)"
        y={[1.8, 4]}
      />
      <Legend series={series} />
    </div>
  );
}

export function SamplesView({ record }: { record: RunRecord }) {
  return (
    <div class="ch3-panel">
      <p class="ch3-panel__title">
        Names sampled at step {record.samplesStep} (same random draws each time):
      </p>
      <ol class="ch3-samples" data-role="samples">
        {record.samples.map((s, i) => (
          <li key={i}>
            <span>{s || '(empty)'}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}

export function FlowView({ record }: { record: RunRecord }) {
  const e = record.embedRows;
  const series: Series[] = PARAM_NAMES.map((p, i) => ({
    label: `‖∂L/∂${p}‖`,
    kind: `p${i}`,
    points: record.grads.map((g) => ({ x: g.step, y: g.norms[i] as number })),
  }));
  return (
    <div class="ch3-panel">
      {e ? (
        <>
          <p class="ch3-panel__title">
            ‖row of ∂L/∂C‖ per character at step {e.step}; below each letter, how often it occurs in
            the batch’s contexts.{' '}
            <span data-role="zero-rows">{e.norms.filter((v) => v === 0).length}</span> of 27 rows
            get no gradient at all.
          </p>
          <Bars
            values={e.norms}
            labels={VOCAB.map(glyph)}
            counts={e.counts}
            label="Gradient norm of each embedding row"
          />
        </>
      ) : (
        <p class="ch3-panel__title">Take a step to see the first minibatch’s gradient.</p>
      )}
      <LineChart
        id="grad-norms"
        series={series}
        xLabel="training step"
        yLabel="gradient norm"
        log
        height={200}
      />
      <Legend series={series} />
    </div>
  );
}

export function ZeroView({ records, refs }: { records: RunRecord[]; refs: Refs }) {
  return (
    <>
      <LossView records={records} ghost={undefined} refs={refs} />
      <div class="ch3-grids">
        {records.map((r) => (
          <figure class="ch3-grid-fig" key={r.config.init} data-init={r.config.init}>
            {r.hidden && (
              <HeatGrid
                values={r.hidden.values}
                rows={HIDDEN_ROWS}
                cols={HIDDEN_UNITS}
                label={`Hidden units, ${INIT_LABEL[r.config.init]}`}
              />
            )}
            <figcaption>
              {INIT_LABEL[r.config.init]}:{' '}
              <strong data-role="distinct">{r.hidden?.distinct ?? '—'}</strong> distinct hidden
              units of 200 · held-out {num(r.curve.at(-1)?.heldOut ?? NaN)}
            </figcaption>
          </figure>
        ))}
      </div>
    </>
  );
}

export function ActivationsView({ record }: { record: RunRecord }) {
  const { first, now, step } = record.hist;
  const sat = record.saturation;
  const last = sat.at(-1)?.fraction;
  return (
    <div class="ch3-panel">
      {now ? (
        <div class="ch3-hists">
          {(['preact', 'h'] as const).map((layer) => (
            <figure key={layer} class="ch3-hist-fig">
              <Histogram
                counts={now[layer]}
                before={first?.[layer]}
                range={HIST_RANGE[layer]}
                label={`Histogram of ${layer} at step ${step}`}
              />
              <figcaption>
                {layer === 'h' ? 'h = tanh(pre-activation)' : 'pre-activation x·W1 + b1'}, step{' '}
                {step}
              </figcaption>
            </figure>
          ))}
        </div>
      ) : (
        <p class="ch3-panel__title">Take a step to see the first minibatch’s activations.</p>
      )}
      <p class="ch3-panel__title">
        Saturated units (|h| &gt; 0.97):{' '}
        <span data-role="saturation">{last === undefined ? '—' : `${num(100 * last, 3)}%`}</span>
      </p>
      <LineChart
        id="saturation"
        series={[
          {
            label: 'saturated fraction',
            kind: 'held',
            points: sat.map((s) => ({ x: s.step, y: s.fraction })),
          },
        ]}
        xLabel="training step"
        yLabel="fraction |h| > 0.97"
        y={[0, Math.max(0.2, ...sat.map((s) => s.fraction))]}
        height={170}
      />
      <p class="fig-note">{HIST_BINS} bins per histogram.</p>
    </div>
  );
}
