// Every test file starts on the pure-JS cpu backend with the Node banner silenced;
// tests that need wasm select it themselves.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

tf.enableProdMode();
await tf.setBackend('cpu');
