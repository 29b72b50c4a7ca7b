import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../../packages/backend/src/index.js';
import { setSimdKernelsEnabled } from '../../packages/backend/src/wasm/simd-kernels.js';
tf.enableProdMode();
registerWasmTrainingKernels();
await tf.setBackend('wasm');
const shapes: Array<[number[], number[], number]> = [
  [[128, 32, 32, 16], [3, 3, 16, 16], 1], [[128, 16, 16, 32], [3, 3, 32, 32], 1], [[128, 8, 8, 64], [3, 3, 64, 64], 1],
  [[128, 32, 32, 16], [3, 3, 16, 32], 2], [[128, 32, 32, 3], [3, 3, 3, 16], 1],
];
function time(f: () => tf.Tensor, reps = 5): number {
  tf.dispose(f());
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) { const t = f(); t.dataSync(); t.dispose(); }
  return (performance.now() - t0) / reps;
}
for (const [xs, fs, s] of shapes) {
  const x = tf.randomNormal(xs) as tf.Tensor4D;
  const w = tf.randomNormal(fs) as tf.Tensor4D;
  const y = tf.conv2d(x, w, s, 'same');
  const fwd = time(() => tf.conv2d(x, w, s, 'same'));
  const bi = time(() => tf.conv2dTranspose(y, w, xs as [number, number, number, number], s, 'same'));
  setSimdKernelsEnabled(false);
  const bfOld = time(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy: y }, { strides: s, pad: 'same', dataFormat: 'NHWC', filterShape: fs }) as tf.Tensor);
  setSimdKernelsEnabled(true);
  const bfNew = time(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy: y }, { strides: s, pad: 'same', dataFormat: 'NHWC', filterShape: fs }) as tf.Tensor);
  const macs = y.size / fs[3]! * fs.reduce((a, b) => a * b) / 1e9;
  console.log(`${xs.join('x')} * ${fs.join('x')} s${s}: fwd ${fwd.toFixed(1)} ms (${(macs / fwd * 1e3).toFixed(1)} GMAC/s), bwd-input ${bi.toFixed(1)}, bwd-filter xnnpack ${bfOld.toFixed(1)} → simd ${bfNew.toFixed(1)} ms (${(macs / bfNew * 1e3).toFixed(1)} GMAC/s)`);
  tf.dispose([x, w, y]);
}
