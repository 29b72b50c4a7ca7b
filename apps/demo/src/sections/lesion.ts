// The lesion study of section 4 on the shipped MNIST ResNet and its plain twin,
// run in the compute worker (wasm): 2 models × ~10 passes over 500 digits.
import { renderChart } from '../charts.js';
import { figuresWorker } from '../compute.js';
import { $ } from '../dom.js';
import type { LesionFigure } from '../lib/lesion-study.js';

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

/** Deletes one block at a time from each shipped model (in the worker) and charts the test error. */
export async function initLesion(): Promise<void> {
  const base = new URL('./', document.baseURI).href;
  const { resnet: res, plain: pln, count, trainedWith } = await (await figuresWorker()).call<LesionFigure>('lesion', { base });
  const rows = [
    ...res.blocks.map((b) => ({ model: 'ResNet', block: b.name, error: b.error })),
    ...pln.blocks.map((b) => ({ model: 'plain twin', block: b.name, error: b.error })),
  ];
  const chart = $('#lesion-chart');
  chart.dataset.values = JSON.stringify({ resnet: res, plain: pln });
  await renderChart(chart, {
    description: 'Test error after deleting each block, ResNet and plain twin',
    layer: [
      {
        data: { values: rows },
        mark: { type: 'bar', tooltip: true },
        encoding: {
          x: { field: 'block', type: 'nominal', sort: null, title: 'deleted block', axis: { labelAngle: -45 } },
          xOffset: { field: 'model', type: 'nominal' },
          y: { field: 'error', type: 'quantitative', title: 'test error', axis: { format: '.0%' }, scale: { domain: [0, 1] } },
          color: { field: 'model', type: 'nominal', title: null, scale: { domain: ['ResNet', 'plain twin'] } },
        },
      },
      {
        data: { values: [{ model: 'ResNet', error: res.baselineError }, { model: 'plain twin', error: pln.baselineError }] },
        mark: { type: 'rule', strokeDash: [4, 3] },
        encoding: { y: { field: 'error', type: 'quantitative' }, color: { field: 'model', type: 'nominal' } },
      },
    ],
  });
  const resErr = res.blocks.map((b) => b.error);
  const plainErr = pln.blocks.map((b) => b.error);
  const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
  $('#lesion-caption').textContent =
    `${count} held-out MNIST digits. ResNet: ${pct(res.baselineError)} intact; deleting one block gives ${pct(mean(resErr))} on average ` +
    `(worst ${pct(Math.max(...resErr))}). Plain twin: ${pct(pln.baselineError)} intact; deleting one block gives ${pct(mean(plainErr))} on average ` +
    `(worst ${pct(Math.max(...plainErr))}; its stride-2 blocks change the shape and cannot be deleted). Dashed lines: intact networks. ` +
    `Models: ${trainedWith}`;
}
