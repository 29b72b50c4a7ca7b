/** Options several subcommands share, defined once. */
import { InvalidArgumentError, Option } from 'commander';
import { MAX_WASM_THREADS } from '@resnet/backend';
import { NODE_BACKENDS } from '../backend.js';
import { checkDataSpec, DATA_FORMS } from '../data/index.js';
import { recipeFields } from '../train/recipe.js';
import { nonNegativeInt, positiveInt } from './parse.js';

/** `--data <spec>`, checked for form (not loaded) while parsing. */
export const dataOption = (): Option =>
  new Option('--data <spec>', `dataset: ${DATA_FORMS}`).argParser((v: string) => {
    try {
      checkDataSpec(v);
    } catch (e) {
      throw new InvalidArgumentError(`valid: ${DATA_FORMS}.`);
    }
    return v;
  });

/** `--backend <name>` (the backends Node has), default auto. */
export const backendOption = (): Option =>
  new Option('--backend <name>', 'tfjs backend').choices([...NODE_BACKENDS]).default('auto');

/** `--allow-software`: a software WebGPU adapter may be used. */
export const allowSoftwareOption = (): Option =>
  new Option('--allow-software', 'let webgpu (or auto) use a software WebGPU adapter such as SwiftShader: correct, but it computes on the CPU');

/** `--train-size <n>`: only the first N training images (0 = all); the text is the recipe field's. */
export const trainSizeOption = (): Option =>
  new Option('--train-size <n>', recipeFields.shape.trainSize.description).argParser(nonNegativeInt);

/** `--test-size <n>`: only the first N test images (0 = all); the text is the recipe field's. */
export const testSizeOption = (): Option =>
  new Option('--test-size <n>', recipeFields.shape.testSize.description).argParser(nonNegativeInt);

/** `--wasm-threads <n>`: threads of @resnet/backend's wasm kernels (selectBackend's `wasmThreads`, which refuses a count out of range). */
export const wasmThreadsOption = (defaultText: string): Option =>
  new Option('--wasm-threads <n>', `threads of our wasm kernels (1 to ${MAX_WASM_THREADS}; default: ${defaultText}); other backends ignore it`).argParser(positiveInt);
