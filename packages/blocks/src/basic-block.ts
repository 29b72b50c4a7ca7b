import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import type { BasicBlockArgs } from './args.js';
import { bn, conv, relu } from './ops.js';
import { resolveBlockArgs } from './resolve.js';
import { applyResidualAdd } from './residual-add.js';
import { buildShortcut, resolveShortcut } from './shortcut.js';
import { checkInput } from './validate.js';

/**
 * The ResNet basic block (He et al. 2016), for ResNet-18/34 and the CIFAR ResNets:
 * conv3×3 (stride) → BN → ReLU → conv3×3 → BN → (+ shortcut) → ReLU.
 * With `variant: 'v2'`: BN → ReLU → conv3×3 (stride) → BN → ReLU → conv3×3 → (+ shortcut).
 *
 * Layers are named like torchvision under `args.name` (`<name>.conv1`, `.bn1`,
 * `.conv2`, `.bn2`, `.downsample.0|1`, junction `.add`); the junction is a
 * {@link ResidualAdd}. `shortcut: 'none'` builds the plain twin (no junction).
 *
 * @param x NHWC input, e.g. `tf.input({ shape: [32, 32, 16] })`.
 * @returns the block output, `[n, h/stride, w/stride, filters]`.
 *
 * @example
 * ```ts
 * const x = tf.input({ shape: [32, 32, 16] });
 * const y = basicBlock(x, { filters: 32, strides: 2, shortcut: 'zero-pad', name: 'layer2.0' }); // [null, 16, 16, 32]
 * ```
 */
export function basicBlock(x: SymbolicTensor, args: BasicBlockArgs): SymbolicTensor {
  const what = 'basicBlock';
  const cin = checkInput(x, what);
  const a = resolveBlockArgs(args, what, 'basic_block');
  if ((args.groups ?? 1) !== 1 || (args.baseWidth ?? 64) !== 64) {
    throw new Error(
      `${what}: groups must be 1 and baseWidth 64 (as torchvision's BasicBlock), got groups=${args.groups}, ` +
        `baseWidth=${args.baseWidth}; use bottleneckBlock for ResNeXt / wide widths`,
    );
  }
  const sc = resolveShortcut(a.shortcut, cin, a.filters, a.strides, what);
  const p = a.name;
  const c = (t: SymbolicTensor, strides: number, n: string, zeroInit = false) =>
    conv(t, { filters: a.filters, kernelSize: 3, strides, useBias: a.useBias, kernelInitializer: a.kernelInitializer, name: `${p}.${n}`, zeroInit });
  const shortcutOpts = { filters: a.filters, strides: a.strides, name: p, useBias: a.useBias, bnEpsilon: a.bnEpsilon, bnMomentum: a.bnMomentum, kernelInitializer: a.kernelInitializer };
  const junction = { name: `${p}.add`, dropPathRate: a.dropPathRate, rezero: a.rezero };

  if (a.variant === 'v2') {
    const pre = relu(bn(x, `${p}.bn1`, a.bnEpsilon, a.bnMomentum), `${p}.relu1`);
    let y = c(pre, a.strides, 'conv1');
    y = relu(bn(y, `${p}.bn2`, a.bnEpsilon, a.bnMomentum), `${p}.relu2`);
    y = c(y, 1, 'conv2', a.zeroInitLastGamma);
    if (sc === 'none') return y;
    // Pre-activation: a shape-changing shortcut sees the normalised input (He et al. 2016b, timm).
    const s = buildShortcut(sc === 'identity' ? x : pre, sc, { ...shortcutOpts, batchNorm: false });
    return applyResidualAdd(s, y, junction);
  }

  let y = c(x, a.strides, 'conv1');
  y = relu(bn(y, `${p}.bn1`, a.bnEpsilon, a.bnMomentum), `${p}.relu1`);
  y = c(y, 1, 'conv2');
  y = bn(y, `${p}.bn2`, a.bnEpsilon, a.bnMomentum, a.zeroInitLastGamma);
  if (sc !== 'none') {
    const s = buildShortcut(x, sc, { ...shortcutOpts, batchNorm: true });
    y = applyResidualAdd(s, y, junction);
  }
  return relu(y, `${p}.relu`);
}
