/**
 * @packageDocumentation
 * @resnet/zoo — named ResNets for TensorFlow.js (ResNet-18..152, Wide ResNet,
 * ResNeXt, the CIFAR ResNets of He et al. 2015 and their plain twins, DenseNets)
 * with torchvision layer names, and loaders for the weights people actually have:
 * torchvision / timm safetensors, Keras applications HDF5, tfjs model.json.
 */
export { buildModel, listModels, modelFamily, registerModel, type ModelBuilder, type ModelFamily, type ZooModel } from './models/registry.js';
export type { ByteSource } from './io/bytes.js';
export { createModel, type CreateModelOptions, type CreateModelResult, type WeightsInput } from './models/create.js';
export { PRETRAINED, defaultPretrained, getPretrained, listPretrained, type PretrainedEntry, type PretrainedSource } from './pretrained/table.js';
export { registerPretrained } from './models/pretrained.js';
export { resolvePretrained, type PretrainedConfig } from './pretrained/config.js';
export { downloadPretrained, verifyPretrained, type DownloadEvent, type DownloadOptions, type DownloadResult } from './pretrained/download.js';
export type { DownloadProgress } from './net/transfer.js';
export type { FetchLike, FetchInit, ResponseLike } from './net/fetch.js';
export type { WeightCache, CacheMeta, CachedFile } from './platform/cache.js';
export type { ModelOptions, Pooling } from './models/options.js';
export { featureModel, getFeatureInfo, type FeatureInfo, type FeatureModel, type FeaturesOptions } from './models/features.js';
export { buildResNet, type ResNetConfig } from './models/resnet.js';
export { buildCifarResNet } from './models/cifar.js';
// Every registered model under its own name (resnet18 … plain110, densenet121 …);
// entrypoints.ts exports nothing else.
export * from './models/entrypoints.js';
export { parseSafetensors, readTensorAsFloat32, MAX_HEADER_BYTES, type SafetensorsEntry, type SafetensorsFile } from './safetensors/read.js';
export { writeSafetensors, type SafetensorsTensor } from './safetensors/write.js';
export type { SafetensorsDtype } from './safetensors/dtype.js';
export { loadWeights, type LoadWeightsOptions } from './weights/load.js';
export { WEIGHT_DTYPES, type SingleFileFormat, type WeightDtype, type WeightFormat, type WeightVariant } from './spec/weights.js';
export { exportWeights, normalizeTorchKey, type ExportOptions } from './weights/state-dict.js';
export { convertWeights } from './weights/dtype-variants.js';
export { weightDtypeOf } from './safetensors/quantize.js';
export { WeightLoadError, type LoadReport, type ShapeMismatch } from './weights/report.js';
export { readSource, type WeightSource, type ReadSourceOptions } from './weights/source.js';
export { fileIOHandler, httpIOHandler } from './weights/tfjs.js';
export { toKerasLayerName, fromKerasLayerName } from './weights/names/keras.js';
export { preprocess } from './transforms/preprocess.js';
export { getTransforms, type PreprocessOptions } from './transforms/transform.js';
export { CAFFE_BGR_MEAN, IMAGENET_MEAN, IMAGENET_STD, type ImageTransform, type Interpolation, type PreprocessMode } from './spec/transform.js';
export { resample, type Pixels, type ResampleOptions, type Window } from './transforms/resample.js';
export type { EncodedImage, PixelData, RgbImage } from './spec/image.js';
export { decodePredictions, decodePredictionsSync, type Prediction } from './imagenet/decode.js';
export { loadClassifier, Classifier, type ClassifierOptions, type ClassifyOptions, type Classification } from './classify/classifier.js';
export type { ClassifierInput, BrowserImage } from './classify/inputs.js';
export { exposeClassifier, type WorkerScope } from './worker/expose.js';
export { decodeImage } from './io/decode.js';
export { freezeBackbone, unfreezeBackbone, type FreezeOptions } from './transfer/freeze.js';
export { replaceHead } from './transfer/replace-head.js';
export { IMAGENET_CLASSES } from './imagenet/labels.js';
