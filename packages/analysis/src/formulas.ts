// Closed-form parameter counts of the standard ResNet pieces, for checking
// built models and for sizing a design before building it.
import { checkPositiveInt } from '@resnet/blocks';
import type { ParamConvention, ParamCounts } from './params.js';

function counts(trainable: number, nonTrainable = 0): ParamCounts {
  return { trainable, nonTrainable, total: trainable + nonTrainable };
}
function sum(...cs: ParamCounts[]): ParamCounts {
  return counts(
    cs.reduce((a, c) => a + c.trainable, 0),
    cs.reduce((a, c) => a + c.nonTrainable, 0),
  );
}

/**
 * A k×k convolution from `cin` to `cout` channels: `k·k·(cin/groups)·cout`
 * weights, plus `cout` biases when `useBias`.
 *
 * @example
 * ```ts
 * convParams(3, 64, 64).total;               // 36,864
 * convParams(3, 128, 128, { groups: 32 }).total; // 4,608: ResNeXt's grouped 3×3
 * ```
 */
export function convParams(kernelSize: number, cin: number, cout: number, opts: { useBias?: boolean; groups?: number } = {}): ParamCounts {
  const k = checkPositiveInt(kernelSize, 'convParams: kernelSize');
  const g = checkPositiveInt(opts.groups ?? 1, 'convParams: groups');
  checkPositiveInt(cin, 'convParams: cin');
  checkPositiveInt(cout, 'convParams: cout');
  if (cin % g !== 0 || cout % g !== 0) throw new Error(`convParams: cin (${cin}) and cout (${cout}) must be divisible by groups (${g})`);
  return counts(k * k * (cin / g) * cout + (opts.useBias ? cout : 0));
}

/**
 * A dense (linear) layer: `cin·cout` weights plus `cout` biases (default on).
 *
 * @example
 * ```ts
 * denseParams(2048, 1000).total; // 2,049,000: ResNet-50's fc
 * ```
 */
export function denseParams(cin: number, cout: number, opts: { useBias?: boolean } = {}): ParamCounts {
  return counts(checkPositiveInt(cin, 'denseParams: cin') * checkPositiveInt(cout, 'denseParams: cout') + (opts.useBias ?? true ? cout : 0));
}

/**
 * BatchNorm over `c` channels: gamma and beta (2c, trainable); in the `'keras'`
 * convention also the moving mean and variance (2c, non-trainable).
 *
 * @example
 * ```ts
 * batchNormParams(64);          // { trainable: 128, nonTrainable: 128, total: 256 }
 * batchNormParams(64, 'torch'); // { trainable: 128, nonTrainable: 0, total: 128 }
 * ```
 */
export function batchNormParams(c: number, convention: ParamConvention = 'keras'): ParamCounts {
  checkPositiveInt(c, 'batchNormParams: channels');
  return counts(2 * c, convention === 'keras' ? 2 * c : 0);
}

/** Description of a block for the formulas (the same meaning as the block builders' args). */
export interface BlockSpec {
  /** Input channels. */
  inChannels: number;
  /** Basic: output channels. Bottleneck: torchvision `planes` (output = filters × expansion). */
  filters: number;
  /** 1 or 2. Default 1. */
  strides?: 1 | 2;
  /** `'auto'` (default), `'identity'`, `'zero-pad'`, `'projection'`, `'projection-always'`, `'avg-down'` or `'none'`. */
  shortcut?: 'auto' | 'identity' | 'zero-pad' | 'projection' | 'projection-always' | 'avg-down' | 'none';
  /** `'v1'`, `'v1.5'` (default) or `'v2'` (pre-activation: no BN after the projection). */
  variant?: 'v1' | 'v1.5' | 'v2';
  /** Convs with bias. Default: true for `'v1'`, else false (as the block builders). */
  useBias?: boolean;
  /** Adds the ReZero scalar. Default false. */
  rezero?: boolean;
  /** Bottleneck only: channel groups of the 3×3 conv. Default 1. */
  groups?: number;
  /** Bottleneck only: width per group. Default 64. */
  baseWidth?: number;
  /** Bottleneck only: output expansion. Default 4. */
  expansion?: number;
}

/**
 * The shortcut the builders use: identity when the shape is unchanged (except
 * `'projection-always'`), otherwise the requested kind.
 */
function shortcutKind(spec: BlockSpec, cout: number): 'identity' | 'zero-pad' | 'projection' | 'avg-down' | 'none' {
  const s = spec.shortcut ?? 'auto';
  const changes = spec.inChannels !== cout || (spec.strides ?? 1) !== 1;
  if (s === 'none') return 'none';
  if (s === 'projection-always') return 'projection';
  if (!changes) return 'identity';
  if (s === 'identity') throw new Error(`block params: shortcut 'identity' cannot map ${spec.inChannels} → ${cout} channels with stride ${spec.strides ?? 1}`);
  if (s === 'zero-pad') return 'zero-pad';
  if (s === 'avg-down') return 'avg-down';
  return 'projection';
}

