/**
 * Reverse-mode automatic differentiation over the graph builder: the chain rule of calculus,
 * applied node by node from the loss back to the parameters. Each node's own gradient rule
 * (in ops.ts) turns dLoss/dOutput into dLoss/dInput; where a tensor feeds several nodes, the
 * contributions add up. The result is more nodes in the same graph, exported like any other.
 */
import type { Node, Tensor } from './graph';
import { add, onesLike } from './ops';

export function gradients(loss: Tensor, wrt: readonly Tensor[]): Tensor[] {
  const g = loss.graph;
  if (loss.rank !== 0)
    throw new Error(`gradients: the loss must be a scalar, got shape [${loss.shape.join(', ')}]`);

  // Forward sweep: which tensors depend on something we differentiate with respect to.
  const depends = new Set<Tensor>(wrt);
  const forward: Node[] = [...g.nodes]; // snapshot: the backward pass appends nodes
  for (const node of forward) {
    if (node.inputs.some((t) => depends.has(t))) for (const o of node.outputs) depends.add(o);
  }
  if (!depends.has(loss))
    throw new Error('gradients: the loss does not depend on any of the tensors');

  // Backward sweep, in reverse creation order (a topological order of the forward graph).
  const grads = new Map<Tensor, Tensor>([[loss, onesLike(loss)]]);
  for (let i = forward.length - 1; i >= 0; i--) {
    const node = forward[i] as Node;
    const out = node.outputs[0];
    const upstream = out && grads.get(out);
    if (!upstream || !node.inputs.some((t) => depends.has(t))) continue;
    if (!node.backward) throw new Error(`gradients: ${node.opType} has no gradient rule`);
    const local = node.backward(upstream);
    node.inputs.forEach((input, k) => {
      const gk = local[k];
      if (!gk || !depends.has(input)) return;
      const prev = grads.get(input);
      grads.set(input, prev ? add(prev, gk) : gk);
    });
  }
  return wrt.map((w) => {
    const gw = grads.get(w);
    if (!gw) throw new Error(`gradients: ${w.name} does not reach the loss`);
    return gw;
  });
}
