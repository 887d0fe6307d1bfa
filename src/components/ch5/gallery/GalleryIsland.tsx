/**
 * Figure "head-gallery" (island): the build's measurement of every head (scores and classes,
 * fixed: they describe the model, not the reader's text), and for each class its best head's
 * attention map on the reader's text, computed live.
 */
import { FigureBar } from '../../ui/FigureBar';
import { fmtInt } from '../../ui/format';
import { WordsText } from '../WordsText';
import { MapsCanvas, MapsSvg, type GridLayout } from '../maps';
import { useWordsFigure, type WordsFigureProps } from '../useWordsAttention';
import {
  bestOf,
  CLASSES,
  GALLERY,
  headGalleryMeta as meta,
  type GalleryData,
  type HeadGalleryState,
} from './meta';

interface Props extends WordsFigureProps<HeadGalleryState> {
  gallery: GalleryData;
}

const LAYOUT: GridLayout = { cols: 1, size: 128, gap: 0 };
const fmt = (x: number | null) => (x === null ? '—' : x.toFixed(2));
const NAMES: Record<string, string> = {
  ...Object.fromEntries(CLASSES.map((c) => [c.kind, c.name])),
  mixed: 'Mixed',
};

export default function GalleryIsland({
  model,
  vocabulary,
  maxLength,
  gallery,
  initial,
  embed = false,
}: Props) {
  const { status, bar, text, edit, drawn, failed, notes, tokens } = useWordsFigure(meta, {
    model,
    vocabulary,
    maxLength,
    initial,
    embed,
  });
  const a = drawn.attention;
  const { sample } = gallery;
  const count = (kind: string) => gallery.heads.filter((h) => h.kind === kind).length;

  return (
    <div
      class="fig-body ch5-gallery"
      data-figure="head-gallery"
      data-status={status.kind}
      data-text={drawn.text}
      data-live-result={drawn.live ? 'true' : 'false'}
      data-tokens={a.T}
    >
      <WordsText
        label="Your text (for the maps)"
        text={text}
        onInput={edit}
        notes={notes}
        failed={failed}
      />
      <p class="ch5-gallery__how" data-role="how">
        Measured when the site was built, on {fmtInt(sample.sentences)} held-out sentences (of{' '}
        {fmtInt(sample.of)}; {fmtInt(sample.queries)} query positions) and on {sample.repeats}{' '}
        sequences of {sample.repeatLength} random words repeated twice. A head joins a class when
        its highest score is at least {GALLERY.threshold}; otherwise it is “mixed” (here{' '}
        {count('mixed')} of {gallery.heads.length}).
      </p>
      <ul class="ch5-gallery__cards">
        {CLASSES.map((c) => {
          const best = bestOf(gallery.heads, c.kind);
          const score = best?.scores[c.kind] ?? null;
          const n = count(c.kind);
          const heads = best ? [{ layer: best.layer, head: best.head }] : [];
          const label = best
            ? `Layer ${best.layer + 1}, head ${best.head + 1} on your text (${a.T} tokens: ${tokens.join(' ')})`
            : 'No head';
          return (
            <li
              key={c.kind}
              class="ch5-gallery__card"
              data-class={c.kind}
              data-layer={best?.layer}
              data-head={best?.head}
              data-score={score ?? undefined}
              data-members={n}
            >
              <h4>{c.name}</h4>
              <p class="fig-note">Score: {c.says}.</p>
              {best ? (
                <>
                  <p>
                    Best: layer {best.layer + 1}, head {best.head + 1}, score {fmt(score)}.{' '}
                    {n > 0
                      ? `${n} head${n === 1 ? '' : 's'} in this class.`
                      : `Below ${GALLERY.threshold}: no head is in this class.`}
                  </p>
                  <div class="ch5-maps">
                    {drawn.live ? (
                      <MapsCanvas
                        attention={a}
                        heads={heads}
                        layout={LAYOUT}
                        row={-1}
                        label={label}
                      />
                    ) : (
                      <MapsSvg attention={a} heads={heads} layout={LAYOUT} row={-1} label={label} />
                    )}
                  </div>
                </>
              ) : (
                <p>Nothing to measure.</p>
              )}
            </li>
          );
        })}
      </ul>
      <div class="fig-scroll-x" tabIndex={0} role="region" aria-label="Every head’s scores">
        <table class="ch5-gallery__table" data-role="scores">
          <caption>Every head’s scores (means over the sample) and its class</caption>
          <thead>
            <tr>
              <th scope="col">Head</th>
              {CLASSES.map((c) => (
                <th key={c.kind} scope="col">
                  {c.name}
                </th>
              ))}
              <th scope="col">Induction on held-out repeats</th>
              <th scope="col">Class</th>
            </tr>
          </thead>
          <tbody>
            {gallery.heads.map((h) => (
              <tr
                key={`${h.layer}-${h.head}`}
                data-layer={h.layer}
                data-head={h.head}
                data-kind={h.kind}
              >
                <th scope="row">
                  L{h.layer + 1} H{h.head + 1}
                </th>
                {CLASSES.map(({ kind: k }) => (
                  <td
                    key={k}
                    class={h.kind === k ? 'num ch5-gallery__win' : 'num'}
                    data-score={k}
                    data-value={h.scores[k] ?? undefined}
                  >
                    {fmt(h.scores[k])}
                  </td>
                ))}
                <td class="num">{fmt(h.inductionText)}</td>
                <td>{NAMES[h.kind] ?? h.kind}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <FigureBar {...bar} />
    </div>
  );
}
