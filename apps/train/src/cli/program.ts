/**
 * The `resnet-train` command line: subcommands, flags, validation and exit
 * codes (0 done, 1 error, 3 loss or update became NaN/Inf, 128 + the signal's
 * number when stopped by SIGINT, SIGTERM or SIGHUP: 130, 143, 129).
 * `run(argv)` returns the exit code instead of exiting, so tests call it in-process.
 */
import { availableParallelism } from 'node:os';
import { Command, CommanderError, Option } from 'commander';
import { type BackendName, useBackend } from '../backend.js';
import { addConvertCommand } from '../commands/convert.js';
import { runDegradation } from '../commands/degradation.js';
import { runDownload } from '../commands/download.js';
import { EXPORT_TARGETS, runExport } from '../commands/export.js';
import { runLesion } from '../commands/lesion.js';
import { EXIT, runTrainJob } from '../commands/train.js';
import { checkModelName } from '../models.js';
import { type ReporterMode } from '../output/reporter.js';
import { DEGRADATION_MODELS, PRESETS, type PresetName, preset } from '../train/presets.js';
import { defaultRecipe } from '../train/recipe.js';
import { formatSplits, runEval } from '../commands/evaluate.js';
import { addInteropCommands } from './interop.js';
import { allowSoftwareOption, backendOption, dataOption, testSizeOption, trainSizeOption, wasmThreadsOption } from './options.js';
import * as p from './parse.js';
import { addRecipeOptions, recipeFromFlags } from './recipe-options.js';
import { installStopHandler } from './signals.js';

/** Where the program writes (tests capture it). */
export interface ProgramIo {
  out: (s: string) => void;
  err: (s: string) => void;
}

const defaultIo: ProgramIo = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

function output(json: boolean | undefined): ReporterMode {
  return json ? 'json' : 'auto';
}

