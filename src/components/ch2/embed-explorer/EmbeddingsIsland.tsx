/**
 * Figure "embeddings" (island): the NNLM's word vectors as dots, by PCA (computed here, in the
 * page) or t-SNE (computed at build), with a word search and its nearest neighbours by cosine
 * similarity (computed here from the 8-bit vectors). Nothing calls the model: the vectors are
 * its first layer, read out of the file at build time.
 */
import { useHydratedStatus } from '../useHydrated';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { tokenize } from '../../../models/words/tokenizer';
import type { EmbeddingData } from '../embeddings';
import { embeddingMeta, type EmbeddingState } from '../meta';
import { neighbours, pca2, type Vectors } from '../projection';

interface Props {
  data: EmbeddingData;
  embed?: boolean;
}

const W = 640;
const H = 420;
const PAD = 14;
/** Words always labelled: the most frequent few. */
const LABELLED = 12;

function decode(data: EmbeddingData): Vectors {
  const bytes = Uint8Array.from(atob(data.vectors), (c) => c.charCodeAt(0));
  const q = new Int8Array(bytes.buffer);
  const d = data.d;
  return {
    n: q.length / d,
    d,
    data: Float64Array.from(q, (x, j) => x * (data.scale[j % d] as number)),
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

/** Find the reader's word: as typed, else its first token (so "Wars" finds "wars"). */
function lookup(index: Map<string, number>, typed: string): number | undefined {
  const raw = typed.trim().toLowerCase();
  return index.get(raw) ?? index.get(tokenize(typed).tokens[0] ?? '');
}

export default function EmbeddingsIsland({ data, embed = false }: Props) {
  const [state, setState] = useState<EmbeddingState>(embeddingMeta.defaults);
  const status = useHydratedStatus();
  const [typed, setTyped] = useState(embeddingMeta.defaults.word);
  useEffect(() => {
    if (!embed) return;
    const s = embeddingMeta.parse(new URLSearchParams(location.search));
    setState(s);
    setTyped(s.word);
  }, [embed]);

  const words = useMemo(() => data.words.split('\n'), [data.words]);
  const index = useMemo(() => new Map(words.map((w, i) => [w, i])), [words]);
  const vectors = useMemo(() => decode(data), [data]);
  const pca = useMemo(
    () => (state.projection === 'pca' ? pca2(vectors) : undefined),
    [vectors, state.projection],
  );
  const points = pca ?? data.tsne;
  const { x, y } = fit(points, vectors.n);

  const selected = lookup(index, state.word);
  const near = useMemo(
    () => (selected === undefined ? [] : neighbours(vectors, selected, 10)),
    [vectors, selected],
  );
  const highlighted = new Set(near.map((n) => n.index));
  const pick = (word: string) => {
    setTyped(word);
    setState((s) => ({ ...s, word }));
  };

  return (
    <div
      class="fig-body embeddings"
      data-figure="embeddings"
      data-status={status}
      data-word={selected === undefined ? '' : words[selected]}
      data-projection={state.projection}
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
            onChange={(e) =>
              setState((s) => ({
                ...s,
                projection: e.currentTarget.value === 'pca' ? 'pca' : 'tsne',
              }))
            }
          >
            <option value="tsne">t-SNE (computed at build)</option>
            <option value="pca">PCA (computed in your browser)</option>
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
              class={
                i === selected
                  ? 'emb-dot emb-dot--on'
                  : highlighted.has(i)
                    ? 'emb-dot emb-dot--near'
                    : 'emb-dot'
              }
              cx={x(i).toFixed(1)}
              cy={y(i).toFixed(1)}
              r={i === selected || highlighted.has(i) ? 4 : 2.2}
              fill-opacity={(0.85 - 0.7 * (Math.log(i + 1) / Math.log(vectors.n))).toFixed(2)}
              onClick={() => pick(w)}
            >
              <title>{`${w} (frequency rank ${i + 1})`}</title>
            </circle>
          ))}
          {words.map((w, i) =>
            i < LABELLED || i === selected || highlighted.has(i) ? (
              <text
                key={`t${i}`}
                class={
                  i === selected
                    ? 'emb-label emb-label--on'
                    : highlighted.has(i)
                      ? 'emb-label emb-label--near'
                      : 'emb-label'
                }
                x={x(i) + 4}
                y={y(i) - 4}
              >
                {w}
              </text>
            ) : null,
          )}
        </svg>
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
    </div>
  );
}
