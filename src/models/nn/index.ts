/**
 * Layers for the recurrent and Transformer chapters, built from the graph builder's ops. Each
 * layer is a pair: `xxxParams(p, ...)` makes its named parameters, `xxx(x, params)` applies it.
 */
export { ParamStore, Params, type Init } from './params';
export { linear, linearParams, type Linear } from './linear';
export { embedding, embeddingParams, type Embedding } from './embedding';
export { rnnCell, rnnParams, type RnnParams, type RnnState } from './rnn-cell';
export { gruCell, gruParams, type GruParams, type GruState, type GruStep } from './gru-cell';
export { lstmCell, lstmParams, type LstmParams, type LstmState, type LstmStep } from './lstm-cell';
export { unroll } from './unroll';
export { layerNorm, layerNormParams, type LayerNorm } from './layer-norm';
export { mlp, mlpParams, type Mlp } from './mlp';
export {
  attentionParams,
  causalSelfAttention,
  selfAttention,
  type Attention,
  type AttentionOut,
  type SelfAttentionOut,
} from './attention';
