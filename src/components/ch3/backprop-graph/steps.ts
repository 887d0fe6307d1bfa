/**
 * What is visible at each step of the walk-through: step 0 shows only the leaves; steps 1..n
 * compute the ops forward in creation order; steps n+1..2n go backward in reverse order. At a
 * backward step the op's own gradient is final (every consumer has been processed before it)
 * and the edges into it carry their share back to its inputs.
 */
import type { Layout } from '../../../models/graph/layout';

export interface StepView {
  total: number;
  /** The step shown (clamped; -1 means the last). */
  step: number;
  phase: 'start' | 'forward' | 'backward';
  /** The op being computed at this step, if any. */
  current: string | undefined;
  hasValue(id: string): boolean;
  hasGrad(id: string): boolean;
  edgeLit(edgeTo: string): boolean;
}

export function stepView(layout: Layout, requested: number): StepView {
  const order = layout.forwardOrder;
  const n = order.length;
  const total = 2 * n;
  const step = requested < 0 || requested > total ? total : requested;
  const index = new Map(order.map((id, j) => [id, j]));
  const consumers = new Map<string, number[]>();
  for (const e of layout.edges)
    consumers.set(e.from, [...(consumers.get(e.from) ?? []), index.get(e.to) as number]);
  const back = Math.max(0, step - n); // ops processed backwards: indices >= n - back
  const processed = (j: number): boolean => back > 0 && j >= n - back;
  return {
    total,
    step,
    phase: step === 0 ? 'start' : step <= n ? 'forward' : 'backward',
    current: step === 0 ? undefined : step <= n ? order[step - 1] : order[n - back],
    hasValue: (id) => {
      const j = index.get(id);
      return j === undefined || j < step;
    },
    hasGrad: (id) => {
      const j = index.get(id);
      if (j !== undefined) return processed(j);
      const cs = consumers.get(id) ?? [];
      return cs.length > 0 && cs.every(processed);
    },
    edgeLit: (to) => processed(index.get(to) ?? -1),
  };
}
