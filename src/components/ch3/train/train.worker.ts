/**
 * Chapter 3's training Worker, one per page and EP: its own onnxruntime-web (web.ts: the same
 * self-hosted .wasm, one thread unless the page is cross-origin isolated), the lab's sessions,
 * and one TrainDriver (driver.ts) per training figure of the page. The page sends commands and
 * draws the snapshots (protocol.ts, trainer.ts).
 */
import { runnerFactory } from '../../ui/graphRunners';
import { SNAPSHOT_EVERY_MS, TrainDriver, loadLive, type Live } from './driver';
import type { FromWorker, ToWorker } from './protocol';

const scope = self as unknown as {
  postMessage(m: FromWorker): void;
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
};
const post = (m: FromWorker) => scope.postMessage(m);

let live: Live | undefined;
const drivers = new Map<number, TrainDriver>();

scope.onmessage = (e) => {
  const m = e.data;
  switch (m.type) {
    case 'init':
      void (async () => {
        try {
          live = await loadLive(await runnerFactory(m.ep));
          post({ type: 'ready' });
        } catch (err) {
          post({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
        }
      })();
      break;
    case 'open': {
      if (!live) break; // the page opens figures only once ready
      const fig = m.fig;
      const driver = new TrainDriver(live, {
        inits: m.inits,
        samples: m.samples,
        emit: (snapshot) => post({ type: 'snapshot', fig, snapshot }),
        snapshotEveryMs: SNAPSHOT_EVERY_MS,
      });
      drivers.set(fig, driver);
      break;
    }
    case 'close':
      drivers.get(m.fig)?.handle({ type: 'pause' }, 0);
      drivers.delete(m.fig);
      break;
    case 'command':
      drivers.get(m.fig)?.handle(m.command, m.seq);
      break;
    case 'values':
      post({ type: 'values', id: m.id, values: drivers.get(m.fig)?.values() ?? [] });
      break;
  }
};
