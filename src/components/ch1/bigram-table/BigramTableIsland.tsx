/**
 * Figure "bigram-table" (island): the bigram model's 27 x 27 table as a heatmap, as counts or
 * as probabilities. Hover, click or use the arrow keys to read a cell; the selected row is also
 * shown as an ordinary table.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { V, VOCAB } from '../../../models/names/vocab';
import { FigureBar } from '../../ui/FigureBar';
import { fmtInt, fmtProb } from '../../ui/format';
import type { ModelInfo } from '../../ui/models';
import { useFigure } from '../../ui/useFigure';
import { Heatmap } from './Heatmap';
import { bigramTableMeta as meta, type BigramTableState, type BigramView } from './meta';
import { bigramProbs, shadeOf } from './table';

interface Props {
  model: ModelInfo;
  initial: { state: BigramTableState; probs: number[]; counts: number[] | null };
  embed?: boolean;
}

const prev = (r: number) => (r === 0 ? 'start' : `“${VOCAB[r]}”`);
const next = (c: number) => (c === 0 ? 'end' : `“${VOCAB[c]}”`);

export default function BigramTableIsland({ model, initial, embed = false }: Props) {
  const { counts } = initial;
  const models = useMemo(() => [model], [model]);
  const { state, setState, status, predicts, markLive, bar } = useFigure(meta, {
    initial: initial.state,
    embed,
    models,
  });
  const [probs, setProbs] = useState(initial.probs);

  useEffect(() => {
    const predict = predicts?.[model.id];
    if (!predict) return;
    let stale = false;
    void bigramProbs(predict).then((p) => {
      if (stale) return;
      setProbs(p);
      markLive();
    });
    return () => {
      stale = true;
    };
  }, [status, model.id]);

  const view: BigramView = state.view === 'counts' && counts ? 'counts' : 'probs';
  const values = view === 'counts' && counts ? counts : probs;
  const shade = useMemo(() => shadeOf(values, view), [values, view]);
  const [r, c] = state.cell;
  const rowTotal = counts ? counts.slice(r * V, (r + 1) * V).reduce((a, b) => a + b, 0) : 0;
  const p = probs[r * V + c] ?? NaN;
  const n = counts?.[r * V + c];

  return (
    <div
      class="fig-body bigram-table"
      data-figure="bigram-table"
      data-status={status.kind}
      data-view={view}
    >
      <div class="fig-controls" role="radiogroup" aria-label="Show">
        {(['counts', 'probs'] satisfies BigramView[]).map((v) => (
          <label class="fig-toggle" key={v}>
            <input
              type="radio"
              name={`bigram-view-${embed ? 'embed' : 'page'}`}
              value={v}
              checked={view === v}
              disabled={v === 'counts' && !counts}
              onChange={() => setState((s) => ({ ...s, view: v }))}
            />
            {v === 'counts' ? 'counts' : 'probabilities'}
          </label>
        ))}
        {!counts && <span class="fig-note">(this model card has no counts)</span>}
      </div>
      <div class="bigram-table__grid">
        <Heatmap
          shade={shade}
          cell={state.cell}
          onCell={(cell) => setState((s) => ({ ...s, cell }))}
          label={`Bigram ${view === 'counts' ? 'counts' : 'probabilities'}: rows are the previous character, columns the next. Use the arrow keys to read cells.`}
        />
        <p class="bigram-table__readout" aria-live="polite" data-role="readout">
          After {prev(r)}, the next character is {next(c)}:{' '}
          {n !== undefined && (
            <>
              <strong>{fmtInt(n)}</strong> of {fmtInt(rowTotal)} times in the training names;{' '}
            </>
          )}
          P({c === 0 ? 'end' : VOCAB[c]} | {r === 0 ? 'start' : VOCAB[r]}) ={' '}
          <strong>{fmtProb(p)}</strong>.
        </p>
      </div>
      <details class="bigram-table__row">
        <summary>Row {prev(r)} as a table</summary>
        <table class="fig-table">
          <thead>
            <tr>
              <th scope="col">next</th>
              {counts && <th scope="col">count</th>}
              <th scope="col">probability</th>
            </tr>
          </thead>
          <tbody>
            {VOCAB.map((ch, j) => (
              <tr key={ch} class={j === c ? 'is-on' : undefined}>
                <th scope="row">{j === 0 ? '. (end)' : ch}</th>
                {counts && <td>{fmtInt(counts[r * V + j] ?? NaN)}</td>}
                <td>{fmtProb(probs[r * V + j] ?? NaN)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      <FigureBar {...bar} />
    </div>
  );
}
