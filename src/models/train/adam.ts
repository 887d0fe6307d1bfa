/**
 * Adam (Kingma & Ba, 2015) in plain TypeScript, in float64. The graph gives the gradients; this
 * takes the step. Kept outside the graph so that the page can run the same update after an
 * onnxruntime-web backward pass.
 */
export interface AdamOptions {
  beta1: number;
  beta2: number;
  eps: number;
}

export const ADAM_DEFAULTS: AdamOptions = { beta1: 0.9, beta2: 0.999, eps: 1e-8 };

export class Adam {
  private m: Float64Array[];
  private v: Float64Array[];
  private t = 0;

  constructor(
    sizes: readonly number[],
    private readonly opts: AdamOptions = ADAM_DEFAULTS,
  ) {
    this.m = sizes.map((n) => new Float64Array(n));
    this.v = sizes.map((n) => new Float64Array(n));
  }

  /** Update each params[i] in place from grads[i] with learning rate lr. */
  step(params: Float64Array[], grads: ArrayLike<number>[], lr: number): void {
    const { beta1, beta2, eps } = this.opts;
    this.t++;
    const c1 = 1 - beta1 ** this.t;
    const c2 = 1 - beta2 ** this.t;
    params.forEach((p, i) => {
      const g = grads[i] as ArrayLike<number>;
      const m = this.m[i] as Float64Array;
      const v = this.v[i] as Float64Array;
      for (let j = 0; j < p.length; j++) {
        const gj = g[j] as number;
        m[j] = beta1 * (m[j] as number) + (1 - beta1) * gj;
        v[j] = beta2 * (v[j] as number) + (1 - beta2) * gj * gj;
        p[j] =
          (p[j] as number) -
          (lr * ((m[j] as number) / c1)) / (Math.sqrt((v[j] as number) / c2) + eps);
      }
    });
  }
}
