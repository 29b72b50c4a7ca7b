/**
 * Node only: the SIMD helper thread's loop (`wasm/simd-threads.ts` starts it
 * with `new Worker(source, { eval: true })`, a CommonJS script). Kept behind
 * `#platform` so that browser bundles, which never start it, do not carry it.
 *
 * It instantiates both builds of the kernels on the shared memory (the relaxed
 * one only where the engine accepts it), then runs each call it is given and
 * reports its own error text when one throws. The control words' states and
 * layout come in `workerData.words`.
 */
export const SIMD_HELPER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const { modules, memory, control, error, kernels, words } = workerData;
const { GO, DONE, FAILED, ARGS } = words;
const load = (bytes) => { try { return new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports; } catch { return null; } };
const builds = modules.map(load);
if (builds[0] == null) throw new Error('the SIMD kernels do not load on the helper thread');
const ctl = new Int32Array(control);
const text = new Uint8Array(error);
parentPort.postMessage('ready');
for (;;) {
  for (let s = Atomics.load(ctl, 0); s !== GO; s = Atomics.load(ctl, 0)) Atomics.wait(ctl, 0, s);
  let state = DONE;
  try {
    const k = builds[ctl[3]] || builds[0];
    k[kernels[ctl[1]]](...Array.from(ctl.subarray(ARGS, ARGS + ctl[2])));
  } catch (e) {
    state = FAILED;
    const bytes = new TextEncoder().encode(String(e)).subarray(0, text.length);
    text.set(bytes);
    ctl[4] = bytes.length;
  }
  Atomics.store(ctl, 0, state);
  Atomics.notify(ctl, 0);
}
`;
