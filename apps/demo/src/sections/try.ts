// Section 6: draw a digit, the shipped MNIST ResNet classifies it.
import * as tf from '@tensorflow/tfjs';
import { renderChart } from '../charts.js';
import { $, el } from '../dom.js';
import { toMnist, type GrayImage } from '../lib/mnist-preprocess.js';
import { classify, loadMnistModels, loadTestDigits, type Prediction } from '../lib/mnist-model.js';
import { serialQueue } from '../lib/serial-queue.js';


function canvasImage(ctx: CanvasRenderingContext2D): GrayImage {
  const { width, height } = ctx.canvas;
  const rgba = ctx.getImageData(0, 0, width, height).data;
  const data = new Float32Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = (rgba[i * 4] ?? 0) / 255;
  return { width, height, data };
}

function clear(ctx: CanvasRenderingContext2D): void {
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
}

/**
 * A prediction takes well under a second once the backend is warm; the first,
 * on SwiftShader's WebGL in a busy 2-core machine, took 42 s (measured). One
 * still running after this has hung.
 */
const PREDICTION_TIMEOUT_MS = 90_000;

/** Throws when the backend's WebGL context is gone: tfjs would wait forever on it. */
function checkContext(): void {
  const gl = (tf.backend() as { gpgpu?: { gl?: WebGLRenderingContext } }).gpgpu?.gl;
  if (gl?.isContextLost()) throw new Error('the WebGL context was lost; reload the page to start a new one');
}

/** Says that a prediction failed; the next stroke tries again. */
function showFailure(error: unknown): void {
  const out = $('#prediction');
  delete out.dataset.label;
  $('#top3').replaceChildren();
  out.textContent = `The prediction failed (${error instanceof Error ? error.message : String(error)}). Draw again to retry.`;
  const canvas = $<HTMLCanvasElement>('#draw');
  canvas.dataset.failures = String(Number(canvas.dataset.failures ?? 0) + 1);
  console.warn('prediction failed:', error);
}

async function showPrediction(p: Prediction | null): Promise<void> {
  const out = $('#prediction');
  const list = $('#top3');
  if (!p) {
    out.textContent = 'Draw a digit.';
    delete out.dataset.label;
    list.replaceChildren();
    return;
  }
  out.dataset.label = String(p.top[0]!.label);
  out.textContent = `It looks like a ${p.top[0]!.label} (${(p.top[0]!.prob * 100).toFixed(1)}%).`;
  list.replaceChildren(
    ...p.top.map((t) => el('li', `${t.label}: ${(t.prob * 100).toFixed(1)}%`, { 'data-label': String(t.label), 'data-prob': String(t.prob) })),
  );
  await renderChart(
    $('#top3-chart'),
    {
      description: 'Probability of each digit class',
      data: { values: p.probs.map((v, label) => ({ digit: String(label), probability: v })) },
      mark: { type: 'bar', tooltip: true },
      encoding: {
        x: { field: 'digit', type: 'nominal', sort: null, axis: { labelAngle: 0 } },
        y: { field: 'probability', type: 'quantitative', scale: { domain: [0, 1] }, axis: { format: '.0%' } },
      },
    },
    140,
  );
}

/** Wires the drawing pad (pointer and keyboard) to the shipped model. */
export async function initTry(): Promise<void> {
  const canvas = $<HTMLCanvasElement>('#draw');
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('this browser gives no 2D canvas context');
  clear(ctx);
  const base = new URL('./', document.baseURI).href;
  const [models, samples] = await Promise.all([loadMnistModels(base, false), loadTestDigits(base)]);
  let sampleIndex = 0;

  // One prediction at a time, in order. One that fails or hangs (after a lost WebGL context,
  // tfjs's read-back never settles) is reported, and the next stroke runs as usual.
  const enqueue = serialQueue(showFailure, PREDICTION_TIMEOUT_MS);
  const run = () =>
    void enqueue(async (current) => {
      checkContext();
      const digit = toMnist(canvasImage(ctx));
      const p = digit ? await classify(models, digit) : null;
      if (!current()) return; // timed out meanwhile: a later prediction owns the output now
      await showPrediction(p);
      canvas.dataset.predictions = String(Number(canvas.dataset.predictions ?? 0) + 1);
      canvas.dataset.tensors = String(tf.memory().numTensors);
    });

  // Pointer drawing: one path per stroke, round caps so dots and joints look like ink.
  let drawing = false;
  const pos = (e: PointerEvent) => {
    const r = canvas.getBoundingClientRect();
    return [((e.clientX - r.left) / r.width) * canvas.width, ((e.clientY - r.top) / r.height) * canvas.height] as const;
  };
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.strokeStyle = '#fff';
  // Pen diameter on the 280×280 canvas; about 22 px becomes MNIST's 2–3 px stroke after the 20-px fit.
  const pen = $<HTMLInputElement>('#pen-width');
  const penOut = $<HTMLOutputElement>('#pen-width-out');
  ctx.lineWidth = Number(pen.value);
  pen.addEventListener('input', () => {
    penOut.value = pen.value;
    ctx.lineWidth = Number(pen.value);
  });
  canvas.addEventListener('pointerdown', (e) => {
    drawing = true;
    canvas.setPointerCapture(e.pointerId);
    const [x, y] = pos(e);
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.lineTo(x, y);
    ctx.stroke();
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!drawing) return;
    const [x, y] = pos(e);
    ctx.lineTo(x, y);
    ctx.stroke();
  });
  const end = () => {
    if (!drawing) return;
    drawing = false;
    run();
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);

  const doClear = () => {
    clear(ctx);
    run();
  };
  // A real MNIST test digit, scaled up, for readers without a pointer (and as a demo).
  const doSample = () => {
    const d = samples.images[sampleIndex++ % samples.count]!;
    const img = ctx.createImageData(28, 28);
    for (let i = 0; i < 784; i++) {
      const v = Math.round((d[i] ?? 0) * 255);
      img.data.set([v, v, v, 255], i * 4);
    }
    const tmp = document.createElement('canvas');
    tmp.width = tmp.height = 28;
    tmp.getContext('2d')!.putImageData(img, 0, 0);
    clear(ctx);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(tmp, 0, 0, canvas.width, canvas.height);
    run();
  };
  $('#draw-clear').addEventListener('click', doClear);
  $('#draw-sample').addEventListener('click', doSample);
  canvas.addEventListener('keydown', (e) => {
    if (e.key === 'c' || e.key === 'C' || e.key === 'Delete' || e.key === 'Backspace') {
      e.preventDefault();
      doClear();
    } else if (e.key === 's' || e.key === 'S') {
      e.preventDefault();
      doSample();
    }
  });
  canvas.dataset.ready = 'true';
}
