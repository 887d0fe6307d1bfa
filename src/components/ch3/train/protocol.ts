/** The messages between a training figure and its Worker (trainer.ts, train.worker.ts). */
import type { Init } from '../../../models/names/mlp-lab';
import type { Ep } from '../../../models/runtime/ep';
import type { Command, Snapshot } from './driver';

export interface TrainerOptions {
  inits: readonly Init[];
  samples: boolean;
}

/**
 * One Worker per page and EP serves every training figure of the page (`fig` numbers them): one
 * onnxruntime-web and one set of sessions, as on the main thread before.
 */
export type ToWorker =
  | { type: 'init'; ep: Ep }
  | ({ type: 'open'; fig: number } & TrainerOptions)
  | { type: 'close'; fig: number }
  | { type: 'command'; fig: number; seq: number; command: Command }
  | { type: 'values'; fig: number; id: number };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'snapshot'; fig: number; snapshot: Snapshot }
  | { type: 'values'; id: number; values: number[][] };
