/**
 * Two ways to draw word vectors on a page, both plain TypeScript and browser-safe:
 *
 * - PCA: the two directions along which the vectors vary most (power iteration on the
 *   covariance matrix). Linear: distances along the axes mean something.
 * - t-SNE (van der Maaten & Hinton 2008): places points so that each point's near neighbours
 *   in the high-dimensional space stay near it in 2-D. Non-linear: clusters mean something,
 *   distances between clusters do not. Exact (O(N^2) per iteration), seeded, for ~2,000 points.
 */
import { Rng } from '../../models/rng';

/** Row-major [n * d] vectors. */
export interface Vectors {
  n: number;
  d: number;
  data: Float64Array;
}

/** Cosine similarity of rows i and j. */
export function cosine(v: Vectors, i: number, j: number): number {
  let dot = 0;
  let a = 0;
  let b = 0;
  for (let k = 0; k < v.d; k++) {
    const x = v.data[i * v.d + k] as number;
    const y = v.data[j * v.d + k] as number;
    dot += x * y;
    a += x * x;
    b += y * y;
  }
  return dot / Math.sqrt(a * b || 1);
}

/** The k rows most similar to row i by cosine (i itself excluded), best first. */
export function neighbours(v: Vectors, i: number, k: number): { index: number; cos: number }[] {
  const all: { index: number; cos: number }[] = [];
  for (let j = 0; j < v.n; j++) if (j !== i) all.push({ index: j, cos: cosine(v, i, j) });
  return all.sort((p, q) => q.cos - p.cos || p.index - q.index).slice(0, k);
}

/** Project onto the top two principal components: [n * 2]. Deterministic (fixed start vectors). */
export function pca2(v: Vectors): Float64Array {
  const { n, d, data } = v;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < d; k++) mean[k]! += (data[i * d + k] as number) / n;
  const cov = new Float64Array(d * d); // [d, d]
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) {
      const xa = (data[i * d + a] as number) - (mean[a] as number);
      for (let b = 0; b < d; b++)
        cov[a * d + b]! += (xa * ((data[i * d + b] as number) - (mean[b] as number))) / n;
    }
  }
  const components: Float64Array[] = [];
  for (let c = 0; c < 2; c++) {
    let u = Float64Array.from({ length: d }, (_, k) => 1 + k / d + c); // any start not orthogonal to the answer
    for (let it = 0; it < 200; it++) {
      const next = new Float64Array(d);
      for (let a = 0; a < d; a++)
        for (let b = 0; b < d; b++) next[a]! += (cov[a * d + b] as number) * (u[b] as number);
      for (const prev of components) {
        const dot = next.reduce((s, x, k) => s + x * (prev[k] as number), 0);
        for (let k = 0; k < d; k++) next[k]! -= dot * (prev[k] as number);
      }
      const norm = Math.hypot(...next) || 1;
      u = next.map((x) => x / norm);
    }
    // Fix the sign so that the picture does not flip between builds: largest entry positive.
    const big = u.reduce((best, x, k) => (Math.abs(x) > Math.abs(u[best] as number) ? k : best), 0);
    if ((u[big] as number) < 0) u = u.map((x) => -x);
    components.push(u);
  }
  const out = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    components.forEach((u, c) => {
      let s = 0;
      for (let k = 0; k < d; k++)
        s += ((data[i * d + k] as number) - (mean[k] as number)) * (u[k] as number);
      out[i * 2 + c] = s;
    });
  }
  return out;
}

/**
 * t-SNE with cosine distances: affinities from a Gaussian per point (its width found by
 * bisection to reach `perplexity` effective neighbours), then gradient descent with momentum
 * on the 2-D Student-t layout, with per-coordinate gains and early exaggeration for the first
 * quarter, as in van der Maaten's reference implementation. [n * 2].
 */
