// Section 3: ResNet-18…152 built live with @resnet/zoo, counted with
// @resnet/analysis, beside the published accuracy of the torchvision weights.
import * as tf from '@tensorflow/tfjs';
import { createModel } from '@resnet/zoo';
import { countMacs, countParams } from '@resnet/analysis';
import { renderChart } from '../charts';
import { $, el, fmtInt, nextFrame } from '../dom';
import meta from '../data/torchvision-meta.json';

/** The family, shallowest first. */
export const FAMILY = ['resnet18', 'resnet34', 'resnet50', 'resnet101', 'resnet152'] as const;

/** Weighted layers on the main path: convolutions and the classifier, not the projection shortcuts. */
export function mainPathDepth(model: tf.LayersModel): number {
  return model.layers.filter((l) => {
    const cls = l.getClassName();
    return (cls === 'Conv2D' || cls === 'Dense' || cls === 'GroupedConv2D') && !l.name.includes('downsample');
  }).length;
}

interface Row {
  name: string;
  depth: number;
  torch: number;
  keras: number;
  macs: number;
}

function rowElement(r: Row): HTMLTableRowElement {
  const m = meta[r.name as keyof typeof meta];
  const tr = el('tr', undefined, { 'data-model': r.name });
  const top1 = m.weights.map((w) => `${w.acc1.toFixed(2)}% (${w.name.replace('IMAGENET1K_', '')})`).join(', ');
  tr.append(
    el('td', r.name.replace('resnet', 'ResNet-')),
    el('td', String(r.depth), { 'data-field': 'depth', 'data-value': String(r.depth) }),
    el('td', fmtInt(r.torch), { 'data-field': 'torch', 'data-value': String(r.torch) }),
    el('td', fmtInt(r.keras), { 'data-field': 'keras', 'data-value': String(r.keras) }),
    el('td', `${(r.macs / 1e9).toFixed(2)} G`, { 'data-field': 'macs', 'data-value': String(r.macs) }),
    el('td', top1, { 'data-field': 'top1', 'data-value': String(m.weights[0]!.acc1) }),
  );
  return tr;
}

/** Builds each model in turn (disposing it before the next), fills the table, then draws the chart. */
export async function initFamily(): Promise<void> {
  const body = $('#family-table tbody');
  const rows: Row[] = [];
  for (const name of FAMILY) {
    const pending = el('tr', undefined, { 'data-model': name, 'aria-busy': 'true' });
    pending.append(el('td', name.replace('resnet', 'ResNet-')), el('td', 'building…', { colspan: '5' }));
    body.append(pending);
    await nextFrame();
    const before = tf.memory().numTensors;
    const model = createModel(name);
    // Conv and fc multiply-accumulates only: the convention of the paper and of torchvision's GFLOPS.
    const macs = countMacs(model);
    const r: Row = {
      name,
      depth: mainPathDepth(model),
      torch: countParams(model, { convention: 'torch' }).total,
      keras: countParams(model).total,
      macs: macs.byKind.conv + macs.byKind.dense,
    };
    model.dispose();
    if (tf.memory().numTensors !== before) console.warn(`${name}: ${tf.memory().numTensors - before} tensors left after dispose`);
    rows.push(r);
    pending.replaceWith(rowElement(r));
  }
  const values = rows.flatMap((r) =>
    meta[r.name as keyof typeof meta].weights.map((w) => ({
      model: r.name.replace('resnet', 'ResNet-'),
      weights: w.name.replace('IMAGENET1K_', ''),
      gmacs: r.macs / 1e9,
      top1: w.acc1,
    })),
  );
  await renderChart($('#family-chart'), {
    description: 'ImageNet top-1 of the torchvision weights against multiply-accumulates measured here',
    data: { values },
    layer: [
      {
        mark: { type: 'line', point: true, tooltip: true },
        encoding: {
          x: { field: 'gmacs', type: 'quantitative', title: 'GMACs per 224×224 image (measured here)', scale: { zero: false } },
          y: { field: 'top1', type: 'quantitative', title: 'top-1 (%)', scale: { zero: false } },
          color: { field: 'weights', type: 'nominal', title: 'torchvision weights' },
        },
      },
      {
        transform: [{ filter: "datum.weights === 'V1'" }],
        mark: { type: 'text', dy: -10, fontSize: 11 },
        encoding: {
          x: { field: 'gmacs', type: 'quantitative' },
          y: { field: 'top1', type: 'quantitative' },
          text: { field: 'model' },
        },
      },
    ],
  });
}
