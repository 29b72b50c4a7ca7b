import type { LayersModel } from '@tensorflow/tfjs-layers';

/** Trainable parameter count (PyTorch's convention: no BN running statistics). */
export function trainableParams(model: LayersModel): number {
  return model.trainableWeights.reduce((a, w) => a + w.shape.reduce<number>((x, y) => x * (y ?? 1), 1), 0);
}
