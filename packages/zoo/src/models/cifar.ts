/**
 * The CIFAR ResNets of He et al. 2015 (§4.2): a 3×3 stem with 16 filters, three
 * stages of n basic blocks with 16/32/64 filters (6n + 2 layers), option-A
 * zero-pad shortcuts, global average pooling and a 10-way classifier; and their
 * plain twins (same layers, no shortcuts) for the degradation experiment.
 * `widths` narrows the stages for quick CPU experiments.
 */
import { checkPositiveInt } from '@resnet/blocks';
import * as tfl from '@tensorflow/tfjs-layers';
import { finishModel } from './head.js';
import { validateOptions, type ModelOptions } from './options.js';
import { makeStages, stem } from './stages.js';

/**
 * Builds a CIFAR ResNet (`plain: false`) or plain net of the given depth (6n + 2).
 *
 * @example
 * ```ts
 * const resnet38 = buildCifarResNet(38, false, { widths: [8, 16, 32] }); // 6n + 2 with n = 6
 * const plain38 = buildCifarResNet(38, true);                            // the same layers without shortcuts
 * ```
 */
export function buildCifarResNet(depth: number, plain: boolean, opts: ModelOptions = {}, defaultName?: string): tfl.LayersModel {
  const name = defaultName ?? `${plain ? 'plain' : 'resnet'}${depth}`;
  validateOptions(name, opts, 'cifar');
  const widths = opts.widths ?? [16, 32, 64];
  if (!Array.isArray(widths) || widths.length !== 3) {
    throw new Error(`${name}: widths must be three positive integers, got ${JSON.stringify(opts.widths)}`);
  }
  widths.forEach((w, i) => checkPositiveInt(w, `${name}: widths[${i}]`));
  if (!Number.isInteger(depth) || depth < 8 || (depth - 2) % 6 !== 0) {
    throw new Error(`${name}: depth must be 6n + 2 with n ≥ 1 (20, 32, 44, 56, 110, 1202, …), got ${depth}`);
  }
  if (plain && opts.shortcut !== undefined && opts.shortcut !== 'none') {
    throw new Error(`${name}: plain nets have no shortcuts; got shortcut '${opts.shortcut}' (use the resnet${depth} model instead)`);
  }
  const n = (depth - 2) / 6;
  const variant = opts.variant ?? 'v1.5';
  const bnEpsilon = opts.bnEpsilon ?? 1e-5;
  const bnMomentum = opts.bnMomentum ?? 0.9;
  const kernelInitializer = opts.kernelInitializer;
  const input = tfl.input({ shape: opts.inputShape ?? [32, 32, 3], name: 'input' });
  const x = stem(input, { filters: widths[0], kernelSize: 3, strides: 1, useBias: variant === 'v1', kernelInitializer, variant, bnEpsilon, bnMomentum });
  const stages = makeStages(x, {
    block: 'basic',
    depths: [n, n, n],
    widths,
    blockArgs: { shortcut: plain ? 'none' : (opts.shortcut ?? 'zero-pad'), variant, bnEpsilon, bnMomentum, zeroInitLastGamma: opts.zeroInitResidual ?? false, kernelInitializer },
    dropPathRate: plain ? 0 : (opts.dropPathRate ?? 0),
  });
  return finishModel({ input, last: stages[stages.length - 1]!, opts, bnEpsilon, bnMomentum, defaultClasses: 10, defaultName: name });
}
