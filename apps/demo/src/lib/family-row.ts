// One row of the ResNet family table (section 3), shared by the page's worker and the e2e test.
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { buildModel as BuildModel } from '@resnet/zoo';
import type { countMacs as CountMacs, countParams as CountParams } from '@resnet/analysis';

/** What the table shows for one model. */
export interface FamilyRow {
  name: string;
  /** Weighted layers on the main path (convs and fc, not projection shortcuts). */
  depth: number;
  /** Parameters, PyTorch convention. */
  torch: number;
  /** Parameters plus BN moving statistics, Keras / tfjs convention. */
  keras: number;
  /** Conv and fc multiply-accumulates per 224×224 image (the paper's and torchvision's convention). */
  macs: number;
}

/** Weighted layers on the main path: convolutions and the classifier, not the projection shortcuts. */
export function mainPathDepth(model: LayersModel): number {
  return model.layers.filter((l) => {
    const cls = l.getClassName();
    return (cls === 'Conv2D' || cls === 'Dense' || cls === 'GroupedConv2D') && !l.name.includes('downsample');
  }).length;
}

/**
 * Builds `name`, counts it and disposes it. The package functions are passed in
 * so that the worker and the Node test each use their own import of them.
 */
export function familyRow(name: string, buildModel: typeof BuildModel, countParams: typeof CountParams, countMacs: typeof CountMacs): FamilyRow {
  const model = buildModel(name); // untrained, and sync for any string (createModel may return a promise for a tag)
  try {
    const macs = countMacs(model);
    return {
      name,
      depth: mainPathDepth(model),
      torch: countParams(model, { convention: 'torch' }).total,
      keras: countParams(model).total,
      macs: macs.byKind.conv + macs.byKind.dense,
    };
  } finally {
    model.dispose();
  }
}
