import type * as tf from '@tensorflow/tfjs';
import { resnet20Layers } from './resnet20-layers.js';

/**
 * ResNet-20 from @resnet/zoo (option-A shortcuts, as in the paper); if the zoo
 * cannot be loaded (not built yet), the plain-layers twin with projection
 * shortcuts, and the label says which.
 */
export async function buildResnet20(): Promise<{ model: tf.LayersModel; label: string }> {
  try {
    const zoo = (await import('@resnet/zoo')) as unknown as { createModel(name: string, opts?: object): tf.LayersModel };
    return { model: zoo.createModel('resnet20'), label: 'resnet20' };
  } catch (err) {
    console.error(`@resnet/zoo unavailable (${(err as Error).message.split('\n')[0]}); using ResNet-20 with projection shortcuts`);
    return { model: resnet20Layers(), label: 'resnet20-projection' };
  }
}
