/**
 * `resnet-train export-data`: the exact images and labels resnet-train trains
 * and tests on, for another framework (tools/resnet_ddp reads them for PyTorch
 * DDP), so both sides see the same bits. One safetensors file per split:
 *
 *   OUT/train.safetensors, OUT/test.safetensors
 *     images  F32 [N, H, W, C]  normalised, NHWC, in resnet-train's order
 *     labels  I64 [N]           class indices (PyTorch's target dtype)
 *     __metadata__              format "resnet-train-data", version "1", data,
 *                               split, num_classes, flip_safe ("true"/"false")
 *
 * safetensors because both sides already read it (the zoo's reader, a plain
 * Python one) and it records dtype and shape. Full CIFAR-10 is 737 MB this way.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeSafetensors } from '@resnet/zoo';
import { type Dataset, type LoadLimits, loadData, type Split } from '../data/index.js';

/** `format` in the metadata of an exported split. */
const DATA_EXPORT_FORMAT = 'resnet-train-data';
/** The splits written, one file each. */
const DATA_EXPORT_SPLITS = ['train', 'test'] as const;

/** One split as safetensors bytes in the format above. */
export function encodeSplit(ds: Dataset, name: (typeof DATA_EXPORT_SPLITS)[number]): Uint8Array {
  const split: Split = ds[name];
  return writeSafetensors(
    {
      images: { shape: [split.count, ...ds.shape], data: split.images, dtype: 'F32' },
      labels: { shape: [split.count], data: split.labels, dtype: 'I64' },
    },
    {
      format: DATA_EXPORT_FORMAT,
      version: '1',
      data: ds.name,
      split: name,
      num_classes: String(ds.numClasses),
      flip_safe: String(ds.flipSafe),
    },
  );
}

/** Writes OUT/train.safetensors and OUT/test.safetensors for `--data spec`; returns their paths. */
export function runExportData(spec: string, out: string, limits: LoadLimits): string[] {
  const paths = DATA_EXPORT_SPLITS.map((s) => join(out, `${s}.safetensors`));
  const taken = paths.filter((p) => existsSync(p));
  // Checked before anything is written, so a refusal leaves the folder as it was.
  if (taken.length) throw new Error(`${taken.join(' and ')} already exist; choose another --out or delete them`);
  const ds = loadData(spec, limits);
  mkdirSync(out, { recursive: true });
  DATA_EXPORT_SPLITS.forEach((s, i) => writeFileSync(paths[i]!, encodeSplit(ds, s)));
  return paths;
}
