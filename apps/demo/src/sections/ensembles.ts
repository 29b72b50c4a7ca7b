// Section 4: the path-length distribution of n residual blocks (Veit et al. 2016)
// and the lesion study on the shipped MNIST models.
import { pathLengthDistribution } from '@resnet/analysis';
import { renderChart } from '../charts.js';
import { centralRange, meanLength } from '../lib/paths.js';
import { $, fmtInt } from '../dom.js';
import { initLesion } from './lesion.js';

async function drawPaths(n: number): Promise<void> {
  const p = pathLengthDistribution(n);
  const chart = $('#paths-chart');
  chart.dataset.n = String(n);
  chart.dataset.values = JSON.stringify(p);
  await renderChart(chart, {
    description: `Share of the 2^${n} paths by length`,
    data: { values: p.map((v, k) => ({ length: k, share: v })) },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      // Ordinal: one band per length, so bars stay visible for small n; labels thin out by themselves.
      x: { field: 'length', type: 'ordinal', title: 'path length (residual branches passed)', axis: { labelAngle: 0, labelOverlap: 'parity' } },
      y: { field: 'share', type: 'quantitative', title: 'share of paths', axis: { format: '.0%' } },
    },
  });
  const r = centralRange(p);
  const cap = $('#paths-caption');
  cap.dataset.mean = String(meanLength(p));
  cap.dataset.lo = String(r.lo);
  cap.dataset.hi = String(r.hi);
  const count = n <= 40 ? fmtInt(2 ** n) : `2^${n} ≈ ${(2 ** n).toExponential(2)}`;
  cap.textContent =
    `${n} blocks: ${count} paths, mean length ${meanLength(p).toFixed(1)}; ` +
    `${(r.mass * 100).toFixed(1)}% of them have lengths ${r.lo}–${r.hi}. ` +
    (n === 54 ? 'ResNet-110 has 54 blocks: Veit et al. report 95% of its paths between 19 and 35.' : '');
}

/** Path-length slider and chart, then the lesion study. */
export async function initEnsembles(): Promise<void> {
  const slider = $<HTMLInputElement>('#paths-n');
  const out = $<HTMLOutputElement>('#paths-n-out');
  slider.addEventListener('input', () => {
    out.value = slider.value;
    void drawPaths(Number(slider.value)).catch((e) => console.error('path chart failed', e));
  });
  await drawPaths(Number(slider.value));
  await initLesion();
}
