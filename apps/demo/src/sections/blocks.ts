// Section 2: the three block kinds as diagrams, and their parameter counts twice:
// from the closed-form formula and from the block @resnet/blocks actually builds.
import * as tf from '@tensorflow/tfjs';
import { basicBlock, bottleneckBlock, projectionShortcut } from '@resnet/blocks';
import { countParams } from '@resnet/analysis';
import {
  basicBlockCount,
  bottleneckCount,
  bottleneckSaving,
  kerasCount,
  projectionCount,
  pytorchCount,
  type BlockCount,
} from '../lib/block-formulas.js';
import { $, el, fmtInt, labelCells, nextFrame } from '../dom.js';

type Kind = 'basic' | 'bottleneck' | 'projection';

interface Row {
  kind: Kind;
  label: string;
  formulaText: string;
  build: (d: number) => tf.LayersModel;
}

// Each block is wrapped in a one-block model on an 8×8 input: the spatial size does
// not change a convolution's parameter count, and a small map keeps building cheap.
const rows: Row[] = [
  {
    kind: 'basic',
    label: 'Basic (two 3×3)',
    formulaText: '2·9d² + 4d',
    build: (d) => {
      const x = tf.input({ shape: [8, 8, d] });
      return tf.model({ inputs: x, outputs: basicBlock(x, { filters: d, name: 'basic' }) });
    },
  },
  {
    kind: 'bottleneck',
    label: 'Bottleneck (1×1, 3×3, 1×1)',
    formulaText: 'd²/4 + 9d²/16 + d²/4 + 3d',
    build: (d) => {
      const x = tf.input({ shape: [8, 8, d] });
      return tf.model({ inputs: x, outputs: bottleneckBlock(x, { filters: d / 4, name: 'bottleneck' }) });
    },
  },
  {
    kind: 'projection',
    label: 'Projection shortcut (1×1, stride 2, d/2 → d)',
    formulaText: 'd²/2 + 2d',
    build: (d) => {
      const x = tf.input({ shape: [8, 8, d / 2] });
      return tf.model({ inputs: x, outputs: projectionShortcut(x, { filters: d, strides: 2, name: 'proj' }) });
    },
  },
];

const formulaOf: Record<Kind, (d: number) => BlockCount> = {
  basic: basicBlockCount,
  bottleneck: bottleneckCount,
  projection: projectionCount,
};

function diagram(title: string, steps: Array<[string, 'conv' | 'bn' | 'add']>, skip: string): HTMLElement {
  const box = el('div', undefined, { class: 'diagram' });
  box.append(el('h3', title));
  const ol = el('ol', undefined, { class: 'flow', 'aria-label': `${title} layers, top to bottom` });
  for (const [text, cls] of steps) ol.append(el('li', text, { class: cls }));
  box.append(ol, el('p', `shortcut: ${skip}`, { class: 'skip-label' }));
  return box;
}

function drawDiagrams(d: number): void {
  const w = d / 4;
  $('#block-diagrams').replaceChildren(
    diagram(
      'Basic block',
      [
        [`3×3 conv, ${d} → ${d}`, 'conv'],
        ['BN, ReLU', 'bn'],
        [`3×3 conv, ${d} → ${d}`, 'conv'],
        ['BN', 'bn'],
        ['+ x, then ReLU', 'add'],
      ],
      'identity x (dashed line)',
    ),
    diagram(
      'Bottleneck block',
      [
        [`1×1 conv, ${d} → ${w}`, 'conv'],
        ['BN, ReLU', 'bn'],
        [`3×3 conv, ${w} → ${w}`, 'conv'],
        ['BN, ReLU', 'bn'],
        [`1×1 conv, ${w} → ${d}`, 'conv'],
        ['BN', 'bn'],
        ['+ x, then ReLU', 'add'],
      ],
      'identity x (dashed line)',
    ),
    diagram(
      'Projection shortcut',
      [
        [`input: ${d / 2} channels, H×W`, 'bn'],
        [`1×1 conv, stride 2, ${d / 2} → ${d}`, 'conv'],
        ['BN', 'bn'],
        [`to the add: ${d} channels, H/2×W/2`, 'add'],
      ],
      'replaces the identity where a stage halves the map and doubles the width',
    ),
  );
}

async function update(d: number): Promise<void> {
  drawDiagrams(d);
  const body = $('#block-table tbody');
  const out: HTMLTableRowElement[] = [];
  for (const row of rows) {
    const f = formulaOf[row.kind](d);
    const model = row.build(d);
    const torch = countParams(model, { convention: 'torch' }).total;
    const keras = countParams(model).total;
    model.dispose();
    const agree = torch === pytorchCount(f) && keras === kerasCount(f);
    const tr = el('tr', undefined, { 'data-kind': row.kind, 'data-width': String(d) });
    tr.append(
      el('td', row.label),
      el('td', `${fmtInt(pytorchCount(f))} (${row.formulaText})`, { 'data-value': String(pytorchCount(f)), 'data-field': 'formula' }),
      el('td', fmtInt(torch), { 'data-value': String(torch), 'data-field': 'torch' }),
      el('td', fmtInt(keras), { 'data-value': String(keras), 'data-field': 'keras' }),
      el('td', agree ? 'yes' : 'NO', { class: agree ? 'ok' : 'bad', 'data-field': 'agree' }),
    );
    out.push(tr);
    await nextFrame();
  }
  body.replaceChildren(...out);
  labelCells($<HTMLTableElement>('#block-table'));
  const b = basicBlockCount(d).convWeights, n = bottleneckCount(d).convWeights;
  const saving = $('#bottleneck-saving');
  saving.dataset.value = String(bottleneckSaving(d));
  saving.textContent =
    `At width ${d}, a basic block needs ${fmtInt(b)} convolution weights and a bottleneck ${fmtInt(n)}: ` +
    `${bottleneckSaving(d).toFixed(2)}× fewer (288/17 ≈ 17× at every width). That is why ResNet-50 and deeper use ` +
    `bottlenecks: ${fmtInt(b)} / ${fmtInt(n)} weights for the same width in and out.`;
}

/** Wires the width slider and renders the diagrams and the count table. */
export async function initBlocks(): Promise<void> {
  const slider = $<HTMLInputElement>('#block-width');
  const out = $<HTMLOutputElement>('#block-width-out');
  let pending: Promise<void> = Promise.resolve();
  slider.addEventListener('input', () => {
    out.value = slider.value;
    const section = $('#blocks');
    section.dataset.state = 'pending';
    // Serialise rebuilds so a fast drag never builds two blocks at once.
    pending = pending.then(async () => {
      if (String(Number(slider.value)) !== out.value) return;
      try {
        await update(Number(slider.value));
        section.dataset.state = 'ready';
      } catch (e) {
        section.dataset.state = 'error';
        console.error('blocks update failed', e);
      }
    });
  });
  await update(Number(slider.value));
}
