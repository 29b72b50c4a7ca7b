import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import { layers } from '@tensorflow/tfjs-layers';
import { checkInput, checkPositiveInt, checkRange, checkStrides } from './validate.js';
import type { ShortcutArgs, ShortcutType } from './args.js';
import { bn, conv, defaultName } from './ops.js';
import { ZeroPadShortcut } from './zero-pad-shortcut.js';

/**
 * The learned shortcut of a residual block: 1×1 conv (with the block's stride)
 * + BN (`kind: 'projection'`, He et al. option B/C; torchvision `downsample`), or
 * ResNet-D's avg-pool + 1×1 conv + BN (`kind: 'avg-down'`). Layers are named
 * `<name>.downsample.<i>` so torchvision/timm state-dict keys map by layout only.
 *
 * The avg pool has kernel = stride = 2 with `'same'` padding: TF's `'same'` pads
 * only bottom/right and averages over the valid pixels only, which for kernel =
 * stride equals PyTorch's `AvgPool2d(2, 2, ceil_mode=True, count_include_pad=False)`
 * (tested on odd sizes by hand).
 *
 * @example
 * ```ts
 * const x = tf.input({ shape: [32, 32, 64] });
 * const s = projectionShortcut(x, { filters: 128, strides: 2, name: 'layer2.0' }); // layer2.0.downsample.0 (conv) and .1 (BN)
 * const d = projectionShortcut(x, { filters: 128, strides: 2, kind: 'avg-down', name: 'layer3.0' }); // ResNet-D
 * ```
 */
export function projectionShortcut(x: SymbolicTensor, args: ShortcutArgs): SymbolicTensor {
  const what = 'projectionShortcut';
  checkInput(x, what);
  const filters = checkPositiveInt(args?.filters, `${what}: filters`);
  const strides = checkStrides(args.strides, `${what}: strides`);
  const kind = args.kind ?? 'projection';
  if (kind !== 'projection' && kind !== 'avg-down') {
    throw new Error(`${what}: kind must be 'projection' or 'avg-down', got ${JSON.stringify(args.kind)}`);
  }
  const eps = checkRange(args.bnEpsilon ?? 1e-5, `${what}: bnEpsilon`, 0, Infinity);
  const mom = checkRange(args.bnMomentum ?? 0.9, `${what}: bnMomentum`, 0, 1);
  const name = args.name ?? defaultName('shortcut');
  const p = `${name}.downsample`;
  let y = x;
  let i = 0;
  let convStride: number = strides;
  if (kind === 'avg-down') {
    if (strides > 1) {
      y = layers.averagePooling2d({ poolSize: strides, strides, padding: 'same', name: `${p}.0` }).apply(y) as SymbolicTensor;
    }
    i = 1; // timm keeps index 0 for the pool (nn.Identity at stride 1)
    convStride = 1;
  }
  y = conv(y, {
    filters,
    kernelSize: 1,
    strides: convStride,
    useBias: args.useBias ?? false,
    kernelInitializer: args.kernelInitializer,
    name: `${p}.${i}`,
  });
  if (args.batchNorm ?? true) y = bn(y, `${p}.${i + 1}`, eps, mom);
  return y;
}

/** @internal What a block's shortcut resolves to for given channels and stride. */
export type ResolvedShortcut = 'identity' | 'zero-pad' | 'projection' | 'avg-down' | 'none';

/** @internal Resolves a {@link ShortcutType} for a block that maps `cin` → `cout` channels with `strides`. */
export function resolveShortcut(type: ShortcutType, cin: number, cout: number, strides: number, what: string): ResolvedShortcut {
  const changes = cin !== cout || strides !== 1;
  switch (type) {
    case 'none':
      return 'none';
    case 'identity':
      if (changes) {
        throw new Error(
          `${what}: shortcut 'identity' needs an unchanged shape, but the block maps ${cin} → ${cout} channels ` +
            `with stride ${strides}; use 'auto', 'projection', 'zero-pad' or 'avg-down'`,
        );
      }
      return 'identity';
    case 'auto':
    case 'projection':
      return changes ? 'projection' : 'identity';
    case 'projection-always':
      return 'projection';
    case 'avg-down':
      return changes ? 'avg-down' : 'identity';
    case 'zero-pad':
      if (cout < cin) {
        throw new Error(
          `${what}: shortcut 'zero-pad' cannot shrink ${cin} channels to ${cout} (it only appends zero channels); ` +
            `use 'projection' or 'auto'`,
        );
      }
      return changes ? 'zero-pad' : 'identity';
  }
}

/** @internal Builds a resolved shortcut. */
export function buildShortcut(
  x: SymbolicTensor,
  kind: ResolvedShortcut,
  o: { filters: number; strides: 1 | 2; name: string; useBias: boolean; bnEpsilon: number; bnMomentum: number; batchNorm: boolean; kernelInitializer: ShortcutArgs['kernelInitializer'] },
): SymbolicTensor {
  if (kind === 'identity' || kind === 'none') return x;
  if (kind === 'zero-pad') {
    return new ZeroPadShortcut({ filters: o.filters, strides: o.strides, name: `${o.name}.downsample` }).apply(x) as SymbolicTensor;
  }
  return projectionShortcut(x, { ...o, kind: kind === 'avg-down' ? 'avg-down' : 'projection' });
}
