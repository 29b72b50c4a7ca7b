// A patch of tfjs-core's gradient registry: gradients are global in tfjs, so
// these reach every backend of the process. Applied by registerWasmTrainingKernels
// (and so by selectBackend('wasm' | 'auto')) or by calling registerTrainingGradients;
// listed in BackendInfo.patches (see ./applied.ts).
import { FusedBatchNorm, Mean, Relu, add, backend_util, broadcastTo, cast, div, engine, getBackend, getKernel, mul, registerGradient, reshape, rsqrt, scalar, step, sub, sum, util } from '@tensorflow/tfjs-core';
import type { GradConfig, NamedAttrMap, Tensor } from '@tensorflow/tfjs-core';
import { RELU_GRAD } from '../wasm/relu-grad.js';
import { recordPatch } from './applied.js';
import { freeBackpropEarly } from './backprop-memory.js';

/**
 * The BatchNorm gradient of tfjs-core, with the per-channel factor of dx
 * broadcast by a multiply instead of tiled to a full activation first, and
 * each partial computed only when the tape asks for it. Same mathematics, any
 * backend; on wasm the tiles were a third of a ResNet-20 training step.
 */
export const fusedBatchNormGradConfig: GradConfig = {
  kernelName: FusedBatchNorm,
  inputsToSave: ['x', 'mean', 'variance', 'scale'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const g = dy as Tensor;
    const { varianceEpsilon } = attrs as { varianceEpsilon: number };
    const [x, mean, variance, scale] = saved as [Tensor, Tensor, Tensor, Tensor | undefined];
    const scaleValue: Tensor = scale ?? scalar(1);
    const perChannel = mean.rank === 1;
    const reductionAxes = backend_util.getReductionAxes(mean.shape, x.shape);
    const reduce = (t: Tensor): Tensor => reshape(perChannel ? sum(t, reductionAxes) : t, mean.shape);
    const rstd = rsqrt(add(variance, scalar(varianceEpsilon)));
    return {
      x: () => reshape(mul(g, mul(rstd, scaleValue)), x.shape),
      mean: () => reduce(mul(g, mul(rstd, mul(scaleValue, scalar(-1))))),
      variance: () => reduce(mul(mul(g, sub(x, mean)), mul(mul(mul(rstd, rstd), rstd), mul(scaleValue, scalar(-0.5))))),
      scale: () => reduce(mul(mul(g, sub(x, mean)), rstd)),
      offset: () => reduce(g),
    };
  },
};

/**
 * The gradient of `mean`: dy / n broadcast back over the reduced axes. tfjs-core
 * multiplies by a full tensor of ones and divides the full result; this divides
 * the small tensor and broadcasts once.
 */
export const meanGradConfig: GradConfig = {
  kernelName: Mean,
  inputsToSave: ['x'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [x] = saved as [Tensor];
    const axes = util.parseAxisParam((attrs as { axis: number | number[] }).axis, x.shape);
    const expanded = x.shape.slice();
    let n = 1;
    for (const a of axes) {
      n *= x.shape[a]!;
      expanded[a] = 1;
    }
    return { x: () => broadcastTo(div(reshape(dy as Tensor, expanded), scalar(n)), x.shape) };
  },
};

/**
 * The gradient of ReLU, dy·step(x), computed from ReLU's output y instead of
 * its input x, as PyTorch's `threshold_backward` does: y > 0 exactly where
 * x > 0, and y is NaN exactly where x is (ReLU keeps NaN on every backend), so
 * the values are tfjs-core's. The backward pass then keeps the output, which
 * the next layer keeps anyway, and not the input: a ResNet's BatchNorm outputs
 * and residual sums can be freed during the forward pass (./layer-outputs.ts).
 * By our one-pass kernel where the backend has it (wasm), else by tfjs-core's ops.
 */
export const reluGradConfig: GradConfig = {
  kernelName: Relu,
  outputsToSave: [true],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
    const [y] = saved as [Tensor];
    const g = dy as Tensor;
    return {
      x: () => (y.dtype === 'float32' && g.dtype === 'float32' && getKernel(RELU_GRAD, getBackend()) != null
        ? (engine().runKernel(RELU_GRAD, { x: y, dy: g }) as Tensor)
        : mul(g, cast(step(y), 'float32'))),
    };
  },
};

/**
 * Registers the leaner BatchNorm, Mean and ReLU gradients above, and makes the
 * backward pass free each node's saved activations and output gradients once
 * the node is done (`src/patches/backprop-memory.ts`). Gradients are global in tfjs
 * (every backend); they compute the same values as tfjs-core's with fewer
 * full-size temporaries and a lower peak, so any backend's training step gains.
 * Idempotent.
 *
 * @example
 * ```ts
 * registerTrainingGradients(); // on any backend: the same gradients with fewer temporaries
 * ```
 */
export function registerTrainingGradients(): void {
  registerGradient(fusedBatchNormGradConfig);
  registerGradient(meanGradConfig);
  registerGradient(reluGradConfig);
  recordPatch(TRAINING_GRADIENTS_PATCH);
  freeBackpropEarly();
}

/** What {@link registerTrainingGradients} lists in `BackendInfo.patches`. */
export const TRAINING_GRADIENTS_PATCH = "tfjs-core gradients of FusedBatchNorm, Mean and Relu: same values, fewer temporaries, ReLU's from its output (every backend)";
