import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import type { BottleneckArgs } from './args.js';
import { bn, conv, relu } from './ops.js';
import { resolveBlockArgs } from './resolve.js';
import { applyResidualAdd } from './residual-add.js';
import { buildShortcut, resolveShortcut } from './shortcut.js';
import { checkInput, checkPositiveInt } from './validate.js';

/**
 * The ResNet bottleneck block, for ResNet-50/101/152, ResNeXt and Wide ResNet:
 * conv1×1 (width) → BN → ReLU → conv3×3 (width, groups) → BN → ReLU →
 * conv1×1 (`filters * expansion`) → BN → (+ shortcut) → ReLU.
 *
 * `width = floor(filters * baseWidth / 64) * groups` (torchvision). The stride
 * sits on the 3×3 conv (`'v1.5'`, default) or on the first 1×1 (`'v1'`). `'v2'`
 * is the pre-activation form (BN → ReLU before each conv, no ReLU after the add).
 * Layers are named like torchvision under `args.name` (`.conv1|2|3`, `.bn1|2|3`,
 * `.downsample.*`, junction `.add`). Grouped 3×3 convs are {@link GroupedConv2D}.
 *
 * @param x NHWC input.
 * @returns `[n, h/stride, w/stride, filters * expansion]`.
 *
 * @example
 * ```ts
 * const x = tf.input({ shape: [56, 56, 64] });
 * const y = bottleneckBlock(x, { filters: 64, name: 'layer1.0' }); // [null, 56, 56, 256]: torchvision's layer1.0 of ResNet-50
 * const z = bottleneckBlock(y, { filters: 128, strides: 2, groups: 32, baseWidth: 4, name: 'layer2.0' }); // ResNeXt-50 32×4d
 * ```
 */
export function bottleneckBlock(x: SymbolicTensor, args: BottleneckArgs): SymbolicTensor {
  const what = 'bottleneckBlock';
  const cin = checkInput(x, what);
  const a = resolveBlockArgs(args, what, 'bottleneck_block');
  const groups = checkPositiveInt(args.groups ?? 1, `${what}: groups`);
  const baseWidth = checkPositiveInt(args.baseWidth ?? 64, `${what}: baseWidth`);
  const expansion = checkPositiveInt(args.expansion ?? 4, `${what}: expansion`);
  const width = Math.floor((a.filters * baseWidth) / 64) * groups;
  if (width === 0) {
    throw new Error(`${what}: width floor(filters * baseWidth / 64) * groups is 0 for filters=${a.filters}, baseWidth=${baseWidth}; raise filters or baseWidth`);
  }
  const out = a.filters * expansion;
  const sc = resolveShortcut(a.shortcut, cin, out, a.strides, what);
  const p = a.name;
  const c = (t: SymbolicTensor, filters: number, k: number, strides: number, n: string, g = 1, zeroInit = false) =>
    conv(t, { filters, kernelSize: k, strides, groups: g, useBias: a.useBias, kernelInitializer: a.kernelInitializer, name: `${p}.${n}`, zeroInit });
  const b = (t: SymbolicTensor, n: string, zero = false) => bn(t, `${p}.${n}`, a.bnEpsilon, a.bnMomentum, zero);
  const shortcutOpts = { filters: out, strides: a.strides, name: p, useBias: a.useBias, bnEpsilon: a.bnEpsilon, bnMomentum: a.bnMomentum, kernelInitializer: a.kernelInitializer };
  const junction = { name: `${p}.add`, dropPathRate: a.dropPathRate, rezero: a.rezero };

  if (a.variant === 'v2') {
    const pre = relu(b(x, 'bn1'), `${p}.relu1`);
    let y = c(pre, width, 1, 1, 'conv1');
    y = relu(b(y, 'bn2'), `${p}.relu2`);
    y = c(y, width, 3, a.strides, 'conv2', groups);
    y = relu(b(y, 'bn3'), `${p}.relu3`);
    y = c(y, out, 1, 1, 'conv3', 1, a.zeroInitLastGamma);
    if (sc === 'none') return y;
    const s = buildShortcut(sc === 'identity' ? x : pre, sc, { ...shortcutOpts, batchNorm: false });
    return applyResidualAdd(s, y, junction);
  }

  const s1 = a.variant === 'v1' ? a.strides : 1;
  const s2 = a.variant === 'v1' ? 1 : a.strides;
  let y = c(x, width, 1, s1, 'conv1');
  y = relu(b(y, 'bn1'), `${p}.relu1`);
  y = c(y, width, 3, s2, 'conv2', groups);
  y = relu(b(y, 'bn2'), `${p}.relu2`);
  y = c(y, out, 1, 1, 'conv3');
  y = b(y, 'bn3', a.zeroInitLastGamma);
  if (sc !== 'none') {
    const s = buildShortcut(x, sc, { ...shortcutOpts, batchNorm: true });
    y = applyResidualAdd(s, y, junction);
  }
  return relu(y, `${p}.relu`);
}
