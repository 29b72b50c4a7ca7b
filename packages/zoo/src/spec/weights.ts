/**
 * The names of the weight file conventions and precisions, shared by the
 * loaders (`weights/load.ts`), the converter and the pretrained table. A leaf:
 * types and the list of their values only.
 */

/**
 * A weight file convention: `'torchvision'` / `'timm'` (a PyTorch state dict in
 * safetensors), `'keras'` (Keras applications HDF5), `'tfjs'` (model.json + shards).
 */
export type WeightFormat = 'torchvision' | 'timm' | 'keras' | 'tfjs';

/** The conventions that are one file, which a pretrained entry can download and cache. */
export type SingleFileFormat = Exclude<WeightFormat, 'tfjs'>;

/**
 * Stored precision of a safetensors weights file: `'fp32'`, `'fp16'` (every
 * float tensor as `F16`) or `'q8'` (int8 conv/linear weights with one float32
 * scale per output channel; `safetensors/quantize.ts`). All load as float32.
 */
export type WeightDtype = 'fp32' | 'fp16' | 'q8';

/** Every {@link WeightDtype}, in the order errors list them. */
export const WEIGHT_DTYPES: readonly WeightDtype[] = ['fp32', 'fp16', 'q8'];

/** One dtype variant of a pretrained entry's weights: a safetensors file of the same state dict. */
export interface WeightVariant {
  /** Download URL. */
  url: string;
  /** SHA-256 of the file, or null where unknown (the Hub's announced SHA-256 is checked then). */
  sha256: string | null;
  /** Hub commit to pin the file to, or null. */
  revision?: string | null;
}
