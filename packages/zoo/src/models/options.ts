/**
 * Options every zoo model takes, and their validation. Defaults are resolved
 * per family (ImageNet or CIFAR) in the builders.
 */
import { checkPositiveInt, type BlockVariant, type InitializerLike, type ShortcutType } from '@resnet/blocks';
import type { FeaturesOptions } from './features.js';
import { listPretrained } from '../pretrained/table.js';

/** Global pooling before the classifier (or as the output when `includeTop` is false). */
export type Pooling = 'avg' | 'max' | null;

/** Options of {@link createModel} and of every model builder. */
export interface ModelOptions {
  // Weights are not an option of the builders: `createModel` takes `weights` / `pretrained`, and the
  // builders refuse both at run time (validateOptions) rather than return an untrained model.
  /** Classifier outputs. Default 1000 (ImageNet family), 10 (CIFAR family). */
  numClasses?: number;
  /** Input shape `[height, width, channels]`; `null` height/width accept any size ≥ 32. Default `[224, 224, 3]` / `[32, 32, 3]`. */
  inputShape?: [number | null, number | null, number];
  /** Keep the classifier (`fc`). Default true. */
  includeTop?: boolean;
  /** Global pooling when `includeTop` is false (`'avg'`, `'max'`, or `null` for the last feature map). Default `null`; the classifier always uses average pooling. */
  pooling?: Pooling;
  /** Block layout: `'v1.5'` (torchvision, default), `'v1'` (Keras applications), `'v2'` (pre-activation). */
  variant?: BlockVariant;
  /** Shortcut type of every block; default `'auto'` (ImageNet) or `'zero-pad'` (CIFAR resnets). */
  shortcut?: ShortcutType;
  /** Start every residual branch at zero (torchvision `zero_init_residual`). Default false. */
  zeroInitResidual?: boolean;
  /** Stochastic depth: the drop rate of the last block; block `i` of `n` gets `rate * i / (n - 1)` (timm's linear rule). Default 0. */
  dropPathRate?: number;
  /** BatchNorm epsilon. Default 1e-5 (PyTorch), 1.001e-5 for `'v1'` (Keras applications). */
  bnEpsilon?: number;
  /** BatchNorm momentum, tfjs convention (1 − PyTorch momentum). Default 0.9. */
  bnMomentum?: number;
  /**
   * Return feature maps instead of logits, like timm `features_only`: `true`
   * gives the stage outputs (C2..C5; CIFAR: the three stages), `{ outIndices }`
   * picks points (0 = stem). The model then has a `featureInfo` (channels and
   * reduction of each output). Default false.
   */
  features?: boolean | FeaturesOptions;
  /** Model name (the tfjs model's `name`). Default: the registry name. */
  name?: string;
  /** Conv kernel initializer (instance or tfjs identifier). Default: He normal, fan-out, as torchvision. */
  kernelInitializer?: InitializerLike;
  /** CIFAR family only: the three stage widths. Default `[16, 32, 64]` (the paper's); narrower nets make quick CPU experiments. */
  widths?: [number, number, number];
}

function fail(what: string, got: unknown, valid: string): never {
  throw new Error(`${what}: got ${JSON.stringify(got)}; valid: ${valid}`);
}

/**
 * Validates the options shared by every family (defaults are not applied here).
 * The CIFAR family (three stride stages) accepts inputs down to 8×8 and a
 * `widths` option; the other families need 32×32 and take no `widths`.
 */
export function validateOptions(model: string, o: ModelOptions, family: 'cifar' | 'other' = 'other'): void {
  const minSize = family === 'cifar' ? 8 : 32;
  if (o == null || typeof o !== 'object') fail(`${model} options`, o, 'an object');
  const known = new Set([
    'numClasses', 'inputShape', 'includeTop', 'pooling', 'variant', 'shortcut', 'zeroInitResidual',
    'dropPathRate', 'bnEpsilon', 'bnMomentum', 'features', 'weights', 'name', 'kernelInitializer', 'download', 'onReport', 'pretrained', 'allowNonFinite', 'widths',
  ]);
  const asked = o as ModelOptions & { weights?: unknown };
  if (asked.weights !== undefined || 'download' in o || 'onReport' in o || 'pretrained' in o || 'allowNonFinite' in o) {
    const tags = listPretrained(model);
    const tag = typeof asked.weights === 'string' ? asked.weights : (tags[0] ?? `${model}.<tag>`);
    throw new Error(
      `${model}: builders return untrained models and do not load weights; use createModel('${model}', { weights: '${tag}' }) ` +
        `(async: it downloads, caches and verifies)${tags.length ? `; weights for ${model}: ${tags.join(', ')}` : `; no published weights for ${model}`}`,
    );
  }
  const extra = Object.keys(o).filter((k) => !known.has(k));
  if (extra.length) fail(`${model}: unknown option(s) ${extra.join(', ')}`, extra, [...known].join(', '));
  if (o.numClasses !== undefined) checkPositiveInt(o.numClasses, `${model}: numClasses`);
  if (o.inputShape !== undefined) {
    const s = o.inputShape;
    const okDim = (d: unknown) => d === null || (Number.isInteger(d) && (d as number) >= minSize);
    if (!Array.isArray(s) || s.length !== 3 || !okDim(s[0]) || !okDim(s[1]) || !Number.isInteger(s[2]) || s[2] < 1) {
      fail(`${model}: inputShape`, s, `[height, width, channels] with height and width ≥ ${minSize} (or null) and channels ≥ 1`);
    }
  }
  if (o.pooling !== undefined && o.pooling !== null && o.pooling !== 'avg' && o.pooling !== 'max') {
    fail(`${model}: pooling`, o.pooling, "'avg', 'max' or null");
  }
  if (o.dropPathRate !== undefined && !(o.dropPathRate >= 0 && o.dropPathRate < 1)) {
    fail(`${model}: dropPathRate`, o.dropPathRate, 'a number in [0, 1)');
  }
  if (o.widths !== undefined && family !== 'cifar') fail(`${model}: widths`, o.widths, 'only the CIFAR family (resnet20…, plain20…) takes stage widths');
  if (o.features && o.includeTop) fail(`${model}: features with includeTop`, true, 'features only with includeTop: false (or unset)');
  if (o.features !== undefined && typeof o.features !== 'boolean' && !(typeof o.features === 'object' && (o.features.outIndices === undefined || Array.isArray(o.features.outIndices)))) {
    fail(`${model}: features`, o.features, 'true, false or { outIndices: [1, 2, 3, 4] }');
  }
}

/** The drop rate of block `i` of `n` under timm's linear stochastic-depth rule. */
export function blockDropRate(rate: number, i: number, n: number): number {
  return n <= 1 ? rate : (rate * i) / (n - 1);
}
