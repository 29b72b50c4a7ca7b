// Section 3: ResNet-18…152 built live with @resnet/zoo, counted with
// @resnet/analysis, beside the published accuracy of the torchvision weights.
import { renderChart } from '../charts.js';
import { $, el, fmtInt, labelCells } from '../dom.js';
import type { FamilyRow } from '../lib/family-row.js';
import { familyWorker } from '../compute.js';
import meta from '../data/torchvision-meta.json';

/** The family, shallowest first. */
export const FAMILY = ['resnet18', 'resnet34', 'resnet50', 'resnet101', 'resnet152'] as const;

type Row = FamilyRow;

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

/** Fills the table as the worker builds each model, then draws the chart. */
export async function initFamily(): Promise<void> {
  const body = $('#family-table tbody');
  const pending = new Map<string, HTMLTableRowElement>();
  for (const name of FAMILY) {
    const tr = el('tr', undefined, { 'data-model': name, 'aria-busy': 'true' });
    tr.append(el('td', name.replace('resnet', 'ResNet-')), el('td', 'building…', { colspan: '5' }));
    pending.set(name, tr);
    body.append(tr);
  }
  const rows: Row[] = [];
  const worker = await familyWorker();
  for (const name of FAMILY) {
    const t0 = performance.now();
    const r = await worker.call<Row>('familyRow', { name });
    rows.push(r);
    const tr = rowElement(r);
    tr.dataset.ms = String(Math.round(performance.now() - t0));
    pending.get(r.name)!.replaceWith(tr);
    labelCells($<HTMLTableElement>('#family-table'));
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
