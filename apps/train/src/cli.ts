/** resnet-train: the command-line entry (see cli/program.ts for the commands). */
import * as tf from '@tensorflow/tfjs';
import { run } from './cli/program.js';

// Silences the "install the node backend" banner; @resnet/backend picks the backend.
tf.enableProdMode();

const code = await run(process.argv.slice(2));
// tfjs backends keep handles open; exit explicitly with the command's code.
process.exit(code);
