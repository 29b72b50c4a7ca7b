/**
 * `resnet-train convert --dtype fp16|q8 IN OUT`: writes the fp16 or q8 variant
 * of an fp32 safetensors state dict (torchvision or timm names) with
 * @resnet/zoo's `convertWeights`, for `registerPretrained(tag, { variants })`
 * and `loadClassifier(tag, { dtype })`. OUT is written to a temporary file
 * beside it and renamed, so a failed run never leaves a partial OUT.
 */
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { convertWeights } from '@resnet/zoo';
import { Option, type Command } from 'commander';

/** The dtypes `convert` writes. */
export const CONVERT_DTYPES = ['fp16', 'q8'] as const;

/** What {@link runConvert} did. */
export interface ConvertResult {
  /** Input file. */
  input: string;
  /** Output file. */
  output: string;
  /** Bytes of the input. */
  inputBytes: number;
  /** Bytes of the output. */
  outputBytes: number;
}

/**
 * Converts IN to OUT; throws with the file named on a bad input.
 *
 * @example
 * ```ts
 * const r = runConvert('resnet50.safetensors', 'resnet50.q8.safetensors', 'q8');
 * console.log(`${r.outputBytes / r.inputBytes}× the bytes`); // ~0.25
 * ```
 */
export function runConvert(input: string, output: string, dtype: (typeof CONVERT_DTYPES)[number]): ConvertResult {
  if (resolve(input) === resolve(output)) throw new Error(`convert: OUT must differ from IN (${input}); the fp32 file is the source of every variant`);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(input);
  } catch (e) {
    throw new Error(`convert: cannot read weights file '${input}' (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const out = convertWeights(bytes, dtype, `'${input}'`);
  const tmp = `${output}.partial-${process.pid}`;
  try {
    writeFileSync(tmp, out);
    renameSync(tmp, output);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new Error(`convert: cannot write '${output}' (${(e as Error).message})`);
  }
  return { input, output, inputBytes: bytes.byteLength, outputBytes: statSync(output).size };
}

/** Adds `convert` to `program` (the one line in cli/program.ts); `io.out` receives what it prints. */
export function addConvertCommand(program: Command, io: { out: (s: string) => void }): void {
  program
    .command('convert')
    .description('write the fp16 or q8 (int8, one scale per output channel) variant of an fp32 safetensors state dict')
    .addOption(new Option('--dtype <dtype>', 'variant to write').choices([...CONVERT_DTYPES]).makeOptionMandatory())
    .argument('<in>', 'fp32 safetensors state dict (torchvision or timm names)')
    .argument('<out>', 'file to write')
    .action((input: string, output: string, o: { dtype: (typeof CONVERT_DTYPES)[number] }) => {
      const r = runConvert(input, output, o.dtype);
      const mib = (n: number) => `${(n / 2 ** 20).toFixed(2)} MiB`;
      io.out(`wrote ${r.output}: ${o.dtype}, ${mib(r.outputBytes)} (${(r.outputBytes / r.inputBytes).toFixed(3)}× the ${mib(r.inputBytes)} of ${r.input})\n`);
    });
}
