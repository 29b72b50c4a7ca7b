import { util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { f32, type WasmBackendLike } from './kernel-utils.js';
import { heapOffset, simdKernels } from './simd-kernels.js';
import { runRows } from './split.js';
import { kernelError } from './validate.js';

/** Kernel: the gradient of ReLU, dy where x > 0 (NaN where x is NaN), in one pass. */
export const RELU_GRAD = 'ResnetReluGrad';

/**
 * {@link RELU_GRAD} on wasm: our SIMD kernel, or a JavaScript loop without
 * wasm SIMD. tfjs' own gradient is a step and a multiply, two full passes and a
 * temporary; a ResNet-20 step takes 19 of them.
 */
const reluGrad: KernelFunc = ({ inputs, backend }) => {
  const b = backend as WasmBackendLike;
  const { x, dy } = inputs as Record<string, TensorInfo | undefined>;
  if (x == null || dy == null || x.dtype !== 'float32' || dy.dtype !== 'float32' || !util.arraysEqual(x.shape, dy.shape)) {
    kernelError(RELU_GRAD, `needs float32 x and dy of one shape; got ${x?.dtype} ${JSON.stringify(x?.shape)} and ${dy?.dtype} ${JSON.stringify(dy?.shape)}`);
  }
  const dx = b.makeOutput(x.shape, 'float32');
  const n = util.sizeFromShape(x.shape);
  const simd = simdKernels(b);
  if (simd != null) {
    const [px, pdy, pdx] = [heapOffset(b, x), heapOffset(b, dy), heapOffset(b, dx)];
    runRows(b, simd, n, 1, (i0, i1) => ({ kernel: 'relu_grad', args: { x: px + 4 * i0, dy: pdy + 4 * i0, dx: pdx + 4 * i0, n: i1 - i0 } }));
  } else {
    const [xs, g, out] = [f32(b, x), f32(b, dy), f32(b, dx)];
    for (let i = 0; i < n; i++) out[i] = xs[i]! > 0 ? g[i]! : Number.isNaN(xs[i]!) ? NaN : 0;
  }
  return dx;
};

/** The kernel's config for the wasm backend. */
export const reluGradKernelConfig: KernelConfig = { kernelName: RELU_GRAD, backendName: 'wasm', kernelFunc: reluGrad };
