/** resnet-train: the command-line entry (see cli/program.ts for the commands). */
import { run } from './cli/program.js';

const code = await run(process.argv.slice(2));
// tfjs backends keep handles open; exit explicitly with the command's code.
process.exit(code);
