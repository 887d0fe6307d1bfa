/**
 * Build-time trace of figure 3.1's expression, for the prose (TraceValue) and the static
 * render (Node only: never import from an island). Traced once per build.
 */
import { NodeSession } from '../../../models/train/session';
import { backpropGraphMeta } from './meta';
import { exprFeeds, runTrace, traceGraph, type TraceResult } from './trace';

let trace: Promise<TraceResult> | undefined;

/** Figure 3.1's expression at its default inputs, traced once per build. */
export function exprTrace(): Promise<TraceResult> {
  trace ??= (async () => {
    const tg = traceGraph('expr');
    const s = await NodeSession.create(tg.bytes);
    const { result } = await runTrace(s, tg, exprFeeds(backpropGraphMeta.defaults));
    await s.release();
    return result;
  })();
  return trace;
}
