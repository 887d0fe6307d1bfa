/**
 * Figure "heads" (island): every head of the words GPT on the reader's text. One run of the
 * inspect graph per edit gives all L x H maps ([L, H, T, T]); the maps are drawn into one canvas
 * (./../maps.tsx), so a keystroke adds no DOM nodes but the token strip's. Focusing a token
 * (hover, click, arrow keys) outlines its row in every map and shades the strip by the chosen
 * head's weights (BertViz's head view, as shading). The first paint is the build-time render
 * (SVG) of the default text.
 */
import { useMemo } from 'preact/hooks';
import { DataTable } from '../../ui/DataTable';
import { FigureBar } from '../../ui/FigureBar';
import { rowAt } from '../attention';
import { gridSize, MapsCanvas, MapsSvg, type GridLayout, type HeadRef } from '../maps';
import { TokenStrip } from '../TokenStrip';
import { WordsText } from '../WordsText';
import { useWordsFigure, type WordsFigureProps } from '../useWordsAttention';
import { headsMeta as meta, type HeadsState } from './meta';

type Props = WordsFigureProps<HeadsState>;

const LAYOUT: GridLayout = { cols: 4, size: 104, gap: 10 };

export default function HeadsIsland({
  model,
  vocabulary,
  maxLength,
  initial,
  embed = false,
}: Props) {
  const { state, set, status, bar, text, edit, drawn, failed, notes, tokens } = useWordsFigure(
    meta,
    { model, vocabulary, maxLength, initial, embed },
  );
  const onEdit = (t: string) => edit(t, { token: -1 });

  const a = drawn.attention;
  const T = a.T;
  const layer = Math.min(Math.max(0, state.layer), a.layers - 1);
  const head = Math.min(Math.max(0, state.head), a.heads - 1);
  const query = state.token < 0 || state.token >= T ? T - 1 : state.token;
  const heads = useMemo(
    (): HeadRef[] =>
      Array.from({ length: a.layers * a.heads }, (_, k) => ({
        layer: Math.floor(k / a.heads),
        head: k % a.heads,
      })),
    [a.layers, a.heads],
  );
  const layout = useMemo(() => ({ ...LAYOUT, cols: a.heads }), [a.heads]);
  const weights = useMemo(() => {
    const at = rowAt(a, layer, head, Math.max(0, query));
    return Array.from(a.data.subarray(at, at + T));
  }, [a, layer, head, query]);

  const pickHead = (l: number, h: number) => set({ layer: l, head: h });
  const onGridKey = (e: KeyboardEvent): void => {
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [0, -1],
      ArrowRight: [0, 1],
      ArrowUp: [-1, 0],
      ArrowDown: [1, 0],
    };
    const m = moves[e.key];
    if (!m) return;
    e.preventDefault();
    // From the button in focus (not the last render: keys can come faster than renders).
    const from = (e.target as HTMLElement).dataset;
    const l0 = from['layer'] === undefined ? layer : Number(from['layer']);
    const h0 = from['head'] === undefined ? head : Number(from['head']);
    const l = Math.min(a.layers - 1, Math.max(0, l0 + m[0]));
    const h = Math.min(a.heads - 1, Math.max(0, h0 + m[1]));
    pickHead(l, h);
    const btn = (e.currentTarget as HTMLElement).querySelector<HTMLButtonElement>(
      `[data-layer="${l}"][data-head="${h}"]`,
    );
    btn?.focus();
  };

  // The text alternative: for the focused token, where each head puts most weight.
  const rows = heads.map(({ layer: l, head: h }) => {
    const at = rowAt(a, l, h, Math.max(0, query));
    let best = 0;
    for (let j = 1; j <= query; j++) if ((a.data[at + j] ?? 0) > (a.data[at + best] ?? 0)) best = j;
    return [
      `Layer ${l + 1}, head ${h + 1}`,
      `${tokens[best] ?? ''} (position ${best})`,
      (a.data[at + best] ?? 0).toFixed(2),
    ];
  });
  const label = `Attention maps of all ${heads.length} heads (${a.layers} layers of ${a.heads}) on ${T} tokens; the row of “${tokens[query] ?? ''}” (position ${query}) is outlined.`;
  const { width, height } = gridSize(heads.length, layout);

  return (
    <div
      class="fig-body ch5-heads"
      data-figure="heads"
      data-status={status.kind}
      data-text={drawn.text}
      data-live-result={drawn.live ? 'true' : 'false'}
      data-layer={layer}
      data-head={head}
      data-token={query}
      data-tokens={T}
    >
      <WordsText label="Your text" text={text} onInput={onEdit} notes={notes} failed={failed} />
      <p class="ch5-legend" data-role="legend">
        Shading: where “{tokens[query] ?? ''}” (position {query}) looks under layer {layer + 1},
        head {head + 1}. Choose a head in the grid; focus a token to move the outlined row.
      </p>
      <TokenStrip
        tokens={tokens}
        unk={drawn.input.window.map((t) => t.unk)}
        weights={weights}
        focus={query}
        onFocus={(i) => set({ token: i })}
        label={`Layer ${layer + 1}, head ${head + 1}: where “${tokens[query] ?? ''}” looks`}
      />
      <div class="ch5-heads__grid fig-scroll-x">
        <div class="ch5-heads__cols" aria-hidden="true" style={{ marginLeft: '4.2rem' }}>
          {Array.from({ length: a.heads }, (_, h) => (
            <span key={h} style={{ width: `${layout.size}px`, marginRight: `${layout.gap}px` }}>
              Head {h + 1}
            </span>
          ))}
        </div>
        <div class="ch5-heads__body">
          <div class="ch5-heads__rows" aria-hidden="true">
            {Array.from({ length: a.layers }, (_, l) => (
              <span key={l} style={{ height: `${layout.size}px`, marginBottom: `${layout.gap}px` }}>
                Layer {l + 1}
              </span>
            ))}
          </div>
          <div class="ch5-maps" style={{ width: `${width}px`, height: `${height}px` }}>
            {drawn.live ? (
              <MapsCanvas attention={a} heads={heads} layout={layout} row={query} label={label} />
            ) : (
              <MapsSvg attention={a} heads={heads} layout={layout} row={query} label={label} />
            )}
            <div
              class="ch5-maps__buttons"
              role="group"
              aria-label="Heads: choose one (arrow keys move)"
              onKeyDown={onGridKey}
            >
              {heads.map(({ layer: l, head: h }, k) => (
                <button
                  key={k}
                  type="button"
                  class="ch5-maps__button"
                  style={{
                    left: `${h * (layout.size + layout.gap)}px`,
                    top: `${l * (layout.size + layout.gap)}px`,
                    width: `${layout.size}px`,
                    height: `${layout.size}px`,
                  }}
                  data-layer={l}
                  data-head={h}
                  aria-pressed={l === layer && h === head}
                  tabIndex={l === layer && h === head ? 0 : -1}
                  aria-label={`Layer ${l + 1}, head ${h + 1}`}
                  onClick={() => pickHead(l, h)}
                />
              ))}
            </div>
          </div>
        </div>
      </div>
      <DataTable
        caption={`For “${tokens[query] ?? ''}” (position ${query}): the token each head weighs most`}
        columns={['Head', 'Most weight on', 'Weight']}
        rows={rows}
      />
      <FigureBar {...bar} />
    </div>
  );
}
