/**
 * Loading PyTorch state dicts saved as safetensors (torchvision or timm names)
 * and exporting a model back to one. The key mappings live in `names/`.
 */
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { parseSafetensors, viewTensorAsFloat32 } from '../safetensors/read.js';
import { logicalTensors } from '../safetensors/quantize.js';
import { writeSafetensors, type SafetensorsTensor } from '../safetensors/write.js';
import type { SafetensorsDtype } from '../safetensors/dtype.js';
import { applyWeights, type SourceTensor } from './apply.js';
import type { LoadReport } from './report.js';
import { timmToTorchvisionKey } from './names/timm.js';
import { batchNormLayerNames, normalizeTorchvisionKey, torchTargets } from './names/torchvision.js';

/**
 * A state-dict key as the loader matches it: torchvision's own fix-ups
 * (`module.` dropped, pre-0.4 DenseNet names; `names/torchvision.ts`), then
 * for `from: 'timm'` timm's names mapped to torchvision's (`head.fc.` →
 * `fc.`; `names/timm.ts`).
 *
 * @example
 * ```ts
 * normalizeTorchKey('module.layer1.0.conv1.weight', 'torchvision'); // 'layer1.0.conv1.weight'
 * normalizeTorchKey('head.fc.weight', 'timm');                       // 'fc.weight'
 * ```
 */
export function normalizeTorchKey(key: string, from: 'torchvision' | 'timm'): string {
  const k = normalizeTorchvisionKey(key);
  return from === 'timm' ? timmToTorchvisionKey(k) : k;
}

const CLASSIFIER_KEY = /^(fc|classifier|head|head\.fc|predictions)\.(weight|bias)$/;

/** Loads safetensors bytes holding a PyTorch state dict (fp32, fp16 or q8) into `model`. */
export function loadTorchStateDict(
  model: LayersModel,
  bytes: Uint8Array,
  opts: { strict: boolean; from: 'torchvision' | 'timm'; allowNonFinite?: boolean },
): LoadReport {
  const file = parseSafetensors(bytes);
  const source = new Map<string, SourceTensor>();
  // fp16 tensors widen and q8 pairs dequantize to float32 here (safetensors/quantize.ts).
  for (const [key, t] of logicalTensors(file)) {
    const k = normalizeTorchKey(key, opts.from);
    if (source.has(k)) throw new Error(`safetensors file has both '${key}' and another key that normalises to '${k}'`);
    // F32 tensors are read in place (a view over the file; applyWeights copies what it keeps).
    source.set(k, t.stored === 'F32' ? { shape: t.shape, read: () => viewTensorAsFloat32(file, key), viewOf: file.bytes.buffer } : { shape: t.shape, read: t.read });
  }
  return applyWeights(torchTargets(model), source, {
    strict: opts.strict,
    allowNonFinite: opts.allowNonFinite,
    ignore: (k) => k.endsWith('.num_batches_tracked'),
    isClassifierKey: (k) => CLASSIFIER_KEY.test(k),
  });
}

/** Options of {@link exportWeights}. */
export interface ExportOptions {
  /** Target convention; only `'torchvision'` (PyTorch state-dict names and layouts). */
  to: 'torchvision';
  /** Stored float type. Default `'F32'`. */
  dtype?: 'F32' | 'F16' | 'BF16';
  /** Write `num_batches_tracked` (int64 0) for each BatchNorm, as `state_dict()` has. Default true. */
  numBatchesTracked?: boolean;
  /** Extra `__metadata__` strings. */
  metadata?: Record<string, string>;
}

/**
 * Serialises the model's weights as a PyTorch state dict in safetensors, which
 * PyTorch-side tools load with `safetensors.torch.load_file` +
 * `model.load_state_dict`.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * writeFileSync('resnet20.safetensors', exportWeights(createModel('resnet20'), { to: 'torchvision' }));
 * // PyTorch: model.load_state_dict(safetensors.torch.load_file('resnet20.safetensors'))
 * ```
 */
export function exportWeights(model: LayersModel, opts: ExportOptions): Uint8Array {
  if (!opts || opts.to !== 'torchvision') {
    throw new Error(`exportWeights: 'to' must be 'torchvision', got ${JSON.stringify(opts?.to)}`);
  }
  const dtype: SafetensorsDtype = opts.dtype ?? 'F32';
  if (!['F32', 'F16', 'BF16'].includes(dtype)) {
    throw new Error(`exportWeights: dtype must be 'F32', 'F16' or 'BF16', got ${JSON.stringify(dtype)}`);
  }
  const out = new Map<string, SafetensorsTensor>();
  const bnLayers = new Set(batchNormLayerNames(model));
  for (const t of torchTargets(model)) {
    const values = t.variable.read().dataSync() as Float32Array;
    out.set(t.key, { shape: t.sourceShape, data: t.fromTfjs(values), dtype });
    const layer = t.key.slice(0, -'.running_var'.length);
    if ((opts.numBatchesTracked ?? true) && t.key.endsWith('.running_var') && bnLayers.has(layer)) {
      // Same order as PyTorch's state_dict(): after the running statistics.
      out.set(`${layer}.num_batches_tracked`, { shape: [], data: [0], dtype: 'I64' });
    }
  }
  return writeSafetensors(out, { format: 'pt', ...(opts.metadata ?? {}) });
}
