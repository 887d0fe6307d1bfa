/**
 * The body of "score-name": one row per prediction (each character, then the end marker), one
 * column per model. A bar shows surprisal in bits on a scale shared by all columns; the dashed
 * line marks log2(27), the surprisal of a uniform guess. The footer holds the totals.
 */
import type { NameScore } from '../../../models/names/lm';
import { V } from '../../../models/names/vocab';
import { fmtFixed, fmtProb, glyph } from '../../ui/format';
import type { ModelInfo } from '../../ui/models';

const UNIFORM_BITS = Math.log2(V);

interface Props {
  models: readonly ModelInfo[];
  scores: Readonly<Record<string, NameScore>>;
}

/** Shared bar scale: at least 8 bits, more if some surprisal is larger (∞ is drawn full). */
function scaleMax(scores: readonly NameScore[]): number {
  let max = 8;
  for (const s of scores)
    for (const p of s.predictions)
      if (Number.isFinite(p.surprisalBits)) max = Math.max(max, p.surprisalBits);
  return Math.ceil(max);
}

function Bar({ bits, max }: { bits: number; max: number }) {
  const w = Number.isFinite(bits) ? Math.max(0, (bits / max) * 100) : 100;
  const u = (UNIFORM_BITS / max) * 100;
  return (
    <svg class="sbar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
      <rect class="sbar__fill" x="0" y="1" width={w.toFixed(2)} height="8" />
      <line class="sbar__uniform" x1={u.toFixed(2)} x2={u.toFixed(2)} y1="0" y2="10" />
    </svg>
  );
}

export function ScoreTable({ models, scores }: Props) {
  const shown = models.flatMap((m) => {
    const s = scores[m.id];
    return s ? [{ model: m, score: s }] : [];
  });
  const first = shown[0]?.score;
  if (!first) return null;
  const max = scaleMax(shown.map((x) => x.score));

  return (
    <div class="score-table__wrap fig-scroll-x">
      <table class="score-table" data-columns={shown.length}>
        <thead>
          <tr>
            <th scope="col">context → next</th>
            {shown.map(({ model }) => (
              <th scope="col" key={model.id} data-model={model.id}>
                {model.title}
                <span class="score-table__unit">P(next | context) · surprisal</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {first.predictions.map((row, i) => (
            <tr key={i}>
              <th scope="row" class="score-table__step">
                <span class="score-table__ctx">{row.context}</span> →{' '}
                <span class="score-table__next">
                  {row.target === '.' ? 'end' : glyph(row.target)}
                </span>
              </th>
              {shown.map(({ model, score }) => {
                const p = score.predictions[i];
                if (!p) return <td key={model.id} />;
                return (
                  <td
                    key={model.id}
                    class="score-table__cell"
                    data-model={model.id}
                    data-p={p.p}
                    data-bits={p.surprisalBits}
                  >
                    <Bar bits={p.surprisalBits} max={max} />
                    <span class="score-table__num">
                      <span data-role="p">{fmtProb(p.p)}</span> ·{' '}
                      <span data-role="bits">{fmtFixed(p.surprisalBits)}</span> bits
                    </span>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">log P(name)</th>
            {shown.map(({ model, score }) => (
              <td key={model.id} data-model={model.id} data-logprob-nats={score.logProbNats}>
                <span data-role="logprob-bits">{fmtFixed(score.logProbBits)}</span> bits{' '}
                <span class="score-table__aside">
                  (<span data-role="logprob-nats">{fmtFixed(score.logProbNats)}</span> nats)
                </span>
              </td>
            ))}
          </tr>
          <tr>
            <th scope="row">perplexity per character</th>
            {shown.map(({ model, score }) => (
              <td key={model.id} data-model={model.id} data-perplexity={score.perplexity}>
                <span data-role="perplexity">{fmtFixed(score.perplexity)}</span>
              </td>
            ))}
          </tr>
        </tfoot>
      </table>
      <p class="score-table__legend" aria-hidden="true">
        Bars: surprisal in bits, 0 to {max}; line: {fmtFixed(UNIFORM_BITS)} bits, a uniform guess
        over {V} symbols.
      </p>
    </div>
  );
}
