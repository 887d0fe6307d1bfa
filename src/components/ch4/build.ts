/**
 * Chapter 4's build-time streaming (Node only: never import from an island): a names step model
 * run over a text with onnxruntime-node, as the page runs it.
 */
import { nodeStep } from '../../models/runtime/node';
import { initialState } from '../../models/runtime/run';
import { advance, emptyCache, streamInput, type StepRecord } from './stream';

export async function streamAtBuild(
  id: string,
  text: string,
  internals: readonly string[],
): Promise<{ records: StepRecord[]; ran: number; units: number }> {
  const m = await nodeStep(id);
  const { cache, ran } = await advance(
    emptyCache(),
    streamInput(text).ids,
    (token, s) => m.run([token], s, internals),
    initialState(m.io, 1),
    internals,
  );
  const units = Number(m.io.state[0]?.shape[1] ?? 0);
  return { records: cache.records, ran, units };
}
