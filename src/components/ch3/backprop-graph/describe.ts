/**
 * One sentence for the current step: what the op computes going forward, what its gradient
 * rule sends back going backward (the rules are those in graph/ops.ts, in words).
 */
import type { Layout } from '../../../models/graph/layout';
import { num } from '../../ui/format';
import { boxTitle, named } from './GraphView';
import type { StepView } from './steps';
import type { TraceResult } from './trace';

const RULES: Record<string, { forward: string; backward: string }> = {
  Mul: {
    forward: 'multiplies its two inputs',
    backward: 'each input receives the upstream gradient times the other input',
  },
  Add: {
    forward: 'adds its inputs',
    backward:
      'both inputs receive the upstream gradient unchanged (summed over any broadcast axis)',
  },
  Sub: {
    forward: 'subtracts',
    backward: 'the first input receives the upstream gradient, the second its negative',
  },
  Div: { forward: 'divides', backward: 'the numerator receives g / b, the denominator −g·a / b²' },
  Neg: { forward: 'flips the sign', backward: 'sends −g back' },
  Tanh: {
    forward: 'squashes each number into (−1, 1)',
    backward:
      'multiplies the upstream gradient by 1 − tanh², which is near 0 where tanh is saturated',
  },
  Exp: {
    forward: 'exponentiates',
    backward: 'multiplies the upstream gradient by exp(x), the output itself',
  },
  Log: { forward: 'takes the logarithm', backward: 'divides the upstream gradient by x' },
  MatMul: {
    forward: 'multiplies a row of activations by a weight matrix',
    backward: 'sends g·Wᵀ to the activations and xᵀ·g to the weights',
  },
  Gather: {
    forward: 'looks up one row of the embedding table C per context character',
    backward:
      'adds each upstream row into the row of C it was read from; every other row of C gets 0',
  },
  Reshape: {
    forward: 'lays the three looked-up rows side by side',
    backward: 'reshapes the gradient back',
  },
  ReduceMax: {
    forward: 'finds the largest logit (only to keep exp() in range)',
    backward: 'has no gradient: it sits behind a stop-gradient',
  },
  Identity: { forward: 'is a stop-gradient: passes the value on', backward: 'blocks the gradient' },
  ReduceSum: {
    forward: 'adds up along an axis',
    backward: 'copies the upstream gradient to every element that was summed',
  },
  GatherElements: {
    forward: 'picks the log-probability of the target character',
    backward: 'puts the upstream gradient at the target’s position, 0 elsewhere',
  },
  Shape: { forward: 'reads the batch size', backward: 'has no gradient (an integer)' },
  Expand: {
    forward: 'broadcasts to the batch’s shape',
    backward: 'sums the gradient back over the broadcast axes',
  },
};

export function describeStep(
  layout: Layout,
  view: StepView,
  result: TraceResult | undefined,
  scalar: boolean,
): string {
  if (view.phase === 'start')
    return 'Only the inputs and parameters have values. Step forward to compute the graph, one node at a time.';
  const id = view.current ?? '';
  const box = layout.boxes.find((b) => b.id === id);
  if (!box) return '';
  const rule = RULES[box.op] ?? { forward: 'computes', backward: 'applies its gradient rule' };
  const title = boxTitle(box, layout);
  const ins = layout.edges.filter((e) => e.to === id).sort((p, q) => p.input - q.input);
  const v = (t: string): string => num(result?.values[t]?.values?.[0] ?? NaN);
  if (view.phase === 'forward') {
    if (scalar && result) {
      const args = ins.map((e) => v(e.from));
      const formula =
        box.op === 'Tanh'
          ? `tanh(${args[0]})`
          : args.join(box.op === 'Mul' ? ' × ' : box.op === 'Add' ? ' + ' : ', ');
      return `Forward: ${title} = ${formula} = ${v(id)}.`;
    }
    return `Forward: ${named(id) ? `${id} = ` : ''}${box.op} ${rule.forward}.`;
  }
  if (scalar && result) {
    const up = num(result.grads[id]?.values?.[0] ?? NaN);
    const parts = ins
      .filter((e) => result.edges[e.id])
      .map(
        (e) =>
          `∂L/∂${e.from} gets ∂${id}/∂${e.from} × ∂L/∂${id} = ${num(result.locals[e.id]?.values?.[0] ?? NaN)} × ${up} = ${num(result.edges[e.id]?.values?.[0] ?? NaN)}`,
      );
    return `Backward through ${title}: ${parts.join('; ')}.${id === layout.forwardOrder.at(-1) ? ' (∂L/∂L = 1 starts it.)' : ''}`;
  }
  return `Backward through ${named(id) ? `${id} (${box.op})` : box.op}: it ${rule.backward}.`;
}
