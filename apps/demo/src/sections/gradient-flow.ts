// Live gradient norms at initialisation (section 1): plain vs residual vs
// residual with zero-initialised last BN gamma, at the depth the reader picks.
import { renderChart } from '../charts.js';
import { $, nextFrame } from '../dom.js';
import { figuresWorker } from '../compute.js';
import type { GradientProfile } from '../lib/gradients.js';
import { GRADIENT_KINDS, GRADIENT_SETUP } from '../lib/setups.js';

const LABEL: Record<(typeof GRADIENT_KINDS)[number], string> = {
  plain: 'plain',
  resnet: 'ResNet',
  'resnet-zero-gamma': 'ResNet, last BN γ = 0',
};

const fmtRatio = (r: number) => (r >= 1000 ? r.toExponential(1).replace('e+', '×10^') : r.toPrecision(2));

/** Measures and charts per-layer gradient norms of the three nets of the given depth. */
export async function measureGradients(depth: number): Promise<void> {
  const cap = $('#gradflow-caption');
  const worker = await figuresWorker();
  const profiles: GradientProfile[] = [];
  for (const kind of GRADIENT_KINDS) {
    cap.textContent = `Measuring ${LABEL[kind]}-${depth} (in a worker, tfjs ${worker.backend} backend)…`;
    await nextFrame();
    profiles.push(await worker.call<GradientProfile>('gradientProfile', { depth, kind }));
  }
  const chart = $('#gradflow-chart');
  chart.dataset.depth = String(depth);
  chart.dataset.values = JSON.stringify(profiles.map((p) => ({ kind: p.kind, norms: p.norms, ratio: p.ratio })));
  await renderChart(chart, {
    description: `Gradient norm at each block output of ${depth}-layer networks at initialisation`,
    data: { values: profiles.flatMap((p) => p.norms.map((n, i) => ({ net: LABEL[p.kind], block: i, norm: n, at: p.points[i] }))) },
    mark: { type: 'line', point: { size: 18 }, tooltip: true },
    encoding: {
      x: { field: 'block', type: 'quantitative', title: 'block (0 = stem; input side → output side)', axis: { tickMinStep: 1 } },
      y: { field: 'norm', type: 'quantitative', title: '‖dLoss / d activation‖', scale: { type: 'log' } },
      color: { field: 'net', type: 'nominal', title: null, sort: GRADIENT_KINDS.map((k) => LABEL[k]) },
    },
  });
  const by = Object.fromEntries(profiles.map((p) => [p.kind, p]));
  cap.textContent =
    `Depth ${depth}, one batch of ${GRADIENT_SETUP.batch} random images, BatchNorm in training mode; the gradient is measured ` +
    `at each block's sum, before its ReLU. From the last block back to the stem it grows ${fmtRatio(by.plain!.ratio)}× in the ` +
    `plain net and ${fmtRatio(by.resnet!.ratio)}× in the ResNet; with the last BN γ of every block at zero (each block starts as ` +
    `the identity) it is ${fmtRatio(by['resnet-zero-gamma']!.ratio)}×.` +
    (depth < 56 ? ' Pick 56 or 110: deep plain nets explode (Yang et al. 2019).' : '');
}
