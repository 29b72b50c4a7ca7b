/**
 * Weight dtype variants of a safetensors state dict, as transformers.js offers
 * them: `fp32` (the published file), `fp16` (every float tensor as `F16`, half
 * the bytes) and `q8` (int8 conv/linear weights with a float32 scale per output
 * channel, a quarter of the bytes; layout in `safetensors/quantize.ts`). All
 * are dequantized to float32 when loaded, so the model computes in float32.
 */
import { Q8_MAX, SCALE_SUFFIX, logicalTensors, quantizeInt8PerChannel, weightDtypeOf } from '../safetensors/quantize.js';
import { parseSafetensors, readTensorAsFloat32, type SafetensorsFile } from '../safetensors/read.js';
import { writeSafetensors, type SafetensorsTensor } from '../safetensors/write.js';

/** `__metadata__` key that names a converted file's dtype. */
const DTYPE_METADATA_KEY = 'resnet.dtype';

const FLOATS = new Set(['F64', 'F32', 'BF16']);
const FP16_MAX = 65504;

/** Throws naming the tensor when a finite value would round to an fp16 infinity (|v| ≥ 65520). */
function checkFp16Range(name: string, values: Float32Array, what: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v) && Math.abs(v) >= FP16_MAX + 16) {
      throw new Error(`convert ${what} to fp16: tensor '${name}' holds ${v} at element ${i}, beyond fp16's largest value ${FP16_MAX}; keep this model in fp32 or q8`);
    }
  }
}

/**
 * Converts an fp32 safetensors state dict (torchvision or timm names) to the
 * `fp16` or `q8` variant, keeping every key, shape and the `__metadata__`
 * (plus `"resnet.dtype"`). Integer tensors (`num_batches_tracked`) are kept
 * as they are. Refuses a file that is already a variant (convert from the
 * fp32 file: a variant of a variant compounds the rounding).
 *
 * @example
 * ```ts
 * import { readFileSync, writeFileSync } from 'node:fs';
 * const fp32 = readFileSync('resnet50.safetensors');
 * writeFileSync('resnet50.fp16.safetensors', convertWeights(fp32, 'fp16')); // ~0.5× the bytes
 * writeFileSync('resnet50.q8.safetensors', convertWeights(fp32, 'q8'));     // ~0.25× the bytes
 * ```
 */
export function convertWeights(bytes: Uint8Array, dtype: 'fp16' | 'q8', what = 'weights file'): Uint8Array {
  if (dtype !== 'fp16' && dtype !== 'q8') throw new Error(`convertWeights: dtype must be 'fp16' or 'q8'; got ${JSON.stringify(dtype)}`);
  let file: SafetensorsFile;
  try {
    file = parseSafetensors(bytes);
  } catch (e) {
    throw new Error(`convert ${what}: ${(e as Error).message}`);
  }
  const from = weightDtypeOf(file);
  if (from !== 'fp32') throw new Error(`convert ${what}: the file is already ${from}; convert from the fp32 file`);
  const out = new Map<string, SafetensorsTensor>();
  for (const [name, t] of logicalTensors(file)) {
    const e = file.entries.get(name)!;
    if (!FLOATS.has(t.stored)) {
      out.set(name, { shape: t.shape, data: readTensorAsFloat32(file, name), dtype: e.dtype });
      continue;
    }
    const values = t.read();
    if (dtype === 'fp16') {
      checkFp16Range(name, values, what);
      out.set(name, { shape: t.shape, data: values, dtype: 'F16' }); // rounded to nearest even on write, as PyTorch's .half()
    } else if (t.shape.length >= 2 && (t.shape[0] ?? 0) > 0 && values.length > 0) {
      if (file.entries.has(name + SCALE_SUFFIX)) throw new Error(`convert ${what} to q8: the file already has a tensor '${name}${SCALE_SUFFIX}', the name q8 gives the scales of '${name}'`);
      let q: ReturnType<typeof quantizeInt8PerChannel>;
      try {
        q = quantizeInt8PerChannel(values, t.shape);
      } catch (err) {
        throw new Error(`convert ${what} to q8: tensor '${name}': ${(err as Error).message}`);
      }
      out.set(name, { shape: t.shape, data: q.q, dtype: 'I8' });
      out.set(name + SCALE_SUFFIX, { shape: [t.shape[0]!], data: q.scale, dtype: 'F32' });
    } else {
      out.set(name, { shape: t.shape, data: values, dtype: 'F32' });
    }
  }
  const metadata: Record<string, string> = { ...file.metadata, [DTYPE_METADATA_KEY]: dtype };
  if (dtype === 'q8') metadata['resnet.quantization'] = `int8 symmetric per output channel (axis 0, -${Q8_MAX}..${Q8_MAX}); '<name>${SCALE_SUFFIX}' F32 holds the scales`;
  return writeSafetensors(out, metadata);
}
