/** Options several subcommands share, defined once. */
import { InvalidArgumentError, Option } from 'commander';
import { BACKEND_NAMES } from '../backend.js';
import { checkDataSpec, DATA_FORMS } from '../data/index.js';

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

/** `--backend <name>`, default auto. */
export const backendOption = (): Option =>
  new Option('--backend <name>', 'tfjs backend').choices([...BACKEND_NAMES]).default('auto');
