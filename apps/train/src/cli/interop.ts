/**
 * The subcommands that carry a run to another framework and back (see
 * tools/resnet_ddp for PyTorch DDP): `export-data` writes the exact data split,
 * `import` loads a PyTorch state dict and evaluates it.
 */
import { type Command } from 'commander';
import { type BackendName, useBackend } from '../backend.js';
import { formatSplits } from '../commands/evaluate.js';
import { runExportData } from '../commands/export-data.js';
import { runImport } from '../commands/import.js';
import { checkModelName } from '../models.js';
import { allowSoftwareOption, backendOption, dataOption, testSizeOption, trainSizeOption } from './options.js';
import * as p from './parse.js';

/** Adds `export-data` and `import` to `program`; `io.out` receives what they print. */
export function addInteropCommands(program: Command, io: { out: (s: string) => void }): void {
  program
    .command('export-data')
    .description('write the exact train/test split resnet-train uses as OUT/train.safetensors and OUT/test.safetensors (for PyTorch: tools/resnet_ddp)')
    .addOption(dataOption().makeOptionMandatory())
    .requiredOption('--out <dir>', 'output folder')
    .addOption(trainSizeOption().default(0))
    .addOption(testSizeOption().default(0))
    .action((o: { data: string; out: string; trainSize?: number; testSize?: number }) => {
      const files = runExportData(o.data, o.out, { trainSize: o.trainSize || undefined, testSize: o.testSize || undefined });
      io.out(`wrote ${files.join(', ')}\n`);
    });

  program
    .command('import')
    .description('load a PyTorch state dict (safetensors, torchvision names) into a zoo model and evaluate it (inference mode)')
    .requiredOption('--weights <file>', 'safetensors state dict, e.g. tools/resnet_ddp/train_ddp.py OUT/model.safetensors')
    .requiredOption('--model <name>', 'zoo model the file holds, e.g. resnet20')
    .option('--widths <list>', "stage widths of a CIFAR ResNet/plain net (default: the file's)", p.intList)
    .addOption(dataOption().makeOptionMandatory())
    .addOption(backendOption())
    .addOption(allowSoftwareOption())
    .addOption(trainSizeOption().default(0))
    .addOption(testSizeOption().default(0))
    .option('--logits <file>', "write the test split's logits here (safetensors, for tools/resnet_ddp/evaluate.py --compare)")
    .option('--out <dir>', 'also write the model as tfjs model.json + weights.bin here')
    .option('--json', 'print the result as JSON')
    .action(async (o: { weights: string; model: string; widths?: number[]; data: string; backend: BackendName; allowSoftware?: boolean; trainSize?: number; testSize?: number; logits?: string; out?: string; json?: boolean }) => {
      checkModelName(o.model);
      await useBackend(o.backend, { quiet: !!o.json, allowSoftware: o.allowSoftware });
      const r = await runImport({ ...o, trainSize: o.trainSize || undefined, testSize: o.testSize || undefined });
      if (o.json) {
        io.out(`${JSON.stringify(r)}\n`);
        return;
      }
      io.out(`${r.model} (${r.params} parameters) from ${r.weights} on ${r.data}\n${formatSplits(r)}`);
      if (r.files.length) io.out(`wrote ${r.files.join(', ')}\n`);
    });
}
