// The numbers the page must show, computed here in Node with the same @resnet
// packages (their built dist, as any consumer) and the page's own measurement
// code (src/lib, loaded through tsx). The figures run on the wasm backend with
// @resnet/backend's training kernels, as the page's compute worker does.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '@resnet/backend';
import { basicBlock, bottleneckBlock, projectionShortcut } from '@resnet/blocks';
import { countParams, pathLengthDistribution } from '@resnet/analysis';
import { highwayFigure } from '../src/lib/highway-figure.ts';
import { normFigure } from '../src/lib/norm-figure.ts';
import { denseNetFigure } from '../src/lib/densenet-figure.ts';
import { gradientProfile } from '../src/lib/gradients.ts';
import { lesions } from '../src/lib/lesion-study.ts';
import { GRADIENT_KINDS } from '../src/lib/setups.ts';

tf.enableProdMode();
await tf.setBackend('wasm');
registerWasmTrainingKernels();

const pub = join(dirname(fileURLToPath(import.meta.url)), '..', 'public');

export { pathLengthDistribution, highwayFigure, normFigure, denseNetFigure };

/** Built-block counts at width d: { basic|bottleneck|projection: { torch, keras } }. */
export function blockCounts(d) {
  const one = (cin, f) => {
    const x = tf.input({ shape: [8, 8, cin] });
    const m = tf.model({ inputs: x, outputs: f(x) });
    const r = { torch: countParams(m, { convention: 'torch' }).total, keras: countParams(m).total };
    m.dispose();
    return r;
  };
  return {
    basic: one(d, (x) => basicBlock(x, { filters: d, name: 'basic' })),
    bottleneck: one(d, (x) => bottleneckBlock(x, { filters: d / 4, name: 'bottleneck' })),
    projection: one(d / 2, (x) => projectionShortcut(x, { filters: d, strides: 2, name: 'proj' })),
  };
}

/** The three gradient profiles the page draws at `depth`. */
export async function gradientProfiles(depth) {
  const out = [];
  for (const kind of GRADIENT_KINDS) out.push(await gradientProfile(depth, kind));
  return out;
}

/** Loads a shipped tfjs model from public/models without fetch. */
async function loadShipped(dir) {
  const json = JSON.parse(readFileSync(join(pub, 'models', dir, 'model.json'), 'utf8'));
  const buffers = json.weightsManifest.flatMap((g) => g.paths.map((p) => readFileSync(join(pub, 'models', dir, p))));
  const total = Buffer.concat(buffers);
  const weightData = total.buffer.slice(total.byteOffset, total.byteOffset + total.byteLength);
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest.flatMap((g) => g.weights), weightData }));
}

/**
 * The lesion study of the shipped plain twin on the shipped test digits, as the page
 * runs it (the ResNet's is checked against resnet-train's own lesion command instead).
 */
export async function plainLesionStudy() {
  const meta = JSON.parse(readFileSync(join(pub, 'models', 'mnist-meta.json'), 'utf8'));
  const { labels } = JSON.parse(readFileSync(join(pub, 'data', 'mnist-test.json'), 'utf8'));
  const bytes = readFileSync(join(pub, 'data', 'mnist-test.bin'));
  const pad = (meta.inputSize - 28) / 2;
  const x = tf.tidy(() =>
    tf.tensor4d(Float32Array.from(bytes, (b) => b / 255), [labels.length, 28, 28, 1])
      .sub(meta.mean).div(meta.std)
      .pad([[0, 0], [pad, pad], [pad, pad], [0, 0]], (0 - meta.mean) / meta.std),
  );
  const y = tf.tensor1d(labels, 'int32');
  const plain = await loadShipped('mnist-plain');
  const r = await lesions(plain, x, y);
  tf.dispose([x, y]);
  plain.dispose();
  return r;
}
