/**
 * What an island needs to know about a model (from its card, at build time): enough to label
 * it and to verify the bytes it downloads.
 */
import type { ModelId } from '../../models/contract';
import type { LiveModel } from '../../models/runtime/web';

export interface ModelInfo extends LiveModel {
  id: ModelId;
  title: string;
}
