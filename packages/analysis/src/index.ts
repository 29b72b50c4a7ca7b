/**
 * @packageDocumentation
 * Analysis of residual networks in TensorFlow.js: parameter counts in the
 * PyTorch and Keras conventions, MAC counts, model summaries, path-ensemble
 * arithmetic (Veit et al. 2016), lesion studies and gradient-flow measurement.
 * Every function returns plain data; only `summary` prints, and only on request.
 */
export { pathCount, pathLengthDistribution, pathLengthFraction, pathLengthStats, logBinomials, type PathLengthStats } from './paths.js';
export {
  countParams,
  type CountParamsOptions,
  type ParamConvention,
  type ParamCounts,
  type ParamReport,
  type LayerParams,
  type BlockParams,
} from './params.js';
export {
  convParams,
  denseParams,
  batchNormParams,
  projectionShortcutParams,
  basicBlockParams,
  bottleneckBlockParams,
  type BlockSpec,
} from './formulas.js';
export { countMacs, layerMacs, type CountMacsOptions, type LayerMacs, type MacKind, type MacReport } from './macs.js';
export { summary, formatMacs, type ModelSummary, type SummaryOptions, type SummaryRow } from './summary.js';
export { defaultBlockOf, modelBlocks, type BlockOf, type ModelBlock } from './blocks.js';
export { residualJunctions, lesion, withLesion, type Lesion } from './lesion.js';
export { lesionStudy, type LesionStudyOptions, type LesionStudyResult, type LesionResult } from './lesion-study.js';
export { gradientFlow, type GradientFlowOptions, type GradientFlowResult, type LayerGradient } from './gradient-flow.js';
export {
  pathGradient,
  pathGradientByLength,
  type PathGradientOptions,
  type PathGradientByLengthOptions,
  type PathGradientReport,
  type PathLengthGradient,
} from './path-gradient.js';
export { softmaxCrossEntropy, top1Error, type Batch, type LossFn } from './loss.js';
export { runGraph, nodeShapes, type RunGraphOptions, type GraphNode, type NodeShapes, type Shape } from './graph.js';