/** Builds the commander program; actions store their exit code in `result.code`. */
function buildProgram(io: ProgramIo = defaultIo, result: { code: number } = { code: 0 }): Command {
  const program = new Command('resnet-train')
    .description('Train, evaluate, lesion and export residual networks with TensorFlow.js; reproduce the degradation experiment of He et al. 2015.')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride();

  const quick = preset('quick');
  const he2015 = preset('he2015');
  addRecipeOptions(
    program
      .command('train')
      .description('train one zoo model; checkpoints every epoch into OUT/checkpoint')
      .requiredOption('--model <name>', 'zoo model, e.g. resnet20, plain56, resnet18')
      .addOption(dataOption().default('mnist'))
      .addOption(backendOption())
      .addOption(allowSoftwareOption())
      .addOption(wasmThreadsOption('the CPU cores'))
      .option('--seed <n>', 'seed of initialisation, shuffling and augmentation', p.integer, 1)
      .requiredOption('--out <dir>', 'output folder')
      .option('--resume', 'continue from OUT/checkpoint exactly where it stopped')
      .option('--stop-after <epochs>', 'stop (checkpointed) after this many epochs of this invocation; continue with --resume', p.positiveInt)
      .option('--json', 'print one JSON event per line on stdout'),
    defaultRecipe(),
  ).action(async (o: { model: string; data: string; backend: BackendName; allowSoftware?: boolean; wasmThreads?: number; seed: number; out: string; resume?: boolean; stopAfter?: number; json?: boolean }, cmd: Command) => {
    const recipe = recipeFromFlags(defaultRecipe(), cmd);
    checkModelName(o.model);
    const backend = await useBackend(o.backend, { allowSoftware: o.allowSoftware, wasmThreads: o.wasmThreads });
    const stop = installStopHandler(io.err);
    try {
      const { outcome } = await runTrainJob(
        { model: o.model, data: o.data, recipe, seed: o.seed, out: o.out, resume: !!o.resume, stopAfter: o.stopAfter, output: output(o.json) },
        backend,
        stop.signal,
      );
      result.code = outcome.status === 'diverged' ? EXIT.diverged : outcome.status === 'interrupted' ? stop.signal.code : EXIT.ok;
    } finally {
      stop.remove();
    }
  });

  addRecipeOptions(
    program
      .command('degradation')
      .description('train plain-20/56 and ResNet-20/56 with one recipe; write results.json, curves.svg/png, report.md')
      .option('--quick', 'the quick recipe for a 2-core CPU (default)')
      .addOption(new Option('--preset <name>', 'recipe preset: quick, or he2015 (the paper\'s CIFAR-10 recipe, for a GPU)').choices([...PRESETS]).default('quick'))
      .addOption(dataOption().default(quick.data, `${quick.data}; he2015: ${he2015.data}`))
      .addOption(backendOption())
      .addOption(allowSoftwareOption())
      .addOption(wasmThreadsOption('the CPU cores, shared out among the --jobs'))
      .option('--seed <n>', 'seed shared by all four runs', p.integer, 1)
      .option('--out <dir>', 'output folder (default runs/degradation-<preset>)')
      .option('--jobs <n>', 'runs in parallel, each in its own process (default: min(2, CPU cores); 1 on webgpu)', p.positiveInt)
      .option('--models <list>', 'models to train', p.nameList, DEGRADATION_MODELS)
      .option('--resume', 'skip finished runs and continue unfinished ones')
      .option('--overwrite', 'delete the runs of an earlier experiment in OUT first (pnpm start uses this)')
      .option('--json', 'print one JSON event per line on stdout'),
    quick.recipe,
    { name: 'he2015', recipe: he2015.recipe },
  ).action(async (o: { overwrite?: boolean; quick?: boolean; preset: PresetName; data: string; backend: BackendName; allowSoftware?: boolean; wasmThreads?: number; seed: number; out?: string; jobs?: number; models: string[]; resume?: boolean; json?: boolean }, cmd: Command) => {
    if (o.quick && o.preset !== 'quick') throw new Error(`--quick and --preset ${o.preset} contradict each other; give one`);
    if (o.overwrite && o.resume) throw new Error('--overwrite and --resume contradict each other; give one');
    const name = o.preset;
    const base = preset(name);
    const recipe = recipeFromFlags(base.recipe, cmd);
    const data = cmd.getOptionValueSource('data') === 'cli' ? o.data : base.data;
    o.models.forEach(checkModelName);
    const backend = await useBackend(o.backend, { allowSoftware: o.allowSoftware, wasmThreads: o.wasmThreads });
    // One GPU is one device: runs share it better in one process, one after another.
    const jobs = o.jobs ?? (backend.name === 'webgpu' ? 1 : Math.min(2, availableParallelism()));
    const stop = installStopHandler(io.err);
    try {
      const code = await runDegradation(
        {
          preset: name,
          recipe,
          data,
          out: o.out ?? `runs/degradation-${name}`,
          seed: o.seed,
          backend: o.backend,
          allowSoftware: !!o.allowSoftware,
          jobs,
          // Parallel runs share the cores rather than each starting a kernel worker on every one.
          wasmThreads: o.wasmThreads ?? Math.max(1, Math.floor(availableParallelism() / jobs)),
          output: output(o.json),
          resume: !!o.resume,
          overwrite: !!o.overwrite,
          models: o.models,
        },
        backend,
        stop.signal,
      );
      result.code = code === EXIT.interrupted ? stop.signal.code : code;
    } finally {
      stop.remove();
    }
  });

  program
    .command('eval')
    .description('error and loss of a checkpoint on the training and test splits (inference mode)')
    .requiredOption('--checkpoint <dir>', 'run folder (or its checkpoint folder)')
    .addOption(dataOption())
    .addOption(backendOption())
    .addOption(allowSoftwareOption())
    .addOption(trainSizeOption().default(0))
    .addOption(testSizeOption().default(0))
    .option('--json', 'print the result as JSON')
    .action(async (o: { checkpoint: string; data?: string; backend: BackendName; allowSoftware?: boolean; trainSize?: number; testSize?: number; json?: boolean }) => {
      await useBackend(o.backend, { quiet: !!o.json, allowSoftware: o.allowSoftware });
      const r = await runEval(o.checkpoint, o.data, { trainSize: o.trainSize || undefined, testSize: o.testSize || undefined });
      if (o.json) io.out(`${JSON.stringify(r)}\n`);
      else {
        io.out(`${r.model} (epoch ${r.epoch}) on ${r.data}\n${formatSplits(r)}`);
      }
    });

  program
    .command('lesion')
    .description('test error with each residual block removed in turn (writes lesion.json, lesion.svg, lesion.png)')
    .requiredOption('--checkpoint <dir>', 'run folder (or its checkpoint folder)')
    .addOption(dataOption())
    .addOption(backendOption())
    .addOption(allowSoftwareOption())
    .addOption(testSizeOption().default(0))
    .option('--out <dir>', 'output folder (default: CHECKPOINT/lesion)')
    .option('--json', 'print the result as JSON')
    .action(async (o: { checkpoint: string; data?: string; backend: BackendName; allowSoftware?: boolean; testSize?: number; out?: string; json?: boolean }) => {
      await useBackend(o.backend, { quiet: !!o.json, allowSoftware: o.allowSoftware });
      const out = o.out ?? `${o.checkpoint}/lesion`;
      const r = await runLesion(o.checkpoint, o.data, out, o.testSize || undefined);
      if (o.json) io.out(`${JSON.stringify(r)}\n`);
      else {
        io.out(`${r.model} on ${r.data}: test error ${(100 * r.baseline).toFixed(2)}% intact\n`);
        for (const b of r.blocks) io.out(`  without ${b.block.padEnd(10)} ${(100 * b.error).toFixed(2)}%\n`);
        io.out(`wrote ${out}/lesion.json, lesion.svg, lesion.png\n`);
      }
    });

  program
    .command('export')
    .description('export a checkpoint: tfjs model.json + weights.bin, or torchvision safetensors')
    .requiredOption('--checkpoint <dir>', 'run folder (or its checkpoint folder)')
    .addOption(new Option('--to <format>', 'target format').choices([...EXPORT_TARGETS]).makeOptionMandatory())
    .option('--out <path>', 'output folder (tfjs) or file (torchvision); default inside the run folder')
    .action(async (o: { checkpoint: string; to: (typeof EXPORT_TARGETS)[number]; out?: string }) => {
      await useBackend('cpu', { quiet: true });
      const files = await runExport(o.checkpoint, o.to, o.out);
      io.out(`wrote ${files.join(', ')}\n`);
    });

  program
    .command('download')
    .description('download pretrained weights into the cache (progress bar; checked against every known hash)')
    .argument('<tag>', "pretrained weights, e.g. resnet50.tv2_in1k (see @resnet/zoo's listPretrained())")
    .option('--cache-dir <dir>', 'cache folder (default $RESNET_ZOO_CACHE or ~/.cache/resnet-zoo)')
    .option('--revision <rev>', 'Hub revision (commit, tag or branch) instead of the table\'s')
    .option('--force', 'download again even when cached')
    .option('--offline', 'only look in the cache (also RESNET_ZOO_OFFLINE=1)')
    .option('--require-verified', 'refuse files that no hash could check')
    .action(async (tag: string, o: { cacheDir?: string; revision?: string; force?: boolean; offline?: boolean; requireVerified?: boolean }) => {
      for (const line of await runDownload(tag, o)) io.out(`${line}\n`);
    });

  addInteropCommands(program, io);
  addConvertCommand(program, io);
  return program;
}

/** Parses `argv` (without node and script) and runs the command; resolves to the exit code. */
export async function run(argv: string[], io: ProgramIo = defaultIo): Promise<number> {
  const result = { code: 0 };
  const program = buildProgram(io, result);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return result.code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    io.err(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT.error;
  }
}
