// Section 1: the degradation curves from the training app's results.json, and a
// live measurement of per-layer gradient norms at initialisation.
import { renderChart } from '../charts.js';
import { $, fmtInt } from '../dom.js';
import { measureGradients } from './gradient-flow.js';

/** The parts of the training app's results.json this page reads. */
interface Results {
  data: string;
  backend: string;
  recipe: { epochs: number; batchSize: number; lr: number; warmupEpochs: number; schedule: string; trainSize: number; preset: string };
  runs: Array<{
    model: string;
    residual: boolean;
    depth: number;
    params: number;
    epochs: Array<{ epoch: number; trainError: number; testError: number }>;
    final: { trainError: number; testError: number };
  }>;
}

const pretty = (m: string): string => m.replace(/^plain(\d+)$/, 'plain-$1').replace(/^resnet(\d+)$/, 'ResNet-$1');

async function drawCurves(): Promise<void> {
  const res = await fetch(new URL('results/degradation.json', document.baseURI));
  if (!res.ok) throw new Error(`could not load results/degradation.json: HTTP ${res.status}`);
  const r = (await res.json()) as Results;
  const values = r.runs.flatMap((run) =>
    run.epochs.map((e) => ({ model: pretty(run.model), kind: run.residual ? 'residual' : 'plain', epoch: e.epoch, error: e.trainError })),
  );
  const chart = $('#degradation-chart');
  chart.dataset.final = JSON.stringify(Object.fromEntries(r.runs.map((run) => [run.model, run.final.trainError])));
  await renderChart(chart, {
    description: 'Training error per epoch: plain networks dashed, residual networks solid',
    data: { values },
    mark: { type: 'line', point: true, tooltip: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } },
      y: { field: 'error', type: 'quantitative', title: 'training error', axis: { format: '.0%' } },
      color: { field: 'model', type: 'nominal', title: null },
      strokeDash: { field: 'kind', type: 'nominal', title: null, scale: { domain: ['residual', 'plain'], range: [[1, 0], [6, 3]] } },
    },
  });
  const rc = r.recipe;
  const finals = r.runs.map((run) => `${pretty(run.model)} ${(run.final.trainError * 100).toFixed(1)}%`).join(', ');
  $('#degradation-caption').textContent =
    `Final training error: ${finals}. ${rc.trainSize ? fmtInt(rc.trainSize) : 'All'} MNIST digits padded to 32×32, ` +
    `${rc.epochs} epochs, batch ${rc.batchSize}, lr ${rc.lr} with ${rc.warmupEpochs} epoch(s) of warmup then ${rc.schedule} ` +
    `(preset '${rc.preset}'), on ${r.backend}. Training error is the running error over each epoch's batches.`;
}

/** Renders the committed training curves and wires the gradient-norm measurement. */
export async function initDegradation(): Promise<void> {
  await drawCurves();
  const button = $<HTMLButtonElement>('#gf-run');
  const depth = $<HTMLSelectElement>('#gf-depth');
  const run = async () => {
    button.disabled = true;
    const fig = $('#gradflow-chart');
    fig.dataset.state = 'pending';
    try {
      await measureGradients(Number(depth.value));
      fig.dataset.state = 'ready';
    } catch (e) {
      fig.dataset.state = 'error';
      $('#gradflow-caption').textContent = `Measurement failed: ${e instanceof Error ? e.message : String(e)}`;
      console.error('gradient measurement failed', e);
    } finally {
      button.disabled = false;
    }
  };
  button.addEventListener('click', () => void run());
  await run();
}
