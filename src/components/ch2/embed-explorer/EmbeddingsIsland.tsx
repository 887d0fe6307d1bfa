/**
 * Figure "embeddings" (island): the NNLM's word vectors as dots, by PCA (computed here, in the
 * page) or t-SNE (computed at build), with a word search and its nearest neighbours by cosine
 * similarity (computed here from the model's own fp16 vectors). Nothing calls the model: the vectors are
 * its first layer, read out of the file at build time.
 */
import { useMemo, useState } from 'preact/hooks';
import { FigureBar } from '../../ui/FigureBar';
import { halfToFloat } from '../../../models/graph/proto-read';
import { tokenize } from '../../../models/words/tokenizer';
import { useFigure } from '../../ui/useFigure';
import type { EmbeddingData } from '../embeddings';
import { COLOURINGS, embeddingMeta, PROJECTIONS, type EmbeddingState } from '../meta';
import { neighbours, pca2, type Vectors } from '../projection';
import { placeLabels } from './labels';

interface Props {
  data: EmbeddingData;
  embed?: boolean;
}

const W = 640;
const H = 420;
const PAD = 14;
/** Words always labelled: the most frequent few. */
const LABELLED = 12;

/** The fp16 rows of the model's table, as float64 (exact: every fp16 is a float64). */
export function decodeVectors(data: EmbeddingData): Vectors {
  const bytes = Uint8Array.from(atob(data.vectors), (c) => c.charCodeAt(0));
  const view = new DataView(bytes.buffer);
  return {
    n: bytes.length / 2 / data.d,
    d: data.d,
    data: Float64Array.from({ length: bytes.length / 2 }, (_, i) =>
      halfToFloat(view.getUint16(i * 2, true)),
    ),
  };
}

/** Fit [n * 2] points into the drawing box. */
function fit(
  points: ArrayLike<number>,
  n: number,
): { x: (i: number) => number; y: (i: number) => number } {
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < n; i++) {
    const px = points[i * 2] as number;
    const py = points[i * 2 + 1] as number;
    [x0, x1, y0, y1] = [Math.min(x0, px), Math.max(x1, px), Math.min(y0, py), Math.max(y1, py)];
  }
  const sx = (W - 2 * PAD) / (x1 - x0 || 1);
  const sy = (H - 2 * PAD) / (y1 - y0 || 1);
  return {
    x: (i) => PAD + ((points[i * 2] as number) - x0) * sx,
    y: (i) => H - PAD - ((points[i * 2 + 1] as number) - y0) * sy,
  };
}

const pct = (x: number): string => `${Math.round(100 * x)}%`;

/** The colour key for a colouring (none for frequency: darker is more frequent). */
function legendFor(
  color: EmbeddingState['color'],
  data: EmbeddingData,
): { title: string; items: string[]; note?: string } | undefined {
  if (color === 'class') {
    const counts = data.classNames.map((_, c) => data.classes.filter((x) => x === c).length);
    const { neighbours, chance } = data.classAgreement;
    return {
      title: 'Word classes',
      items: data.classNames.map((name, c) => `${name} (${counts[c]})`),
      note: `${pct(neighbours)} of each word's 10 nearest neighbours share its class; two words picked at random do ${pct(chance)} of the time.`,
    };
  }
  if (color === 'cluster') {
    return {
      title: 'Clusters, each named by its three most frequent words',
      items: data.clusterNames.map((name, c) => `${c + 1}: ${name}`),
    };
  }
  return undefined;
}

/** Find the reader's word: as typed, else its first token (so "Wars" finds "wars"). */
function lookup(index: Map<string, number>, typed: string): number | undefined {
  const raw = typed.trim().toLowerCase();
  return index.get(raw) ?? index.get(tokenize(typed).tokens[0] ?? '');
}

