import { DepthwiseConv2dNativeBackpropFilter, DepthwiseConv2dNativeBackpropInput, backend_util } from '@tensorflow/tfjs-core';
import type {
  DepthwiseConv2dNativeBackpropFilterAttrs,
  DepthwiseConv2dNativeBackpropInputAttrs,
  KernelConfig,
  KernelFunc,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { f32, type WasmBackendLike } from './kernel-utils.js';
import { checkOutputGradient, convInfo, kernelError, type Shape4 } from './validate.js';

/** What the two depthwise gradients' attributes share (tfjs-core's types). */
type DepthwiseAttrs = Omit<DepthwiseConv2dNativeBackpropInputAttrs, 'inputShape'>;

/** The depthwise geometry, after checking that the shapes agree (dy's included) and the data are float32. */
function depthwiseInfo(kernel: string, xShape: Shape4, filterShape: Shape4, dy: TensorInfo, attrs: DepthwiseAttrs, other: TensorInfo): backend_util.Conv2DInfo {
  if (dy.dtype !== 'float32' || other.dtype !== 'float32') kernelError(kernel, `supports float32 only; got ${dy.dtype} and ${other.dtype}`);
  const info = convInfo(kernel, xShape, filterShape, { ...attrs, dataFormat: 'NHWC' }, true);
  checkOutputGradient(kernel, dy.shape, info);
  return info;
}

/**
 * Visits every (output pixel, filter tap) pair that reads an in-bounds input
 * pixel; both depthwise gradients are sums over exactly these pairs.
 */
function forEachTap(
  info: backend_util.Conv2DInfo,
  visit: (xOff: number, yOff: number, wOff: number) => void,
): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth,
    strideHeight, strideWidth, dilationHeight, dilationWidth, padInfo } = info;
  for (let b = 0; b < batchSize; b++) {
    for (let yr = 0; yr < outHeight; yr++) {
      for (let wr = 0; wr < filterHeight; wr++) {
        const xr = yr * strideHeight - padInfo.top + wr * dilationHeight;
        if (xr < 0 || xr >= inHeight) continue;
        for (let yc = 0; yc < outWidth; yc++) {
          const yOff = ((b * outHeight + yr) * outWidth + yc) * outChannels;
          for (let wc = 0; wc < filterWidth; wc++) {
            const xc = yc * strideWidth - padInfo.left + wc * dilationWidth;
            if (xc < 0 || xc >= inWidth) continue;
            visit(((b * inHeight + xr) * inWidth + xc) * inChannels, yOff, (wr * filterWidth + wc) * outChannels);
          }
        }
      }
    }
  }
}

/**
 * `DepthwiseConv2dNativeBackpropInput` for wasm (missing there): a scatter of
 * dy through the filter, written directly on the wasm heap. Depthwise layers
 * carry few MACs, so a plain loop is not the bottleneck of a training step.
 */
export const depthwiseConv2dNativeBackpropInput: KernelFunc = (args) => {
  const backend = args.backend as WasmBackendLike;
  const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
  const attrs = args.attrs as unknown as DepthwiseConv2dNativeBackpropInputAttrs;
  const info = depthwiseInfo(DepthwiseConv2dNativeBackpropInput, attrs.inputShape, filter.shape as Shape4, dy, attrs, filter);
  const out = backend.makeOutput(info.inShape, 'float32');
  const dx = f32(backend, out);
  const g = f32(backend, dy);
  const w = f32(backend, filter);
  dx.fill(0);
  const c = info.inChannels;
  const m = info.outChannels / c;
  forEachTap(info, (xOff, yOff, wOff) => {
    for (let d = 0; d < c; d++) {
      let acc = 0;
      for (let q = 0; q < m; q++) acc += g[yOff + d * m + q]! * w[wOff + d * m + q]!;
      dx[xOff + d] = dx[xOff + d]! + acc;
    }
  });
  return out;
};

/** `DepthwiseConv2dNativeBackpropFilter` for wasm (missing there). */
export const depthwiseConv2dNativeBackpropFilter: KernelFunc = (args) => {
  const backend = args.backend as WasmBackendLike;
  const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
  const attrs = args.attrs as unknown as DepthwiseConv2dNativeBackpropFilterAttrs;
  const info = depthwiseInfo(DepthwiseConv2dNativeBackpropFilter, x.shape as Shape4, attrs.filterShape, dy, attrs, x);
  const out = backend.makeOutput(attrs.filterShape, 'float32');
  const dw = f32(backend, out);
  const xs = f32(backend, x);
  const g = f32(backend, dy);
  dw.fill(0);
  const c = info.inChannels;
  const m = info.outChannels / c;
  forEachTap(info, (xOff, yOff, wOff) => {
    for (let d = 0; d < c; d++) {
      const xv = xs[xOff + d]!;
      for (let q = 0; q < m; q++) dw[wOff + d * m + q] = dw[wOff + d * m + q]! + xv * g[yOff + d * m + q]!;
    }
  });
  return out;
};

/** Kernel configs that add the depthwise gradients to the wasm backend. */
export const depthwiseBackpropConfigs: KernelConfig[] = [
  { kernelName: DepthwiseConv2dNativeBackpropInput, backendName: 'wasm', kernelFunc: depthwiseConv2dNativeBackpropInput },
  { kernelName: DepthwiseConv2dNativeBackpropFilter, backendName: 'wasm', kernelFunc: depthwiseConv2dNativeBackpropFilter },
];
