/**
 * The q8 layout of a safetensors state dict: int8 weights with one float32
 * scale per output channel, symmetric (zero point 0), as onnxruntime's
 * per-channel QDQ weights are (`QuantizeLinear` with `axis=0`, int8 range
 * -127..127). The file stays a plain safetensors file:
 *
 * | key | dtype | shape |
 * |---|---|---|
 * | `<name>` | `I8` | the tensor's own shape (PyTorch layout: output channels on axis 0) |
 * | `<name>.scale` | `F32` | `[shape[0]]` |
 *
 * value = q × scale, computed in float32. Only floating tensors of rank ≥ 2
 * (conv and linear weights, 99.9% of a ResNet's bytes) are quantized; biases
 * and BatchNorm tensors stay `F32`. `__metadata__` holds `"resnet.dtype": "q8"`.
 */
import type { WeightDtype } from '../spec/weights.js';
import { readTensorAsFloat32, type SafetensorsFile } from './read.js';

/** Suffix of the per-channel scale tensor beside an `I8` weight. */
export const SCALE_SUFFIX = '.scale';
/** Largest magnitude of a quantized value (symmetric int8: -127..127, -128 unused). */
export const Q8_MAX = 127;

/** Rounds to the nearest integer, ties to even (numpy's `round`, PyTorch's `torch.round`). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Quantizes `values` (row-major, output channels on axis 0 of `shape`) to int8
 * with one scale per output channel: scale = max|w| / 127 in float32 (1 for a
 * channel of zeros, as onnxruntime does), q = round(w / scale) ties to even.
 *
 * @example
 * ```ts
 * const { q, scale } = quantizeInt8PerChannel(new Float32Array([0.5, -1, 0.25, 2]), [2, 2]);
 * // scale ≈ [1/127, 2/127]; q = [64, -127, 16, 127]
 * ```
 */
export function quantizeInt8PerChannel(values: Float32Array, shape: number[]): { q: Int8Array; scale: Float32Array } {
  const channels = shape[0] ?? 0;
  if (shape.length < 2 || channels === 0) throw new Error(`quantize: per-channel int8 needs a tensor of rank >= 2 with output channels, got shape [${shape.join(', ')}]`);
  const per = values.length / channels;
  const q = new Int8Array(values.length);
  const scale = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    let max = 0;
    for (let i = c * per; i < (c + 1) * per; i++) {
      const a = Math.abs(values[i]!);
      if (!(a <= max)) max = a; // also takes a NaN, which fails the check below
    }
    if (!Number.isFinite(max)) throw new Error(`quantize: output channel ${c} holds a non-finite value; q8 stores finite weights only`);
    const s = max === 0 ? 1 : Math.fround(max / Q8_MAX);
    scale[c] = s;
    for (let i = c * per; i < (c + 1) * per; i++) {
      q[i] = Math.max(-Q8_MAX, Math.min(Q8_MAX, roundHalfEven(Math.fround(values[i]! / s))));
    }
  }
  return { q, scale };
}

/** The float32 values of a per-channel int8 tensor: q × scale of its output channel, in float32. */
export function dequantizeInt8PerChannel(q: Int8Array, scale: Float32Array): Float32Array {
  const per = q.length / scale.length;
  const out = new Float32Array(q.length);
  for (let c = 0; c < scale.length; c++) {
    const s = scale[c]!;
    for (let i = c * per; i < (c + 1) * per; i++) out[i] = Math.fround(q[i]! * s);
  }
  return out;
}

/** One tensor of a state dict as a loader sees it: q8 pairs are one tensor. */
export interface LogicalTensor {
  /** Shape of the value (the `I8` tensor's shape for a q8 pair). */
  shape: number[];
  /** How the file stores it: a safetensors dtype, or `'q8'` for an `I8` + scale pair. */
  stored: string;
  /** Decodes (and dequantizes) the value to float32. */
  read: () => Float32Array;
}

/**
 * The tensors of a parsed safetensors file with every q8 pair (`<name>` `I8`
 * + `<name>.scale` `F32`) merged into one float32 tensor `<name>`. Throws
 * naming the tensor when a scale does not fit its weight.
 *
 * @example
 * ```ts
 * for (const [name, t] of logicalTensors(parseSafetensors(bytes))) console.log(name, t.stored, t.read().length);
 * ```
 */
export function logicalTensors(file: SafetensorsFile): Map<string, LogicalTensor> {
  const out = new Map<string, LogicalTensor>();
  for (const [name, e] of file.entries) {
    if (name.endsWith(SCALE_SUFFIX) && file.entries.get(name.slice(0, -SCALE_SUFFIX.length))?.dtype === 'I8') continue;
    const scaleEntry = e.dtype === 'I8' ? file.entries.get(name + SCALE_SUFFIX) : undefined;
    if (!scaleEntry) {
      out.set(name, { shape: e.shape, stored: e.dtype, read: () => readTensorAsFloat32(file, name) });
      continue;
    }
    const channels = e.shape[0];
    if (e.shape.length < 2 || scaleEntry.dtype !== 'F32' || scaleEntry.shape.length !== 1 || scaleEntry.shape[0] !== channels) {
      throw new Error(
        `invalid q8 safetensors file: '${name}${SCALE_SUFFIX}' is ${scaleEntry.dtype} [${scaleEntry.shape.join(', ')}]; ` +
          `the I8 weight '${name}' [${e.shape.join(', ')}] needs F32 [${channels ?? '?'}] (one scale per output channel)`,
      );
    }
    out.set(name, {
      shape: e.shape,
      stored: 'q8',
      read: () => {
        const scale = readTensorAsFloat32(file, name + SCALE_SUFFIX);
        for (let c = 0; c < scale.length; c++) {
          if (!(Number.isFinite(scale[c]!) && scale[c]! > 0)) {
            throw new Error(`invalid q8 safetensors file: '${name}${SCALE_SUFFIX}' channel ${c} is ${scale[c]}; scales must be finite and positive`);
          }
        }
        const q = new Int8Array(file.bytes.buffer, file.bytes.byteOffset + e.byteOffset, e.byteLength);
        return dequantizeInt8PerChannel(q, scale);
      },
    });
  }
  return out;
}

const FLOATS = new Set(['F64', 'F32', 'BF16', 'F16']);

/**
 * The {@link WeightDtype} a parsed state dict is stored in: `q8` when it holds
 * an `I8` weight with its scale, `fp16` when every float tensor is `F16`, else `fp32`.
 *
 * @example
 * ```ts
 * const fp32Bytes = exportWeights(createModel('resnet18'), { to: 'torchvision' });
 * weightDtypeOf(parseSafetensors(convertWeights(fp32Bytes, 'q8'))); // 'q8'
 * ```
 */
export function weightDtypeOf(file: SafetensorsFile): WeightDtype {
  let floats = 0;
  let halves = 0;
  for (const [name, e] of file.entries) {
    if (e.dtype === 'I8' && file.entries.get(name + SCALE_SUFFIX)?.dtype === 'F32') return 'q8';
    if (e.dtype === 'F16') halves++;
    if (FLOATS.has(e.dtype)) floats++;
  }
  return floats > 0 && halves === floats ? 'fp16' : 'fp32';
}