export function tsne2(
  v: Vectors,
  opts: { perplexity?: number; iterations?: number; seed?: number } = {},
): Float64Array {
  const { n } = v;
  const perplexity = Math.min(opts.perplexity ?? 30, (n - 1) / 3);
  const iterations = opts.iterations ?? 500;
  const rng = new Rng(opts.seed ?? 1);

  // Squared distances from cosine similarity: |a - b|^2 = 2 - 2 cos for unit vectors.
  const D = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) D[i * n + j] = D[j * n + i] = 2 - 2 * cosine(v, i, j);

  // Conditional affinities p(j|i), each row at the target entropy log(perplexity).
  const P = new Float64Array(n * n);
  const target = Math.log(perplexity);
  for (let i = 0; i < n; i++) {
    let lo = 0;
    let hi = Infinity;
    let beta = 1;
    for (let step = 0; step < 60; step++) {
      let sum = 0;
      let weighted = 0;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        const p = Math.exp(-beta * (D[i * n + j] as number));
        P[i * n + j] = p;
        sum += p;
        weighted += p * (D[i * n + j] as number);
      }
      const entropy = Math.log(sum || 1e-300) + (beta * weighted) / (sum || 1e-300);
      for (let j = 0; j < n; j++) P[i * n + j]! /= sum || 1;
      if (Math.abs(entropy - target) < 1e-5) break;
      if (entropy > target) {
        lo = beta;
        beta = hi === Infinity ? beta * 2 : (beta + hi) / 2;
      } else {
        hi = beta;
        beta = (beta + lo) / 2;
      }
    }
  }
  // Symmetrise: p_ij = (p(j|i) + p(i|j)) / 2n.
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const p = Math.max(((P[i * n + j] as number) + (P[j * n + i] as number)) / (2 * n), 1e-12);
      P[i * n + j] = P[j * n + i] = p;
    }
  }

  const Y = Float64Array.from({ length: n * 2 }, () => rng.normal() * 1e-4);
  const velocity = new Float64Array(n * 2);
  const gains = new Float64Array(n * 2).fill(1);
  const rate = Math.max(n / 12 / 4, 50);
  const grad = new Float64Array(n * 2);
  const Q = new Float64Array(n * n);
  for (let it = 0; it < iterations; it++) {
    const exaggeration = it < iterations / 4 ? 12 : 1;
    const momentum = it < iterations / 4 ? 0.5 : 0.8;
    let Z = 0;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const dx = (Y[i * 2] as number) - (Y[j * 2] as number);
        const dy = (Y[i * 2 + 1] as number) - (Y[j * 2 + 1] as number);
        const q = 1 / (1 + dx * dx + dy * dy);
        Q[i * n + j] = Q[j * n + i] = q;
        Z += 2 * q;
      }
    }
    grad.fill(0);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        const q = Q[i * n + j] as number;
        const f = 4 * (exaggeration * (P[i * n + j] as number) - q / Z) * q;
        grad[i * 2]! += f * ((Y[i * 2] as number) - (Y[j * 2] as number));
        grad[i * 2 + 1]! += f * ((Y[i * 2 + 1] as number) - (Y[j * 2 + 1] as number));
      }
    }
    // Per-coordinate gains grow while the gradient keeps pointing against the motion, shrink otherwise.
    for (let k = 0; k < n * 2; k++) {
      const g = grad[k] as number;
      const same = Math.sign(g) === Math.sign(velocity[k] as number);
      gains[k] = Math.max(0.01, same ? (gains[k] as number) * 0.8 : (gains[k] as number) + 0.2);
      velocity[k] = momentum * (velocity[k] as number) - rate * (gains[k] as number) * g;
      Y[k]! += velocity[k] as number;
    }
  }
  return Y;
}

/**
 * Spherical k-means: clusters of directions (rows compared by cosine), k-means++ starts from a
 * seeded generator, Lloyd iterations until no row moves. Returns each row's cluster, clusters
 * numbered by their first row (so the numbering does not depend on the starts).
 */
export function kmeansCosine(v: Vectors, k: number, seed = 1, maxIterations = 100): number[] {
  const { n, d } = v;
  const unit = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let c = 0; c < d; c++) norm += (v.data[i * d + c] as number) ** 2;
    const s = 1 / (Math.sqrt(norm) || 1);
    for (let c = 0; c < d; c++) unit[i * d + c] = (v.data[i * d + c] as number) * s;
  }
  const dot = (i: number, centres: Float64Array, j: number): number => {
    let s = 0;
    for (let c = 0; c < d; c++) s += (unit[i * d + c] as number) * (centres[j * d + c] as number);
    return s;
  };
  // k-means++: each next start with probability proportional to its distance from the nearest.
  const rng = new Rng(seed);
  const centres = new Float64Array(k * d);
  const copy = (j: number, i: number) => centres.set(unit.subarray(i * d, (i + 1) * d), j * d);
  copy(0, rng.int(n));
  const far = new Float64Array(n).fill(Infinity);
  for (let j = 1; j < k; j++) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      far[i] = Math.min(far[i] as number, Math.max(0, 1 - dot(i, centres, j - 1)));
      total += far[i] as number;
    }
    let r = rng.next() * total;
    let pick = 0;
    while (pick < n - 1 && (r -= far[pick] as number) > 0) pick++;
    copy(j, pick);
  }
  const assign = new Array<number>(n).fill(-1);
  for (let it = 0; it < maxIterations; it++) {
    let moved = 0;
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let j = 1; j < k; j++) if (dot(i, centres, j) > dot(i, centres, best)) best = j;
      if (assign[i] !== best) {
        assign[i] = best;
        moved++;
      }
    }
    if (moved === 0) break;
    centres.fill(0);
    for (let i = 0; i < n; i++)
      for (let c = 0; c < d; c++)
        centres[(assign[i] as number) * d + c]! += unit[i * d + c] as number;
    for (let j = 0; j < k; j++) {
      let norm = 0;
      for (let c = 0; c < d; c++) norm += (centres[j * d + c] as number) ** 2;
      const s = 1 / (Math.sqrt(norm) || 1);
      for (let c = 0; c < d; c++) centres[j * d + c]! *= s;
    }
  }
  const renumber = new Map<number, number>();
  return assign.map((a) => {
    if (!renumber.has(a)) renumber.set(a, renumber.size);
    return renumber.get(a) as number;
  });
}

/**
 * The `count` most isolated rows: those whose nearest neighbour (by cosine) is least similar,
 * most isolated first, with that similarity.
 */
export function isolated(v: Vectors, count: number): { index: number; cos: number }[] {
  const nearest = Array.from({ length: v.n }, (_, i) => ({
    index: i,
    cos: neighbours(v, i, 1)[0]?.cos ?? 1,
  }));
  return nearest.sort((a, b) => a.cos - b.cos || a.index - b.index).slice(0, count);
}
