/**
 * Runners over graphs built in the page (builder + autodiff), on one EP. No hooks and no DOM:
 * chapter 3's training Worker (ch3/train/train.worker.ts) makes its runners with it too.
 */
import type { Ep } from '../../models/runtime/ep';
import type { GraphRunner } from '../../models/train/step';

export type RunnerFactory = (key: string, make: () => Uint8Array) => Promise<GraphRunner>;

/** Runners over page-built graphs on one EP (sessions cached per key and EP by web.ts). */
export async function runnerFactory(ep: Ep): Promise<RunnerFactory> {
  const [{ bytesSession }, { WebRunner }] = await Promise.all([
    import('../../models/runtime/web'),
    import('../../models/train/web-runner'),
  ]);
  return async (key, make) => {
    const { ort, session, serial } = await bytesSession(key, ep, make);
    return new WebRunner(ort.Tensor, session, serial);
  };
}
