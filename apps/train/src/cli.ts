/** resnet-train: the command-line entry (see cli/program.ts for the commands). */
import * as tf from '@tensorflow/tfjs';
import { run } from './cli/program.js';
import { signalExitCode } from './cli/signals.js';

// Silences the "install the node backend" banner; @resnet/backend picks the backend.
tf.enableProdMode();

// `--help` lists the commands and `<command> --help` their flags (commander).
const code = await run(process.argv.slice(2));
if (code === signalExitCode('SIGHUP')) {
  // After a hang-up Node 20 aborts in its own exit path (restoring the gone terminal:
  // nodejs/node#51519), so end by the signal itself, which shells report as the same 129.
  process.removeAllListeners('SIGHUP');
  process.kill(process.pid, 'SIGHUP');
}
// tfjs backends keep handles open; exit explicitly with the command's code.
process.exit(code);