export default function EmbeddingsIsland({ data, embed = false }: Props) {
  const [typed, setTyped] = useState(embeddingMeta.defaults.word);
  const { state, setState, status, bar } = useFigure(embeddingMeta, {
    embed,
    onUrlState: (s) => setTyped(s.word),
  });

  const words = useMemo(() => data.words.split('\n'), [data.words]);
  const index = useMemo(() => new Map(words.map((w, i) => [w, i])), [words]);
  const vectors = useMemo(() => decodeVectors(data), [data]);
  const pca = useMemo(
    () => (state.projection === 'pca' ? pca2(vectors) : undefined),
    [vectors, state.projection],
  );
  const points = pca ?? (state.projection === 'umap' ? data.umap : data.tsne);
  const { x, y } = fit(points, vectors.n);
  const outliers = new Set(data.outliers.map((o) => o.index));
  const legend = legendFor(state.color, data);
  const colourOf = (i: number): string | undefined =>
    state.color === 'class'
      ? `emb-c${data.classes[i] ?? 0}`
      : state.color === 'cluster'
        ? `emb-c${data.clusters[i] ?? 0}`
        : undefined;

  const selected = lookup(index, state.word);
  const near = useMemo(
    () => (selected === undefined ? [] : neighbours(vectors, selected, 10)),
    [vectors, selected],
  );
  const highlighted = new Set(near.map((n) => n.index));
  // Labels, most important first: the searched word, its neighbours (nearest first), the
  // isolated words, the most frequent words. Placed so that none overlaps another.
  const labelled = [
    ...new Set([
      ...(selected === undefined ? [] : [selected]),
      ...near.map((n) => n.index),
      ...data.outliers.map((o) => o.index),
      ...Array.from({ length: Math.min(LABELLED, words.length) }, (_, i) => i),
    ]),
  ];
  const labels = placeLabels(
    labelled.map((i) => ({
      x: x(i),
      y: y(i),
      text: words[i] ?? '',
      required: i === selected || highlighted.has(i),
      size: 10,
      bold: i === selected || highlighted.has(i),
    })),
    W,
    H,
  );
  const pick = (word: string) => {
    setTyped(word);
    setState((s) => ({ ...s, word }));
  };

  return (
    <div
      class="fig-body embeddings"
      data-figure="embeddings"
      data-status={status.kind}
      data-word={selected === undefined ? '' : words[selected]}
      data-projection={state.projection}
      data-color={state.color}
    >
      <div class="fig-controls">
        <label class="fig-field fig-field--grow">
          <span>Word</span>
          <input
            type="text"
            value={typed}
            spellcheck={false}
            autocomplete="off"
            onInput={(e) => {
              const v = e.currentTarget.value;
              setTyped(v);
              setState((s) => ({ ...s, word: v }));
            }}
          />
        </label>
        <label class="fig-field">
          <span>Layout</span>
          <select
            value={state.projection}
            onChange={(e) => {
              const projection = e.currentTarget.value;
              setState((s) => ({
                ...s,
                projection: PROJECTIONS.find((p) => p === projection) ?? s.projection,
              }));
            }}
          >
            <option value="tsne">t-SNE (computed at build)</option>
            <option value="umap">UMAP (computed at build)</option>
            <option value="pca">PCA (computed in your browser)</option>
          </select>
        </label>
        <label class="fig-field">
          <span>Colour</span>
          <select
            value={state.color}
            onChange={(e) => {
              const color = e.currentTarget.value;
              setState((s) => ({ ...s, color: COLOURINGS.find((c) => c === color) ?? s.color }));
            }}
          >
            <option value="cluster">cluster (k-means)</option>
            <option value="class">word class</option>
            <option value="frequency">frequency</option>
          </select>
        </label>
      </div>
      <div class="embed-explorer__cols">
        <svg
          class="embeddings__map"
          viewBox={`0 0 ${W} ${H}`}
          role="img"
          aria-label={`The ${vectors.n} most frequent words, placed by their learned vectors`}
        >
          {words.map((w, i) => (
            <circle
              key={i}
              class={[
                'emb-dot',
                colourOf(i),
                i === selected ? 'emb-dot--on' : highlighted.has(i) ? 'emb-dot--near' : undefined,
                outliers.has(i) ? 'emb-dot--outlier' : undefined,
              ]
                .filter(Boolean)
                .join(' ')}
              cx={x(i).toFixed(1)}
              cy={y(i).toFixed(1)}
              r={i === selected || highlighted.has(i) || outliers.has(i) ? 4 : 2.2}
              fill-opacity={
                state.color === 'frequency'
                  ? (0.85 - 0.7 * (Math.log(i + 1) / Math.log(vectors.n))).toFixed(2)
                  : undefined
              }
              onClick={() => pick(w)}
            >
              <title>{`${w} (frequency rank ${i + 1}; ${data.classNames[data.classes[i] ?? 0]}; cluster ${(data.clusters[i] ?? 0) + 1})`}</title>
            </circle>
          ))}
          {labels.map((l) => {
            const i = labelled[l.index] as number;
            return (
              <g key={`t${i}`}>
                {l.leader && (
                  <line
                    class="emb-leader"
                    x1={x(i).toFixed(1)}
                    y1={y(i).toFixed(1)}
                    x2={(l.x < x(i) ? l.x + l.width : l.x).toFixed(1)}
                    y2={(l.y - 3).toFixed(1)}
                  />
                )}
                <text
                  class={
                    i === selected
                      ? 'emb-label emb-label--on'
                      : highlighted.has(i)
                        ? 'emb-label emb-label--near'
                        : 'emb-label'
                  }
                  x={l.x.toFixed(1)}
                  y={l.y.toFixed(1)}
                >
                  {words[i]}
                </text>
              </g>
            );
          })}
        </svg>
        {legend && (
          <ul class="emb-legend" aria-label={legend.title}>
            {legend.items.map((item, c) => (
              <li key={c}>
                <svg width="10" height="10" aria-hidden="true">
                  <circle class={`emb-dot emb-c${c}`} cx="5" cy="5" r="4" />
                </svg>{' '}
                {item}
              </li>
            ))}
          </ul>
        )}
        {legend?.note && <p class="fig-note emb-agreement">{legend.note}</p>}
        <p class="fig-note emb-outliers">
          Most isolated (ringed; the similarity of each to its nearest neighbour):{' '}
          {data.outliers.map((o, k) => (
            <span key={o.index}>
              {k > 0 && ', '}
              <button
                type="button"
                class="next-word__word"
                onClick={() => pick(words[o.index] ?? '')}
              >
                {words[o.index]}
              </button>{' '}
              {o.cos.toFixed(2)}
            </span>
          ))}
          .
        </p>
        <div class="embeddings__side" aria-live="polite">
          {selected === undefined ? (
            <p class="fig-note">
              “{state.word.trim()}” is not among the {vectors.n} most frequent words shown here.
              Words outside the model's vocabulary all share one vector, the one for {'<unk>'}.
            </p>
          ) : (
            <>
              <p class="fig-note">
                Nearest to <strong>{words[selected]}</strong> (frequency rank {selected + 1}), by
                cosine similarity:
              </p>
              <ol class="embeddings__near">
                {near.map((n) => (
                  <li key={n.index}>
                    <button
                      type="button"
                      class="next-word__word"
                      onClick={() => pick(words[n.index] ?? '')}
                    >
                      {words[n.index]}
                    </button>{' '}
                    <span class="next-word__p">{n.cos.toFixed(2)}</span>
                  </li>
                ))}
              </ol>
            </>
          )}
        </div>
      </div>
      <FigureBar {...bar} />
    </div>
  );
}
