/**
 * The counting baseline of chapter 2: an interpolated, modified Kneser-Ney n-gram model
 * (Kneser & Ney 1995; Chen & Goodman 1998), in plain TypeScript.
 *
 *   P_k(w | h) = ( max(c(h w) - D_k(c), 0) + gamma(h) P_{k-1}(w | h') ) / c(h .)
 *   gamma(h)   = D_k1 N1(h .) + D_k2 N2(h .) + D_k3 N3+(h .)
 *
 * h' is h without its oldest word, and P_0 is uniform over the vocabulary. At the top order c
 * counts n-grams; at every lower order c is the CONTINUATION count, the number of different
 * words seen just before (h w) — "francisco" follows few different words, so it is a poor guess
 * after an unseen context however frequent it is. A context never seen backs off entirely.
 *
 * Every P_k sums to 1 over the vocabulary as long as each discount D_k(c) lies in [0, c]
 * (the discounted mass is exactly what gamma gives to the lower order); the estimates below
 * are clamped so that it does. The discounts come from count-of-counts, not from held-out data:
 *   Y = n1 / (n1 + 2 n2),  D1 = 1 - 2Y n2/n1,  D2 = 2 - 3Y n3/n2,  D3+ = 3 - 4Y n4/n3.
 */

export interface KnLevel {
  /** n-gram key -> count (top order) or continuation count (lower orders). */
  counts: Map<number, number>;
  /** context key -> [c(h .), N1(h .), N2(h .), N3+(h .)]. */
  contexts: Map<number, [number, number, number, number]>;
  /** D for c = 1, 2, >= 3. */
  discounts: [number, number, number];
}

export class KneserNey {
  /** levels[k - 1] holds the k-grams, k = 1..order. */
  readonly levels: KnLevel[];

  /**
   * @param order n (2 = bigram, 3 = trigram)
   * @param V vocabulary size; ids are 0..V-1
   * @param contexts [N * width] ids, row-major; the last order-1 of each row are used
   * @param targets [N] ids
   */
  constructor(
    readonly order: number,
    readonly V: number,
    contexts: Int32Array,
    targets: Int32Array,
  ) {
    const width = contexts.length / targets.length;
    if (order < 1 || order - 1 > width)
      throw new Error(`order ${order} needs contexts of at least ${order - 1} ids`);
    if (V ** order > Number.MAX_SAFE_INTEGER) throw new Error('n-gram keys would not be exact');
    // Top order: raw counts of (h, w).
    const top = new Map<number, number>();
    for (let i = 0; i < targets.length; i++) {
      let key = 0;
      for (let j = width - order + 1; j < width; j++)
        key = key * V + (contexts[i * width + j] as number);
      key = key * V + (targets[i] as number);
      top.set(key, (top.get(key) ?? 0) + 1);
    }
    // Lower orders: how many distinct (k+1)-grams end in each k-gram.
    const counts: Map<number, number>[] = [top];
    for (let k = order - 1; k >= 1; k--) {
      const above = counts[0] as Map<number, number>;
      const mod = V ** k;
      const cont = new Map<number, number>();
      for (const key of above.keys()) cont.set(key % mod, (cont.get(key % mod) ?? 0) + 1);
      counts.unshift(cont);
    }
    this.levels = counts.map((c) => level(c, V));
  }

  /** P(w | history): the last order-1 ids of `history` are the context (fewer: lower order). */
  prob(history: ArrayLike<number>, w: number): number {
    const n = Math.min(this.order - 1, history.length);
    let p = 1 / this.V;
    // From the unigram up: each order interpolates with the one below it.
    for (let k = 1; k <= n + 1; k++) {
      let ctx = 0;
      for (let j = history.length - (k - 1); j < history.length; j++)
        ctx = ctx * this.V + (history[j] as number);
      p = this.step(this.levels[k - 1] as KnLevel, ctx, w, p);
    }
    return p;
  }

  /** One order: discounted count plus gamma times the lower-order probability. */
  private step(lv: KnLevel, ctx: number, w: number, lower: number): number {
    const stats = lv.contexts.get(ctx);
    if (!stats) return lower;
    const [total, n1, n2, n3] = stats;
    const [d1, d2, d3] = lv.discounts;
    const c = lv.counts.get(ctx * this.V + w) ?? 0;
    const d = c === 0 ? 0 : c === 1 ? d1 : c === 2 ? d2 : d3;
    return (Math.max(c - d, 0) + (d1 * n1 + d2 * n2 + d3 * n3) * lower) / total;
  }

  /** The whole next-word distribution after `history` [V]. */
  distribution(history: ArrayLike<number>): Float64Array {
    const out = new Float64Array(this.V);
    for (let w = 0; w < this.V; w++) out[w] = this.prob(history, w);
    return out;
  }

  /** Mean -ln P(target | context) over examples (contexts [N * width], targets [N]). */
  meanNll(data: { contexts: Int32Array; targets: Int32Array }): number {
    const width = data.contexts.length / data.targets.length;
    let total = 0;
    for (let i = 0; i < data.targets.length; i++) {
      total -= Math.log(
        this.prob(data.contexts.subarray(i * width, (i + 1) * width), data.targets[i] as number),
      );
    }
    return total / data.targets.length;
  }

  /** Ids w with a nonzero count after context `ctx` at the top order (the words seen next). */
  seenAfter(history: ArrayLike<number>): number[] {
    const top = this.levels[this.order - 1] as KnLevel;
    let ctx = 0;
    for (let j = history.length - (this.order - 1); j < history.length; j++)
      ctx = ctx * this.V + (history[j] as number);
    const out: number[] = [];
    for (let w = 0; w < this.V; w++) if (top.counts.has(ctx * this.V + w)) out.push(w);
    return out;
  }
}

function level(counts: Map<number, number>, V: number): KnLevel {
  const contexts = new Map<number, [number, number, number, number]>();
  const nOf = [0, 0, 0, 0, 0]; // how many n-grams have count 1..4
  for (const [key, c] of counts) {
    const ctx = Math.floor(key / V);
    let s = contexts.get(ctx);
    if (!s) contexts.set(ctx, (s = [0, 0, 0, 0]));
    s[0] += c;
    s[Math.min(c, 3)]! += 1;
    if (c <= 4) nOf[c]! += 1;
  }
  return {
    counts,
    contexts,
    discounts: discounts(nOf[1] ?? 0, nOf[2] ?? 0, nOf[3] ?? 0, nOf[4] ?? 0),
  };
}

/** Chen & Goodman's estimates, each clamped into [0, c] (0.5 when the counts are too few). */
export function discounts(
  n1: number,
  n2: number,
  n3: number,
  n4: number,
): [number, number, number] {
  const Y = n1 + 2 * n2 > 0 ? n1 / (n1 + 2 * n2) : 0.5;
  const est = (c: number, nc: number, nNext: number): number => {
    if (nc === 0) return Math.min(0.5, c);
    const d = c - (c + 1) * Y * (nNext / nc);
    return Math.min(Math.max(d, 0), c);
  };
  return [est(1, n1, n2), est(2, n2, n3), est(3, n3, n4)];
}
