/**
 * Figure "corpus-glance" (island): Zipf's law for the training addresses, how much of the
 * held-out text the most frequent words cover, and the most distinctive words of a president
 * or a decade. All data arrive as props from the build (corpus.ts); the island only selects.
 */
import { FigureBar } from '../../ui/FigureBar';
import { fmtInt } from '../../ui/format';
import { useFigure } from '../../ui/useFigure';
import type { CorpusStats, GroupWords, RankCount } from '../corpus';
import { corpusGlanceMeta } from '../meta';

interface Props {
  stats: CorpusStats;
  embed?: boolean;
}

const W = 360;
const H = 240;
const M = { l: 46, r: 10, t: 18, b: 34 };

/** Rank/count on log-log axes, with labels for the first few words. */
function Zipf({ zipf }: { zipf: RankCount[] }) {
  const maxRank = Math.max(...zipf.map((p) => p.rank));
  const maxCount = Math.max(...zipf.map((p) => p.count));
  const x = (r: number): number => M.l + (Math.log10(r) / Math.log10(maxRank)) * (W - M.l - M.r);
  const y = (c: number): number =>
    M.t + (1 - Math.log10(Math.max(c, 1)) / Math.log10(maxCount)) * (H - M.t - M.b);
  const decades = (max: number): number[] =>
    Array.from({ length: Math.floor(Math.log10(max)) + 1 }, (_, i) => 10 ** i);
  return (
    <svg
      class="zipf"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label="Count of each word against its frequency rank, log-log"
    >
      {decades(maxCount).map((c) => (
        <g key={`y${c}`}>
          <line class="ch3-grid" x1={M.l} x2={W - M.r} y1={y(c)} y2={y(c)} />
          <text class="ch3-tick" x={M.l - 4} y={y(c)} text-anchor="end" dominant-baseline="middle">
            {fmtInt(c)}
          </text>
        </g>
      ))}
      {decades(maxRank).map((r) => (
        <text key={`x${r}`} class="ch3-tick" x={x(r)} y={H - M.b + 13} text-anchor="middle">
          {fmtInt(r)}
        </text>
      ))}
      <text class="ch3-axis" x={(M.l + W - M.r) / 2} y={H - 3} text-anchor="middle">
        frequency rank
      </text>
      <text
        class="ch3-axis"
        x={10}
        y={(M.t + H - M.b) / 2}
        text-anchor="middle"
        transform={`rotate(-90 10 ${(M.t + H - M.b) / 2})`}
      >
        count in training
      </text>
      <path
        class="ch3-line ch3-line--train"
        d={zipf
          .map((p, i) => `${i ? 'L' : 'M'}${x(p.rank).toFixed(1)},${y(p.count).toFixed(1)}`)
          .join('')}
      />
      {zipf.slice(0, 4).map((p) => (
        <text key={p.word} class="zipf__label" x={x(p.rank) + 4} y={y(p.count) - 3}>
          {p.word}
        </text>
      ))}
    </svg>
  );
}

function pickGroup(groups: GroupWords[], pick: string): GroupWords | undefined {
  return groups.find((g) => g.label === pick) ?? groups[0];
}

export default function CorpusGlanceIsland({ stats, embed = false }: Props) {
  const { state, setState, status, bar } = useFigure(corpusGlanceMeta, { embed });
  const groups = state.by === 'president' ? stats.presidents : stats.decades;
  const group = pickGroup(groups, state.pick);
  const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
  return (
    <div
      class="fig-body corpus-glance"
      data-figure="corpus-glance"
      data-status={status.kind}
      data-by={state.by}
      data-pick={group?.label ?? ''}
    >
      <div class="corpus-glance__cols">
        <div>
          <Zipf zipf={stats.zipf} />
          <p class="fig-note">
            Share of the held-out tokens that are among the k most frequent training words:
          </p>
          <table class="fig-table corpus-glance__coverage">
            <tbody>
              {stats.coverage.map((c) => (
                <tr key={c.k}>
                  <th scope="row">
                    top {fmtInt(c.k)}
                    {c.k === stats.vocabSize - 2
                      ? ' (the vocabulary)'
                      : c.k === stats.types
                        ? ' (every word)'
                        : ''}
                  </th>
                  <td>{pct(c.share)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p class="fig-note">
            {fmtInt(stats.types)} different tokens in {fmtInt(stats.trainTokens)} training tokens;{' '}
            {fmtInt(stats.once)} of them ({pct(stats.once / stats.types)}) occur exactly once.
          </p>
        </div>
        <div>
          <div class="fig-controls">
            <label class="fig-field">
              <span>Group by</span>
              <select
                value={state.by}
                onChange={(e) =>
                  setState({
                    by: e.currentTarget.value === 'decade' ? 'decade' : 'president',
                    pick: '',
                  })
                }
              >
                <option value="president">president</option>
                <option value="decade">decade</option>
              </select>
            </label>
            <label class="fig-field">
              <span>{state.by === 'president' ? 'President' : 'Decade'}</span>
              <select
                value={group?.label ?? ''}
                onChange={(e) => setState({ ...state, pick: e.currentTarget.value })}
              >
                {groups.map((g) => (
                  <option key={g.label} value={g.label}>
                    {state.by === 'president'
                      ? `${g.label} (${g.years[0]}–${g.years[1]})`
                      : g.label}
                  </option>
                ))}
              </select>
            </label>
          </div>
          {group && (
            <div class="corpus-glance__group" aria-live="polite">
              <p class="fig-note">
                {group.label}
                {group.party && group.party !== 'none' ? `, ${group.party}` : ''} ·{' '}
                {group.years[0] === group.years[1]
                  ? group.years[0]
                  : `${group.years[0]}–${group.years[1]}`}
              </p>
              <ol class="corpus-glance__words">
                {group.words.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ol>
            </div>
          )}
        </div>
      </div>
      <FigureBar {...bar} />
    </div>
  );
}
