/**
 * @packageDocumentation
 * @resnet/zoo — named ResNets for TensorFlow.js (ResNet-18..152, Wide ResNet,
 * ResNeXt, the CIFAR ResNets of He et al. 2015 and their plain twins, DenseNets)
 * with torchvision layer names, and loaders for the weights people actually have:
 * torchvision / timm safetensors, Keras applications HDF5, tfjs model.json.
 */
export { buildModel, listModels, modelFamily, registerModel, type ModelBuilder, type ModelFamily } from './models/registry.js';
export { createModel, type PretrainedModelOptions, type PretrainedTagOptions } from './models/create.js';
export { PRETRAINED, getPretrained, listPretrained, registerPretrained, type PretrainedEntry, type PreprocessMode } from './pretrained/table.js';
export { downloadPretrained, verifyPretrained, type DownloadOptions, type DownloadResult, type DownloadProgress } from './pretrained/download.js';
export type { WeightCache, CacheMeta, CachedFile } from './pretrained/cache.js';
export type { ModelOptions, Pooling } from './models/options.js';
export { buildResNet, type ResNetConfig } from './models/resnet.js';
export { buildCifarResNet } from './models/cifar.js';
export {
  resnet18,
  resnet34,
  resnet50,
  resnet101,
  resnet152,
  wide_resnet50_2,
  resnext50_32x4d,
  resnet20,
  resnet32,
  resnet44,
  resnet56,
  resnet110,
  resnet1202,
  plain20,
  plain32,
  plain44,
  plain56,
  plain110,
} from './models/entrypoints.js';
export { parseSafetensors, readTensorAsFloat32, MAX_HEADER_BYTES, type SafetensorsEntry, type SafetensorsFile } from './safetensors/read.js';
export { writeSafetensors, type SafetensorsTensor } from './safetensors/write.js';
export type { SafetensorsDtype } from './safetensors/dtype.js';
export { loadWeights, type LoadWeightsOptions, type WeightFormat } from './weights/load.js';
export { exportWeights, normalizeTorchKey, type ExportOptions } from './weights/torchvision.js';
export { WeightLoadError, type LoadReport, type ShapeMismatch } from './weights/report.js';
export { readSource, type WeightSource, type FetchLike, type FetchInit, type ResponseLike, type ReadSourceOptions } from './weights/source.js';
export { fileIOHandler, httpIOHandler } from './weights/tfjs.js';
export { toKerasLayerName, fromKerasLayerName } from './weights/keras-names.js';
export { preprocess, CAFFE_BGR_MEAN, type PreprocessOptions, type PixelData } from './imagenet/preprocess.js';
export { decodePredictions, type Prediction } from './imagenet/decode.js';
export { IMAGENET_CLASSES } from './imagenet/labels.js';
