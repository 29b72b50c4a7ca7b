/** Test helper: the CLI run in-process, with what it prints captured. */
import { run } from '../cli/program.js';

/** Runs `resnet-train ...argv`; resolves to the exit code and the text written to stdout and stderr. */
export async function runCli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}
