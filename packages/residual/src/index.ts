/**
 * @packageDocumentation
 * @resnet/residual — residual connections beyond CNNs for TensorFlow.js: highway layers,
 * DenseNet parts and builders, pre-norm / post-norm transformer sublayers, ReZero and
 * stochastic depth. See README.md.
 */
export { HighwayGate } from './highway/highway-gate.js';
export type { HighwayGateArgs } from './highway/highway-gate.js';
export { highwayDense, highwayConv2d, highwayNetwork } from './highway/highway.js';
export type { HighwayActivation, HighwayArgs, HighwayConv2dArgs, HighwayNetworkArgs } from './highway/highway.js';
export type { KernelInitializer } from './internal/deprecated.js';
export { denseLayer, denseBlock, transition } from './densenet/parts.js';
export type { DenseBlockArgs, DenseLayerArgs, DenseNetNormArgs, TransitionArgs } from './densenet/parts.js';
export { densenet, densenet121, densenet161, densenet169, densenet201, densenetBC100 } from './densenet/densenet.js';
export type { DenseNetConfig, DenseNetOptions } from './densenet/densenet.js';
export { MultiHeadSelfAttention } from './transformer/attention.js';
export type { AttentionInitializer, MultiHeadSelfAttentionArgs } from './transformer/attention.js';
export { feedForward } from './transformer/ffn.js';
export type { FeedForwardArgs, FeedForwardNames } from './transformer/ffn.js';
export { residual } from './residual.js';
export type { ResidualArgs } from './residual.js';
export { layerNorm, residualSublayer } from './transformer/sublayer.js';
export type { NormPlacement, ResidualSublayerArgs } from './transformer/sublayer.js';
export { transformerEncoder, transformerEncoderBlock } from './transformer/encoder.js';
export type { TransformerEncoderArgs, TransformerEncoderBlockArgs } from './transformer/encoder.js';
