/**
 * @packageDocumentation
 * @resnet/residual — residual connections beyond CNNs for TensorFlow.js: highway layers,
 * DenseNet parts and builders, pre-norm / post-norm transformer sublayers, ReZero and
 * stochastic depth. See README.md.
 */
export { HighwayGate } from './highway/highway-gate';
export type { HighwayGateArgs } from './highway/highway-gate';
export { highwayDense, highwayConv2d, highwayNetwork } from './highway/highway';
export type {
  HighwayActivation,
  HighwayArgs,
  HighwayConv2dArgs,
  HighwayNetworkArgs,
  KernelInitializer,
} from './highway/highway';
export { denseLayer, denseBlock, transition } from './densenet/parts';
export type { DenseBlockArgs, DenseLayerArgs, DenseNetNormArgs, TransitionArgs } from './densenet/parts';
export { densenet, densenet121, densenet161, densenet169, densenet201, densenetBC100 } from './densenet/densenet';
export type { DenseNetConfig, DenseNetOptions } from './densenet/densenet';
export { MultiHeadSelfAttention } from './transformer/attention';
export type { AttentionInitializer, MultiHeadSelfAttentionArgs } from './transformer/attention';
export { feedForward } from './transformer/ffn';
export type { FeedForwardArgs, FeedForwardNames } from './transformer/ffn';
export { residual } from './residual';
export type { ResidualArgs } from './residual';
export { layerNorm, residualSublayer } from './transformer/sublayer';
export type { NormPlacement, ResidualSublayerArgs } from './transformer/sublayer';
export { transformerEncoder, transformerEncoderBlock } from './transformer/encoder';
export type { TransformerEncoderArgs, TransformerEncoderBlockArgs } from './transformer/encoder';
