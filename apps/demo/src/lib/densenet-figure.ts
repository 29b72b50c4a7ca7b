// DenseNet figure of section 5: the width each dense layer sees, read from a
// DenseNet-121 built live by @resnet/residual.
import * as tfl from '@tensorflow/tfjs-layers';
import { densenet121 } from '@resnet/residual';
import { countParams } from '@resnet/analysis';

/** One dense layer: which block, its index in the block, and the channels it reads. */
export interface DenseLayerWidth {
  block: number;
  layer: number;
  inChannels: number;
}

/** What the figure shows. */
export interface DenseNetFigure {
  widths: DenseLayerWidth[];
  /** Parameters, PyTorch convention. */
  params: number;
  /** Growth rate k, read off two consecutive layers. */
  growth: number;
}

/**
 * Builds DenseNet-121, lists the input width of every dense layer (the input of its
 * first BatchNorm, 'features.denseblockB.denselayerL.norm1'), and disposes it.
 */
export function denseNetFigure(): DenseNetFigure {
  const model = densenet121({});
  try {
    const widths: DenseLayerWidth[] = [];
    for (const l of model.layers) {
      const m = /^features\.denseblock(\d+)\.denselayer(\d+)\.norm1$/.exec(l.name);
      if (!m) continue;
      const shape = (l.getInputAt(0) as tfl.SymbolicTensor).shape;
      widths.push({ block: Number(m[1]), layer: Number(m[2]), inChannels: shape[shape.length - 1]! });
    }
    return { widths, params: countParams(model, { convention: 'torch' }).total, growth: widths[1]!.inChannels - widths[0]!.inChannels };
  } finally {
    model.dispose();
  }
}
