// Defaults of the block builders, resolved in one place.
import type { BlockArgs, BlockVariant, ShortcutType } from './args.js';
import { BLOCK_VARIANTS, SHORTCUT_TYPES } from './args.js';
import type { InitializerLike } from './initializer-util.js';
import { defaultName } from './ops.js';
import { checkOneOf, checkPositiveInt, checkRange, checkStrides } from './validate.js';

/** @internal Block arguments with every default filled in. */
export interface ResolvedBlockArgs {
  filters: number;
  strides: 1 | 2;
  shortcut: ShortcutType;
  variant: BlockVariant;
  useBias: boolean;
  bnEpsilon: number;
  bnMomentum: number;
  zeroInitLastGamma: boolean;
  dropPathRate: number;
  rezero: boolean;
  kernelInitializer: InitializerLike | undefined;
  name: string;
}

/** @internal Validates `args` and fills in defaults; `what` prefixes error messages. */
export function resolveBlockArgs(args: BlockArgs, what: string, kind: string): ResolvedBlockArgs {
  if (args == null || typeof args !== 'object') {
    throw new Error(`${what}: args must be an object with at least { filters }, got ${String(args)}`);
  }
  const variant = checkOneOf(args.variant ?? 'v1.5', BLOCK_VARIANTS, `${what}: variant`);
  if (args.name != null && (typeof args.name !== 'string' || args.name.length === 0)) {
    throw new Error(`${what}: name must be a non-empty string, got ${JSON.stringify(args.name)}`);
  }
  return {
    filters: checkPositiveInt(args.filters, `${what}: filters`),
    strides: checkStrides(args.strides, `${what}: strides`),
    shortcut: checkOneOf(args.shortcut ?? 'auto', SHORTCUT_TYPES, `${what}: shortcut`),
    variant,
    useBias: args.useBias ?? variant === 'v1',
    bnEpsilon: checkRange(args.bnEpsilon ?? 1e-5, `${what}: bnEpsilon`, 0, Infinity),
    bnMomentum: checkRange(args.bnMomentum ?? 0.9, `${what}: bnMomentum`, 0, 1),
    zeroInitLastGamma: args.zeroInitLastGamma ?? false,
    dropPathRate: checkRange(args.dropPathRate ?? 0, `${what}: dropPathRate`, 0, 1, true),
    rezero: args.rezero ?? false,
    kernelInitializer: args.kernelInitializer,
    name: args.name ?? defaultName(kind),
  };
}
