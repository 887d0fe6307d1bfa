/**
 * Where a chapter-3 training figure trains: in a module Worker (train.worker.ts) with its own
 * onnxruntime-web, so the page's main thread only draws; or, when no Worker can be started, on
 * the main thread with the page's shared sessions, as before. The figure sees the same Trainer
 * either way: it sends commands and draws the snapshots (driver.ts).
 *
 * The messages are in protocol.ts: the page starts the Worker (`init`), opens one trainer per
 * figure (`open`), sends it commands and asks for its parameters; the Worker answers `ready` or
 * `failed`, then snapshots after every command and, while training, at most every
 * SNAPSHOT_EVERY_MS.
 */
import type { Ep } from '../../../models/runtime/ep';
import type { RunnerFactory } from '../../ui/graphRunners';
import { SNAPSHOT_EVERY_MS, TrainDriver, loadLive, type Command, type Snapshot } from './driver';
import type { FromWorker, ToWorker, TrainerOptions } from './protocol';

export interface Trainer {
  /** The thread the loop runs on. */
  readonly thread: 'worker' | 'main';
  /** Why the main thread, when it is. */
  readonly note: string;
  /** Send a command; returns its number (snapshots say which they have handled). */
  send(command: Command): number;
  /** Called with every snapshot. */
  listen(fn: (s: Snapshot) => void): void;
  /** The first run's parameters. */
  values(): Promise<number[][]>;
  close(): void;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The worker script did not load or run (as opposed to a model that failed in it). */
class WorkerStartError extends Error {}

/** The page's training Worker on one EP, once its sessions are live. */
interface Host {
  worker: Worker;
  listeners: Map<number, (s: Snapshot) => void>;
  asked: Map<number, (v: number[][]) => void>;
}

const hosts = new Map<Ep, Promise<Host>>();
let nextFig = 0;
let nextId = 0;

function startHost(worker: Worker, ep: Ep): Promise<Host> {
  const host: Host = { worker, listeners: new Map(), asked: new Map() };
  return new Promise((resolve, reject) => {
    let ready = false;
    worker.onerror = (e) => {
      if (ready) return console.warn('training worker:', e.message);
      worker.terminate();
      reject(new WorkerStartError(`the Worker did not start: ${e.message || 'its script failed'}`));
    };
    worker.onmessage = (e: MessageEvent<FromWorker>) => {
      const m = e.data;
      if (m.type === 'snapshot') host.listeners.get(m.fig)?.(m.snapshot);
      else if (m.type === 'values') {
        host.asked.get(m.id)?.(m.values);
        host.asked.delete(m.id);
      } else if (m.type === 'ready') {
        ready = true;
        resolve(host);
      } else {
        worker.terminate();
        reject(new Error(m.message));
      }
    };
    const init: ToWorker = { type: 'init', ep };
    worker.postMessage(init);
  });
}

/** The page's Worker on `ep`, started by the first figure that asks (again after a failure). */
function hostFor(ep: Ep): Promise<Host> {
  let h = hosts.get(ep);
  if (!h) {
    let worker: Worker;
    try {
      worker = new Worker(new URL('./train.worker.ts', import.meta.url), {
        type: 'module',
        name: 'ch3-train',
      });
    } catch (e) {
      // No Worker in this browser, or one the page may not start.
      return Promise.reject(new WorkerStartError(`no Worker here: ${message(e)}`));
    }
    h = startHost(worker, ep);
    hosts.set(ep, h);
    h.catch(() => hosts.delete(ep));
  }
  return h;
}

function workerTrainer(host: Host, ep: Ep, opts: TrainerOptions): Trainer {
  const fig = ++nextFig;
  const post = (m: ToWorker) => host.worker.postMessage(m);
  let seq = 0;
  host.listeners.set(fig, () => undefined);
  post({ type: 'open', fig, inits: [...opts.inits], samples: opts.samples });
  return {
    thread: 'worker',
    note: '',
    send: (command) => {
      post({ type: 'command', fig, seq: ++seq, command });
      return seq;
    },
    listen: (fn) => host.listeners.set(fig, fn),
    values: () =>
      new Promise((resolve) => {
        const id = ++nextId;
        host.asked.set(id, resolve);
        post({ type: 'values', fig, id });
      }),
    close: () => {
      post({ type: 'close', fig });
      host.listeners.delete(fig);
      // The last figure on this EP gone (the reader switched EP): the Worker goes too.
      if (host.listeners.size === 0 && hosts.get(ep)) {
        hosts.delete(ep);
        host.worker.terminate();
      }
    },
  };
}

async function mainTrainer(
  make: RunnerFactory,
  opts: TrainerOptions,
  note: string,
): Promise<Trainer> {
  const live = await loadLive(make);
  let listener: ((s: Snapshot) => void) | undefined;
  let seq = 0;
  const driver = new TrainDriver(live, {
    ...opts,
    emit: (s) => listener?.(s),
    // Drawing happens on this thread: give the browser a frame after each snapshot.
    afterSnapshot: () => new Promise<void>((r) => requestAnimationFrame(() => r())),
    snapshotEveryMs: SNAPSHOT_EVERY_MS,
  });
  return {
    thread: 'main',
    note,
    send: (command) => {
      driver.handle(command, ++seq);
      return seq;
    },
    listen: (fn) => (listener = fn),
    values: () => Promise.resolve(driver.values()),
    close: () => {
      listener = undefined;
      driver.handle({ type: 'pause' }, 0);
    },
  };
}

/**
 * A trainer on `ep`, live (sessions made and run once). In a Worker when one starts; else on
 * the main thread, with the page's sessions (`make`), and a note saying why.
 */
export async function startTrainer(
  make: RunnerFactory,
  ep: Ep,
  opts: TrainerOptions,
): Promise<Trainer> {
  let host: Host;
  try {
    host = await hostFor(ep);
  } catch (e) {
    if (e instanceof WorkerStartError) return mainTrainer(make, opts, e.message);
    throw e;
  }
  return workerTrainer(host, ep, opts);
}
