/**
 * `resnet-train export`: a checkpoint's model as tfjs model.json + weights.bin
 * (loadable with tf.loadLayersModel; the demo ships this) or as torchvision
 * state-dict safetensors (via @resnet/zoo exportWeights).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { exportWeights } from '@resnet/zoo';
import { loadCheckpoint, writeTfjsModel } from '../train/checkpoint.js';

/** Export targets. */
export const EXPORT_TARGETS = ['tfjs', 'torchvision'] as const;

/** Exports; returns the paths written. */
export async function runExport(checkpoint: string, to: (typeof EXPORT_TARGETS)[number], out: string | undefined): Promise<string[]> {
  const ck = await loadCheckpoint(checkpoint);
  try {
    if (to === 'tfjs') {
      const dir = out ?? join(checkpoint, 'tfjs');
      await writeTfjsModel(ck.model, dir);
      const meta = { model: ck.state.model.name, options: ck.state.model.options, data: ck.state.data, epoch: ck.state.epoch, metrics: ck.state.metrics.at(-1) ?? null };
      writeFileSync(join(dir, 'training.json'), JSON.stringify(meta, null, 1));
      return [join(dir, 'model.json'), join(dir, 'weights.bin'), join(dir, 'training.json')];
    }
    const file = out ?? join(checkpoint, `${ck.state.model.name}.safetensors`);
    const bytes = exportWeights(ck.model as unknown as Parameters<typeof exportWeights>[0], { to: 'torchvision' });
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, bytes);
    return [file];
  } finally {
    (ck.model as tf.LayersModel).dispose();
    ck.buffers?.forEach((b) => b.dispose());
  }
}
