// Layer helpers shared by the block builders. Not exported from the package.
import { initializers, layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { GroupedConv2D } from './grouped-conv2d.js';
import { KaimingNormal } from './kaiming-normal.js';
import type { InitializerLike } from './initializer-util.js';

let uid = 0;
/** A unique default prefix such as `basic_block_3`. */
export function defaultName(kind: string): string {
  uid += 1;
  return `${kind}_${uid}`;
}

/** Options of {@link conv}. */
export interface ConvOpts {
  filters: number;
  kernelSize: number;
  strides: number;
  useBias: boolean;
  kernelInitializer: InitializerLike | undefined;
  name: string;
  groups?: number;
  zeroInit?: boolean;
}

/**
 * A conv with PyTorch padding `k // 2`. Stride 1 uses `'same'` (symmetric for odd
 * kernels, so equal to PyTorch); strided k>1 convs pad explicitly then use
 * `'valid'`, because TF's `'same'` puts the odd pixel bottom/right while PyTorch
 * pads both sides equally.
 */
export function conv(x: SymbolicTensor, o: ConvOpts): SymbolicTensor {
  const pad = Math.floor(o.kernelSize / 2);
  let input = x;
  let padding: 'same' | 'valid' = pad === 0 ? 'valid' : 'same';
  if (o.strides > 1 && pad > 0) {
    input = layers.zeroPadding2d({ padding: [[pad, pad], [pad, pad]], name: `${o.name}_pad` }).apply(x) as SymbolicTensor;
    padding = 'valid';
  }
  const kernelInitializer = o.zeroInit ? initializers.zeros() : (o.kernelInitializer ?? new KaimingNormal());
  if ((o.groups ?? 1) > 1) {
    return new GroupedConv2D({
      filters: o.filters,
      kernelSize: o.kernelSize,
      strides: o.strides,
      padding,
      groups: o.groups!,
      useBias: o.useBias,
      kernelInitializer,
      name: o.name,
    }).apply(input) as SymbolicTensor;
  }
  return layers
    .conv2d({
      filters: o.filters,
      kernelSize: o.kernelSize,
      strides: o.strides,
      padding,
      useBias: o.useBias,
      kernelInitializer,
      name: o.name,
    })
    .apply(input) as SymbolicTensor;
}

/** BatchNorm over channels with PyTorch-compatible epsilon; `zeroGamma` starts gamma at 0. */
export function bn(x: SymbolicTensor, name: string, epsilon: number, momentum: number, zeroGamma = false): SymbolicTensor {
  return layers
    .batchNormalization({ axis: -1, epsilon, momentum, gammaInitializer: zeroGamma ? 'zeros' : 'ones', name })
    .apply(x) as SymbolicTensor;
}

/** ReLU as its own layer. */
export function relu(x: SymbolicTensor, name: string): SymbolicTensor {
  return layers.reLU({ name }).apply(x) as SymbolicTensor;
}
