/** The URL state shared by chapter 3's training figures, and a maker for their metas. */
import type { OptimizerName } from '../../../models/train/step';
import { intParam, numParam, type FigureMeta, type Teaching } from '../../ui/meta';
import { CHAPTER_3 } from '../../ui/chapters';

export interface TrainState {
  /** Seeds the initial weights and the minibatch draws: same seed, same run. */
  seed: number;
  lr: number;
  batch: number;
  opt: OptimizerName;
}

export const BATCHES = [8, 16, 32, 64, 128, 256] as const;
export const LR_MIN = 1e-4;
export const LR_MAX = 1;
export const MAX_SEED = 0xffffffff;

/** Learning rates are kept to 3 significant digits (the slider is logarithmic). */
export function roundLr(lr: number): number {
  return Number(Math.min(LR_MAX, Math.max(LR_MIN, lr)).toPrecision(3));
}

export const TRAIN_DEFAULTS: TrainState = { seed: 1, lr: 0.01, batch: 32, opt: 'adam' };

export function trainMeta(m: {
  id: string;
  number: string;
  title: string;
  caption: string;
  embedHeight: number;
  teaching: Teaching;
  defaults?: Partial<TrainState>;
}): FigureMeta<TrainState> {
  const defaults = { ...TRAIN_DEFAULTS, ...m.defaults };
  return {
    id: m.id,
    number: m.number,
    title: m.title,
    caption: m.caption,
    chapter: CHAPTER_3,
    models: [],
    runtime: 'onnxruntime',
    defaults,
    embedHeight: m.embedHeight,
    teaching: m.teaching,
    parse(q) {
      const batch = intParam(q, 'batch', defaults.batch, 1, 256);
      const opt = q.get('opt');
      return {
        seed: intParam(q, 'seed', defaults.seed, 0, MAX_SEED),
        lr: roundLr(numParam(q, 'lr', defaults.lr, LR_MIN, LR_MAX)),
        batch: (BATCHES as readonly number[]).includes(batch) ? batch : defaults.batch,
        opt: opt === 'sgd' || opt === 'adam' ? opt : defaults.opt,
      };
    },
    serialize(s) {
      return new URLSearchParams({
        seed: String(s.seed),
        lr: String(s.lr),
        batch: String(s.batch),
        opt: s.opt,
      });
    },
  };
}
