/**
 * Figure "loss-curves" (island): the NNLM's training and held-out loss from its card, against
 * the Kneser-Ney baselines, as loss (nats) or as perplexity on a log scale. Nothing runs: the
 * numbers were measured while the model trained.
 */
import { FigureBar } from '../../ui/FigureBar';
import type { LossPoint } from '../../../models/card';
import { Legend, LineChart, type Series } from '../../ui/charts';
import { useFigure } from '../../ui/useFigure';
import { lossCurvesMeta } from '../meta';

export interface Reference {
  label: string;
  loss: number;
}

interface Props {
  curve: LossPoint[];
  refs: Reference[];
  embed?: boolean;
}

export default function LossCurvesIsland({ curve, refs, embed = false }: Props) {
  const { state, setState, status, bar } = useFigure(lossCurvesMeta, { embed });
  const ppl = state.scale === 'perplexity';
  const y = (loss: number): number => (ppl ? Math.exp(loss) : loss);
  // Step 0 (the untrained model, near ln V) is left out: it would flatten everything after it.
  const trained = curve.filter((p) => p.step > 0);
  const series: Series[] = [
    {
      label: 'training batches',
      kind: 'train',
      points: trained.map((p) => ({ x: p.step, y: y(p.train) })),
    },
    {
      label: 'held-out sample',
      kind: 'held',
      points: trained.flatMap((p) =>
        p.heldOut === undefined ? [] : [{ x: p.step, y: y(p.heldOut) }],
      ),
    },
  ];
  const losses = [
    ...trained.flatMap((p) => [p.train, p.heldOut ?? p.train]),
    ...refs.map((r) => r.loss),
  ];
  const range: [number, number] = [y(Math.min(...losses) - 0.05), y(Math.max(...losses) + 0.05)];
  const start = curve.find((p) => p.step === 0);
  return (
    <div
      class="fig-body loss-curves"
      data-figure="loss-curves"
      data-status={status.kind}
      data-scale={state.scale}
    >
      <div class="fig-controls">
        <label class="fig-field">
          <span>Show</span>
          <select
            value={state.scale}
            onChange={(e) =>
              setState({ scale: e.currentTarget.value === 'perplexity' ? 'perplexity' : 'loss' })
            }
          >
            <option value="loss">loss (nats per word)</option>
            <option value="perplexity">perplexity (log scale)</option>
          </select>
        </label>
      </div>
      <LineChart
        series={series}
        refs={refs.map((r) => ({ label: r.label, y: y(r.loss) }))}
        xLabel="training step"
        yLabel={ppl ? 'perplexity' : 'loss (nats)'}
        log={ppl}
        y={range}
        id="loss-curves"
      />
      <Legend series={series} />
      {start && (
        <p class="fig-note">
          Not drawn: step 0, the untrained model, at {y(start.train).toFixed(ppl ? 0 : 2)}{' '}
          {ppl ? '(about the vocabulary size: a uniform guess)' : 'nats (ln V: a uniform guess)'}.
        </p>
      )}
      <FigureBar {...bar} />
    </div>
  );
}
