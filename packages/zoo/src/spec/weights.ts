/**
 * The names of the weight file conventions, shared by the loaders
 * (`weights/load.ts`) and the pretrained table. A leaf: types only.
 */

/**
 * A weight file convention: `'torchvision'` / `'timm'` (a PyTorch state dict in
 * safetensors), `'keras'` (Keras applications HDF5), `'tfjs'` (model.json + shards).
 */
export type WeightFormat = 'torchvision' | 'timm' | 'keras' | 'tfjs';

/** The conventions that are one file, which a pretrained entry can download and cache. */
export type SingleFileFormat = Exclude<WeightFormat, 'tfjs'>;
