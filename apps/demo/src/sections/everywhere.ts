// Section 5: residual connections beyond ResNets, each with a small live figure.
import { renderChart } from '../charts.js';
import { $ } from '../dom.js';
import { figuresWorker } from '../compute.js';
import type { DenseNetFigure } from '../lib/densenet-figure.js';
import type { HighwayPoint } from '../lib/highway-figure.js';
import type { NormFigure } from '../lib/norm-figure.js';
import { HIGHWAY_SETUP, NORM_SETUP } from '../lib/setups.js';

async function highway(): Promise<void> {
  const points = await (await figuresWorker()).call<HighwayPoint[]>('highway');
  const chart = $('#highway-chart');
  chart.dataset.values = JSON.stringify(points);
  const slider = $<HTMLInputElement>('#hw-bias');
  const out = $<HTMLOutputElement>('#hw-bias-out');
  const draw = async () => {
    const b = Number(slider.value);
    out.value = slider.value;
    const p = points.find((q) => q.bias === b)!;
    const values = points.flatMap((q) => [
      { bias: q.bias, value: q.meanGate, series: 'mean gate T' },
      { bias: q.bias, value: q.inputCosine, series: 'cos(input, output)' },
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

async function densenet(): Promise<void> {
  const { widths, params, growth } = await (await figuresWorker()).call<DenseNetFigure>('densenet');
  const chart = $('#densenet-chart');
  chart.dataset.values = JSON.stringify(widths.map((w) => w.inChannels));
  chart.dataset.params = String(params);
  await renderChart(
    chart,
    {
      description: 'Input channels of each dense layer of DenseNet-121',
      data: { values: widths.map((w, i) => ({ ...w, index: i + 1, blockName: `block ${w.block}` })) },
      mark: { type: 'bar', tooltip: true },
      encoding: {
        x: { field: 'index', type: 'ordinal', title: 'dense layer (1–58)', axis: { values: [1, 7, 19, 43, 58] } },
        y: { field: 'inChannels', type: 'quantitative', title: 'input channels' },
        color: { field: 'blockName', type: 'nominal', title: null },
      },
    },
    200,
  );
  const ends = [1, 2, 3, 4].map((b) => {
    const ws = widths.filter((w) => w.block === b);
    return `${ws[0]!.inChannels}→${ws[ws.length - 1]!.inChannels + growth}`;
  });
  $('#densenet-caption').textContent =
    `DenseNet-121 built here (${params.toLocaleString('en-US')} parameters, as torchvision's 7,978,856): growth k = ${growth}; ` +
    `each block's width runs ${ends.join(', ')}, and each transition halves it.`;
}

async function norms(): Promise<void> {
  const { post, pre } = await (await figuresWorker()).call<NormFigure>('norm');
  const chart = $('#norm-chart');
  chart.dataset.values = JSON.stringify({ post, pre });
  await renderChart(
    chart,
    {
      description: 'Gradient norm of each layer FFN weights at initialisation, post-norm and pre-norm',
      data: {
        values: [
          ...post.map((g, i) => ({ layer: i + 1, grad: g, norm: 'post-norm' })),
          ...pre.map((g, i) => ({ layer: i + 1, grad: g, norm: 'pre-norm' })),
        ],
      },
      mark: { type: 'line', point: true, tooltip: true },
      encoding: {
        x: { field: 'layer', type: 'ordinal', title: 'encoder layer (input → output)', axis: { labelAngle: 0 } },
        y: { field: 'grad', type: 'quantitative', title: '‖dLoss / dW_FFN‖', scale: { type: 'log', nice: false, padding: 8 } },
        color: { field: 'norm', type: 'nominal', title: null },
      },
    },
    200,
  );
  const L = NORM_SETUP.depth;
  $('#norm-caption').textContent =
    `${L}-layer encoders (d = ${NORM_SETUP.dModel}) built here, one batch at initialisation. Last layer over first: ` +
    `post-norm ${(post[L - 1]! / post[0]!).toFixed(2)}×, pre-norm ${(pre[L - 1]! / pre[0]!).toFixed(2)}×; at the output post-norm's ` +
    `gradient is ${(post[L - 1]! / pre[L - 1]!).toFixed(1)}× pre-norm's (Xiong et al.: about √L = ${Math.sqrt(L).toFixed(1)}) — ` +
    `why post-norm transformers need a learning-rate warmup.`;
}

/** Renders the highway, DenseNet and pre-/post-norm figures. */
export async function initEverywhere(): Promise<void> {
  for (const [id, fig] of [['highway', highway], ['densenet', densenet], ['norm', norms]] as const) {
    const t0 = performance.now();
    await fig();
    $(`#${id}-chart`).dataset.ms = String(Math.round(performance.now() - t0));
  }
}
