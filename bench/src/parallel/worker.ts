// One data-parallel replica: its own wasm backend and model copy, half the batch.
// Gradients are exchanged through a SharedArrayBuffer and averaged by every
// replica, which then applies the same update, so the weights stay identical.
import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '@resnet/backend';
import { createModel } from '@resnet/zoo';
import type { FromWorker, InitMessage, ToWorker } from './protocol.js';

const port = parentPort!;
const send = (m: FromWorker) => port.postMessage(m);
tf.enableProdMode();

let init: InitMessage;
let model: tf.LayersModel;
let vars: tf.Variable[];
let offsets: number[];
let total = 0;
const opt = tf.train.momentum(0.1, 0.9);

port.on('message', async (m: ToWorker) => {
  try {
    if (m.cmd === 'init') {
      init = m;
      const info = await selectBackend('wasm', { wasmThreads: 1 }); // one replica per core already
      const built = { model: createModel('resnet20'), label: 'resnet20' };
      model = built.model;
      vars = model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
      offsets = [];
      for (const v of vars) { offsets.push(total); total += v.size; }
      const weights = m.rank === 0 ? model.getWeights().map((w) => Float32Array.from(w.dataSync() as Float32Array)) : undefined;
      send({ kind: 'ready', params: total, weights, device: info.device, label: built.label });
    } else if (m.cmd === 'weights') {
      const ws = model.getWeights().map((w, i) => tf.tensor(m.weights[i]!, w.shape));
      model.setWeights(ws);
      tf.dispose(ws);
      send({ kind: 'applied' });
    } else if (m.cmd === 'grads') {
      const local = init.batch / init.world;
      const xs = new Float32Array(init.x, init.rank * local * 32 * 32 * 3 * 4, local * 32 * 32 * 3);
      const ys = new Float32Array(init.y, init.rank * local * 10 * 4, local * 10);
      const loss = tf.tidy(() => {
        const x = tf.tensor4d(xs, [local, 32, 32, 3]);
        const y = tf.tensor2d(ys, [local, 10]);
        const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, vars);
        const slot = new Float32Array(init.grads, init.rank * total * 4, total);
        vars.forEach((v, i) => slot.set(grads[v.name]!.dataSync() as Float32Array, offsets[i]));
        return value.dataSync()[0]!;
      });
      send({ kind: 'loss', loss });
    } else if (m.cmd === 'apply') {
      const all = new Float32Array(init.grads, 0, total * init.world);
      const avg = new Float32Array(total);
      for (let r = 0; r < init.world; r++) for (let i = 0, o = r * total; i < total; i++) avg[i] = avg[i]! + all[o + i]!;
      for (let i = 0; i < total; i++) avg[i] = avg[i]! / init.world;
      tf.tidy(() => opt.applyGradients(vars.map((v, i) => ({ name: v.name, tensor: tf.tensor(avg.subarray(offsets[i]!, offsets[i]! + v.size), v.shape) }))));
      send({ kind: 'applied' });
    } else if (m.cmd === 'check') {
      send({ kind: 'checked', weights: vars.map((v) => Float32Array.from(v.dataSync() as Float32Array)) });
    } else if (m.cmd === 'exit') {
      process.exit(0);
    }
  } catch (err) {
    send({ kind: 'error', message: (err as Error).stack ?? String(err) });
  }
});
