// Every test file starts on the pure-JS cpu backend with the Node banner silenced;
// tests that need wasm or webgpu select it themselves. WebGPU tests run on
// SwiftShader (a software Vulkan from Debian's chromium) unless a driver is named.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { useSoftwareVulkan } from './software-vulkan.js';

useSoftwareVulkan();
tf.enableProdMode();
await tf.setBackend('cpu');