/**
 * The projection shortcut: a 1×1 conv `cin → cout` (bias when `useBias`) and,
 * unless `batchNorm: false` (pre-activation blocks), a BatchNorm over `cout`.
 *
 * @example
 * ```ts
 * projectionShortcutParams(64, 256, { convention: 'torch' }).total; // 16,384 + 512: 1×1 conv and BN, ResNet-50's layer1.0.downsample
 * ```
 */
export function projectionShortcutParams(
  cin: number,
  cout: number,
  opts: { useBias?: boolean; batchNorm?: boolean; convention?: ParamConvention } = {},
): ParamCounts {
  const conv = convParams(1, cin, cout, { useBias: opts.useBias });
  return opts.batchNorm ?? true ? sum(conv, batchNormParams(cout, opts.convention)) : conv;
}

function shortcutParams(spec: BlockSpec, cout: number, useBias: boolean, convention: ParamConvention): ParamCounts {
  const kind = shortcutKind(spec, cout);
  if (kind === 'projection' || kind === 'avg-down') {
    return projectionShortcutParams(spec.inChannels, cout, { useBias, batchNorm: spec.variant !== 'v2', convention });
  }
  return counts(0);
}

/**
 * Parameters of a basic block (two 3×3 convs, He et al. 2016). v1/v1.5:
 * conv(cin→f) + BN(f) + conv(f→f) + BN(f) [+ projection]. v2: BN(cin) + conv +
 * BN(f) + conv [+ 1×1 conv]. ReZero adds 1.
 *
 * @example
 * ```ts
 * basicBlockParams({ inChannels: 64, filters: 64 }, 'torch').total;              // 73,984: ResNet-18's layer1.0
 * basicBlockParams({ inChannels: 64, filters: 128, strides: 2 }, 'torch').total; // with the projection shortcut
 * ```
 */
export function basicBlockParams(spec: BlockSpec, convention: ParamConvention = 'keras'): ParamCounts {
  const cin = checkPositiveInt(spec.inChannels, 'basicBlockParams: inChannels');
  const f = checkPositiveInt(spec.filters, 'basicBlockParams: filters');
  const useBias = spec.useBias ?? spec.variant === 'v1';
  const conv1 = convParams(3, cin, f, { useBias });
  const conv2 = convParams(3, f, f, { useBias });
  const bns = spec.variant === 'v2' ? [batchNormParams(cin, convention), batchNormParams(f, convention)] : [batchNormParams(f, convention), batchNormParams(f, convention)];
  const hasJunction = shortcutKind(spec, f) !== 'none';
  return sum(conv1, conv2, ...bns, shortcutParams(spec, f, useBias, convention), counts(hasJunction && spec.rezero ? 1 : 0));
}

/**
 * Parameters of a bottleneck block (1×1 → 3×3 → 1×1, width
 * `floor(filters·baseWidth/64)·groups`, output `filters·expansion`). v2 puts the
 * BNs before the convs (over cin, width, width) and drops the projection's BN.
 *
 * @example
 * ```ts
 * bottleneckBlockParams({ inChannels: 64, filters: 64 }, 'torch').total; // 75,008: ResNet-50's layer1.0
 * ```
 */
export function bottleneckBlockParams(spec: BlockSpec, convention: ParamConvention = 'keras'): ParamCounts {
  const cin = checkPositiveInt(spec.inChannels, 'bottleneckBlockParams: inChannels');
  const f = checkPositiveInt(spec.filters, 'bottleneckBlockParams: filters');
  const groups = checkPositiveInt(spec.groups ?? 1, 'bottleneckBlockParams: groups');
  const width = Math.floor((f * (spec.baseWidth ?? 64)) / 64) * groups;
  const out = f * checkPositiveInt(spec.expansion ?? 4, 'bottleneckBlockParams: expansion');
  const useBias = spec.useBias ?? spec.variant === 'v1';
  const convs = [convParams(1, cin, width, { useBias }), convParams(3, width, width, { useBias, groups }), convParams(1, width, out, { useBias })];
  const bnChannels = spec.variant === 'v2' ? [cin, width, width] : [width, width, out];
  const hasJunction = shortcutKind(spec, out) !== 'none';
  return sum(
    ...convs,
    ...bnChannels.map((c) => batchNormParams(c, convention)),
    shortcutParams(spec, out, useBias, convention),
    counts(hasJunction && spec.rezero ? 1 : 0),
  );
}
