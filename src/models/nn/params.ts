/**
 * Named parameters for the layers in this folder. A model is often built more than once: an
 * unrolled training graph (T steps of one cell) and a one-step graph for the page, or a float64
 * copy for a gradient check. Both must hold the same weights under the same names, so:
 *
 * - a `ParamStore` holds the values by name, drawn from a seeded Rng the first time a name is
 *   asked for and returned as they are every time after (whichever graph asks);
 * - `Params` puts them into one graph under a prefix ('enc.' + 'wx' -> 'enc.wx'). Asking twice
 *   for the same name in the same graph gives the same tensor: that is how the steps of an
 *   unrolled cell share their weights.
 */
import type { Graph, Tensor } from '../graph/graph';
import type { Rng } from '../rng';

/**
 * How a parameter starts: normal with this standard deviation, zeros, ones, or the value of
 * `at(k)` at flat (row-major) index k.
 */
export type Init = { std: number } | { at: (k: number) => number } | 'zeros' | 'ones';

export class ParamStore {
  private readonly values = new Map<string, { shape: readonly number[]; data: Float64Array }>();

  constructor(private readonly rng: Rng) {}

  /** The values of `name`: drawn now if this is the first time, else the stored ones. */
  take(name: string, shape: readonly number[], init: Init): Float64Array {
    const known = this.values.get(name);
    if (known) {
      if (known.shape.join() !== shape.join())
        throw new Error(`param ${name}: shape [${shape}] but stored as [${known.shape}]`);
      return known.data;
    }
    const n = shape.reduce((a, b) => a * b, 1);
    const data = new Float64Array(n);
    if (init === 'ones') data.fill(1);
    else if (init === 'zeros') data.fill(0);
    else if ('at' in init) for (let k = 0; k < n; k++) data[k] = init.at(k);
    else for (let k = 0; k < n; k++) data[k] = this.rng.normal() * init.std;
    this.values.set(name, { shape: [...shape], data });
    return data;
  }

  get names(): string[] {
    return [...this.values.keys()];
  }

  get(name: string): Float64Array {
    const v = this.values.get(name);
    if (!v) throw new Error(`param ${name} is not in the store`);
    return v.data;
  }

  /** Copy a graph's current parameter values (e.g. after training) into the store. */
  capture(g: Graph): void {
    for (const { tensor, values } of g.params) {
      const v = this.values.get(tensor.name);
      if (v) v.data.set(values);
    }
  }
}

/** The tensors already made per graph, by full name. */
const made = new WeakMap<Graph, Map<string, Tensor>>();

export class Params {
  constructor(
    readonly graph: Graph,
    readonly store: ParamStore,
    readonly prefix = '',
  ) {}

  /** The same graph and store, names under `${prefix}${name}.`. */
  scope(name: string): Params {
    return new Params(this.graph, this.store, `${this.prefix}${name}.`);
  }

  /** The parameter `${prefix}${name}`, made in this graph on first use. */
  get(name: string, shape: readonly number[], init: Init): Tensor {
    const full = `${this.prefix}${name}`;
    let byName = made.get(this.graph);
    if (!byName) made.set(this.graph, (byName = new Map()));
    const known = byName.get(full);
    if (known) {
      if (known.shape.join() !== shape.join())
        throw new Error(`param ${full}: shape [${shape}] but made as [${known.shape}]`);
      return known;
    }
    const t = this.graph.param(full, shape, this.store.take(full, shape, init));
    byName.set(full, t);
    return t;
  }

  normal(name: string, shape: readonly number[], std: number): Tensor {
    return this.get(name, shape, { std });
  }

  zeros(name: string, shape: readonly number[]): Tensor {
    return this.get(name, shape, 'zeros');
  }

  ones(name: string, shape: readonly number[]): Tensor {
    return this.get(name, shape, 'ones');
  }
}
