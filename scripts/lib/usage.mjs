// `--help` for the repository's scripts: every program a doc names answers it,
// so the docs check (scripts/docs-check.mjs) resolves a command without running it.

/** Prints `usage` and exits 0 when the arguments ask for help (`--help` or `-h`); returns otherwise. */
export function exitOnHelp(usage, argv = process.argv.slice(2)) {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(usage.trim());
    process.exit(0);
  }
}
