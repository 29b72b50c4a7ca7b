import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '@resnet/backend';
import { createModel } from '@resnet/zoo';
import { fuseForInference } from '@resnet/blocks';
tf.enableProdMode();
const info = await selectBackend('wasm', { wasmThreads: Number(process.argv[2] ?? 1) });
console.log(info.device);
const model = fuseForInference(createModel('resnet50') as tf.LayersModel);
const x = tf.randomNormal([1, 224, 224, 3]);
const stats = new Map<string, { ms: number; calls: number; macs: number }>();
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
for (const config of tf.getKernelsForBackend('wasm')) {
  if (!['FusedConv2D', 'ResnetConv2DResidual'].includes(config.kernelName)) continue;
  const orig = config.kernelFunc;
  (config as { kernelFunc: tf.KernelFunc }).kernelFunc = (args) => {
    const t0 = performance.now();
    const out = orig(args) as tf.TensorInfo;
    const ms = performance.now() - t0;
    const f = (args.inputs.filter as tf.TensorInfo).shape;
    const xs = (args.inputs.x as tf.TensorInfo).shape;
    const key = `${f.join('x')} s${JSON.stringify(args.attrs!.strides)} in ${xs.slice(1, 3).join('x')}`;
    const s = stats.get(key) ?? { ms: 0, calls: 0, macs: 0 };
    s.ms += ms; s.calls++; s.macs += out.shape.slice(0, 3).reduce((a, b) => a * b, 1) * f.reduce((a, b) => a * b, 1);
    stats.set(key, s);
    return out;
  };
}
for (let i = 0; i < 2; i++) tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync());
stats.clear();
const runs = 5;
const t0 = performance.now();
for (let i = 0; i < runs; i++) tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync());
console.log(`wall ${((performance.now() - t0) / runs).toFixed(1)} ms/run`);
let total = 0;
for (const [k, s] of [...stats].sort((a, b) => b[1].ms - a[1].ms)) {
  total += s.ms / runs;
  console.log(`${k.padEnd(36)} ${(s.ms / runs).toFixed(1).padStart(7)} ms  ${(s.calls / runs).toFixed(0).padStart(3)} calls  ${((s.macs / s.ms) / 1e6).toFixed(1).padStart(6)} GMAC/s`);
}
console.log(`conv total ${total.toFixed(1)} ms`);
