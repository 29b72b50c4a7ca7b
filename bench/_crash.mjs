import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '@resnet/backend';
const mode = process.argv[2] ?? 'wasm';
const info = await selectBackend(mode);
console.log('selected', info.name, info.fallbacks);
if (process.argv[3] === 'reject') Promise.reject(new Error('caller rejection'));
else setTimeout(() => { throw new Error('caller boom'); }, 10);
