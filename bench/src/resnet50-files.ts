// The ResNet-50 files the ResNet-50 benches use (bench:infer, bench:resnet50-node, bench:resnet50-browser):
// torchvision's resnet50 (seeded initialisation, perturbed BatchNorm statistics) as
// ONNX and as a safetensors state dict, a fixed input and PyTorch's logits for it,
// all made by bench/python/export_resnet50.py into the git-ignored bench/.cache; and the
// fp16 / q8 variants of the safetensors file, made from it by the zoo's convertWeights.
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { convertWeights } from '@resnet/zoo';
import { fileURLToPath } from 'node:url';
import { runPython } from './torch.js';

/** bench/.cache/ (git-ignored). */
export const CACHE_DIR = fileURLToPath(new URL('../.cache/', import.meta.url));

/** The file names in {@link CACHE_DIR}. */
export const RESNET50_FILES = {
  onnx: 'resnet50-nbatch.onnx',
  safetensors: 'resnet50.safetensors',
  input: 'resnet50.input.bin',
  logits: 'resnet50.logits.bin',
} as const;

/** Exports the files with PyTorch unless they exist (or `regen`); throws with the reason when it cannot. */
export function ensureResnet50Files(regen: boolean, log: (s: string) => void): void {
  if (!regen && Object.values(RESNET50_FILES).every((f) => existsSync(CACHE_DIR + f))) return;
  log('exporting torchvision resnet50 to ONNX and safetensors (bench/.cache, ~200 MB)…');
  const { result, note } = runPython('export_resnet50.py', [CACHE_DIR]);
  if (result == null) throw new Error(`cannot make the ResNet-50 files in ${CACHE_DIR}: ${note}`);
}

/** The weight variants of the safetensors file, as `resnet-train convert --dtype` writes them. */
export const RESNET50_VARIANTS = { fp16: 'resnet50.fp16.safetensors', q8: 'resnet50.q8.safetensors' } as const;

/**
 * Makes the fp16 and q8 variants of {@link RESNET50_FILES}.safetensors with the zoo's
 * `convertWeights` (the code behind `resnet-train convert --dtype`) unless they exist
 * and are newer than it (or `regen`); each written to a temporary name, then renamed.
 */
export function ensureResnet50Variants(regen: boolean, log: (s: string) => void): void {
  const fp32Path = CACHE_DIR + RESNET50_FILES.safetensors;
  const since = statSync(fp32Path).mtimeMs;
  let fp32: Uint8Array | null = null;
  for (const [dtype, name] of Object.entries(RESNET50_VARIANTS) as Array<[keyof typeof RESNET50_VARIANTS, string]>) {
    const path = CACHE_DIR + name;
    if (!regen && existsSync(path) && statSync(path).mtimeMs >= since) continue;
    log(`converting ${RESNET50_FILES.safetensors} to ${dtype} (${name})…`);
    fp32 ??= readFileSync(fp32Path);
    writeFileSync(`${path}.tmp`, convertWeights(fp32, dtype, RESNET50_FILES.safetensors));
    renameSync(`${path}.tmp`, path);
  }
}

/** A float32 file of {@link CACHE_DIR}. */
export function readF32(name: string): Float32Array {
  const b = readFileSync(CACHE_DIR + name);
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
}

/** The fixed 1×3×224×224 image repeated `batch` times (NCHW). */
export function repeatBatch(image: Float32Array, batch: number): Float32Array {
  const x = new Float32Array(batch * image.length);
  for (let b = 0; b < batch; b++) x.set(image, b * image.length);
  return x;
}

/**
 * Largest |a − ref| over all of `a` (rows of `ref.length` logits, each row
 * compared with `ref`), relative to the largest |ref|: one number that a wrong
 * model cannot pass.
 */
export function maxRelDiff(a: ArrayLike<number>, ref: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < ref.length; i++) scale = Math.max(scale, Math.abs(ref[i]!));
  for (let i = 0; i < a.length; i++) diff = Math.max(diff, Math.abs(a[i]! - ref[i % ref.length]!));
  return a.length === 0 || !Number.isFinite(diff) ? Infinity : diff / scale;
}
