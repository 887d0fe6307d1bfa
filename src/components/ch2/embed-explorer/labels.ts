/**
 * Word labels on the embedding map that never overlap: labels are placed greedily in order of
 * importance (the searched word, its neighbours, the isolated words, the most frequent ones),
 * each at the first free spot around its dot, further out with a leader line if the spots next
 * to it are taken. A low-priority label with no free spot is left out (the dot keeps its
 * tooltip); an important one always gets a place, the nearest free one.
 */

export interface LabelIn {
  /** The dot. */
  x: number;
  y: number;
  text: string;
  /** Must be shown (the searched word and its neighbours). */
  required: boolean;
  /** Font size in px; bold labels are a little wider. */
  size: number;
  bold?: boolean;
}

export interface LabelOut {
  /** Index into the input. */
  index: number;
  /** Text position (start anchor, alphabetic baseline). */
  x: number;
  y: number;
  /** Estimated text width. */
  width: number;
  /** Draw a line from the dot to the label: it sits away from its dot. */
  leader: boolean;
}

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

const overlaps = (a: Box, b: Box): boolean =>
  a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/** Offsets of the label's left end and baseline from the dot: near first, then further out. */
function candidates(w: number, h: number): [number, number, boolean][] {
  const out: [number, number, boolean][] = [];
  for (const [r, leader] of [
    [0, false],
    [1, true],
    [2, true],
    [3, true],
  ] as const) {
    const dy = r * (h + 2);
    const dx = r * 6;
    out.push(
      [4 + dx, -4 - dy, leader], // right, above
      [4 + dx, h - 1 + dy, leader], // right, below
      [-4 - w - dx, -4 - dy, leader], // left, above
      [-4 - w - dx, h - 1 + dy, leader], // left, below
    );
  }
  return out;
}

/** Places labels inside [0, width] × [0, height], in the order given (most important first). */
export function placeLabels(labels: LabelIn[], width: number, height: number): LabelOut[] {
  const placed: Box[] = [];
  const out: LabelOut[] = [];
  labels.forEach((l, index) => {
    const w = l.text.length * l.size * (l.bold ? 0.62 : 0.56);
    const h = l.size;
    let best: { x: number; y: number; leader: boolean; box: Box } | undefined;
    for (const [dx, dy, leader] of candidates(w, h)) {
      const x = l.x + dx;
      const y = l.y + dy;
      const box = { x0: x - 1, y0: y - h + 1, x1: x + w + 1, y1: y + 3 };
      if (box.x0 < 0 || box.x1 > width || box.y0 < 0 || box.y1 > height) continue;
      if (placed.some((p) => overlaps(p, box))) continue;
      best = { x, y, leader, box };
      break;
    }
    if (!best && l.required) {
      // Crowded: keep it next to its dot, inside the drawing, even if it touches another.
      const x = Math.min(Math.max(l.x + 4, 0), width - w);
      const y = Math.min(Math.max(l.y - 4, h), height - 3);
      best = { x, y, leader: false, box: { x0: x, y0: y - h, x1: x + w, y1: y + 3 } };
    }
    if (!best) return;
    placed.push(best.box);
    out.push({ index, x: best.x, y: best.y, width: w, leader: best.leader });
  });
  return out;
}
