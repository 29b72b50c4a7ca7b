/** Minimal `--flag value` / `--flag` parser for the bench scripts (no dependency). */
export function parseArgs(argv: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument '${a}'; flags look like --steps 5`);
    const [k, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
    if (inline !== undefined) out.set(k, inline);
    else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) out.set(k, argv[++i]!);
    else out.set(k, 'true');
  }
  return out;
}

/** A positive integer flag with a default. */
export function intFlag(args: Map<string, string>, name: string, dflt: number): number {
  const v = args.get(name);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer; got '${v}'`);
  return n;
}

/** What {@link benchFlags} returns. */
export interface BenchFlags {
  args: Map<string, string>;
  json: boolean;
  warmup: number;
  backends: string[];
  /** Human-readable lines: stdout, or stderr under --json so stdout stays one JSON object per line. */
  log: (s: string) => void;
}

/** Parses the flags every bench CLI shares (--help prints `usage` and exits; --json, --warmup, --backends). */
export function benchFlags(argv: string[], usage: string): BenchFlags {
  const args = parseArgs(argv);
  if (args.has('help')) {
    console.log(usage);
    process.exit(0);
  }
  const json = args.has('json');
  return {
    args,
    json,
    warmup: intFlag(args, 'warmup', 2),
    backends: (args.get('backends') ?? 'tensorflow-gpu,tensorflow,webgpu,wasm').split(','),
    log: (s) => (json ? console.error(s) : console.log(s)),
  };
}
