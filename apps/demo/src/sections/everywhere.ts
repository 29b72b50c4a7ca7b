// Section 5: residual connections beyond ResNets, each with a small live figure.
import { renderChart } from '../charts';
import { $ } from '../dom';
import { HIGHWAY_BIASES, HIGHWAY_SETUP, measureHighway, type HighwayPoint } from './highway-figure';

async function highway(): Promise<void> {
  const points: HighwayPoint[] = HIGHWAY_BIASES.map(measureHighway);
  const chart = $('#highway-chart');
  chart.dataset.values = JSON.stringify(points);
  const slider = $<HTMLInputElement>('#hw-bias');
  const out = $<HTMLOutputElement>('#hw-bias-out');
  const draw = async () => {
    const b = Number(slider.value);
    out.value = slider.value;
    const p = points.find((q) => q.bias === b)!;
    const values = points.flatMap((q) => [
      { bias: q.bias, value: q.meanGate, series: 'mean gate T (per layer)' },
      { bias: q.bias, value: q.inputCosine, series: `input kept: cos(x, output of ${HIGHWAY_SETUP.depth} layers)` },
    ]);
    await renderChart(
      chart,
      {
        description: 'Mean transform gate and input similarity against the gate bias',
        layer: [
          {
            data: { values },
            mark: { type: 'line', point: true, tooltip: true },
            encoding: {
              x: { field: 'bias', type: 'quantitative', title: 'gate bias b' },
              y: { field: 'value', type: 'quantitative', title: null, scale: { domain: [0, 1] } },
              color: { field: 'series', type: 'nominal', title: null },
            },
          },
          { data: { values: [{ bias: b }] }, mark: { type: 'rule', strokeDash: [4, 3] }, encoding: { x: { field: 'bias', type: 'quantitative' } } },
        ],
      },
      200,
    );
    $('#highway-caption').textContent =
      `At b = ${b}: the gates are ${(p.meanGate * 100).toFixed(0)}% open on average, and after ${HIGHWAY_SETUP.depth} fresh ` +
      `highway layers the output still points along the input (cosine ${p.inputCosine.toFixed(2)}). ` +
      `Srivastava et al. start at b = −1 to −3 for exactly this reason.`;
  };
  slider.addEventListener('input', () => void draw().catch((e) => console.error('highway chart failed', e)));
  await draw();
}

/** Renders the highway, DenseNet and pre-/post-norm figures. */
export async function initEverywhere(): Promise<void> {
  await highway();
}
