/**
 * The CIFAR ResNets of He et al. 2015 (§4.2): a 3×3 stem with 16 filters, three
 * stages of n basic blocks with 16/32/64 filters (6n + 2 layers), option-A
 * zero-pad shortcuts, global average pooling and a 10-way classifier; and their
 * plain twins (same layers, no shortcuts) for the degradation experiment.
 * `widths` narrows the stages for quick CPU experiments.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import { KaimingNormal, basicBlock, type ShortcutType } from '@resnet/blocks';
import { finishModel } from './head.js';
import { blockDropRate, validateOptions, type ModelOptions } from './options.js';

/** Builds a CIFAR ResNet (`plain: false`) or plain net of the given depth (6n + 2). */
export function buildCifarResNet(depth: number, plain: boolean, opts: ModelOptions = {}, defaultName?: string): tfl.LayersModel {
  const name = defaultName ?? `${plain ? 'plain' : 'resnet'}${depth}`;
  validateOptions(name, opts, 'cifar');
  const widths = opts.widths ?? [16, 32, 64];
  if (!Array.isArray(widths) || widths.length !== 3 || widths.some((w) => !Number.isInteger(w) || w < 1)) {
    throw new Error(`${name}: widths must be three positive integers, got ${JSON.stringify(opts.widths)}`);
  }
  if (!Number.isInteger(depth) || depth < 8 || (depth - 2) % 6 !== 0) {
    throw new Error(`${name}: depth must be 6n + 2 with n ≥ 1 (20, 32, 44, 56, 110, 1202, …), got ${depth}`);
  }
  if (plain && opts.shortcut !== undefined && opts.shortcut !== 'none') {
    throw new Error(`${name}: plain nets have no shortcuts; got shortcut '${opts.shortcut}' (use the resnet${depth} model instead)`);
  }
  const n = (depth - 2) / 6;
  const shortcut: ShortcutType = plain ? 'none' : (opts.shortcut ?? 'zero-pad');
  const variant = opts.variant ?? 'v1.5';
  const bnEpsilon = opts.bnEpsilon ?? 1e-5;
  const bnMomentum = opts.bnMomentum ?? 0.9;
  const input = tfl.input({ shape: opts.inputShape ?? [32, 32, 3], name: 'input' });
  let x = tfl.layers
    .conv2d({ filters: widths[0], kernelSize: 3, strides: 1, padding: 'same', useBias: variant === 'v1', name: 'conv1', kernelInitializer: (opts.kernelInitializer ?? new KaimingNormal()) as never })
    .apply(input) as SymbolicTensor;
  if (variant !== 'v2') {
    x = tfl.layers.batchNormalization({ axis: -1, epsilon: bnEpsilon, momentum: bnMomentum, name: 'bn1' }).apply(x) as SymbolicTensor;
    x = tfl.layers.reLU({ name: 'relu' }).apply(x) as SymbolicTensor;
  }
  const total = 3 * n;
  let index = 0;
  widths.forEach((filters, s) => {
    for (let b = 0; b < n; b++) {
      x = basicBlock(x, {
        filters,
        strides: b === 0 && s > 0 ? 2 : 1,
        shortcut,
        variant,
        bnEpsilon,
        bnMomentum,
        zeroInitLastGamma: opts.zeroInitResidual ?? false,
        dropPathRate: plain ? 0 : blockDropRate(opts.dropPathRate ?? 0, index, total),
        name: `layer${s + 1}.${b}`,
        kernelInitializer: opts.kernelInitializer,
      });
      index++;
    }
  });
  return finishModel({ input, last: x, opts, bnEpsilon, bnMomentum, defaultClasses: 10, defaultName: name });
}
