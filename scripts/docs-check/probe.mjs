// Runs the small processes the command resolver asks about (`X --help`,
// `pnpm help X`, `npm view X`), each at most once per check and never longer
// than a minute: a program that ignored `--help` must not run for real for long.
import { spawn } from 'node:child_process';

const TIMEOUT_MS = 60_000;
const cache = new Map();

/**
 * Runs `cmd args` in `cwd` (no shell) and resolves to `{ status, output }`
 * (stdout and stderr together; status null when killed). Identical calls share one run.
 */
export function probe(cmd, args, cwd, env = {}) {
  const key = JSON.stringify([cmd, args, cwd, env]);
  if (!cache.has(key)) cache.set(key, run(cmd, args, cwd, env));
  return cache.get(key);
}

function run(cmd, args, cwd, env) {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => {
      output += `\n(killed after ${TIMEOUT_MS / 1000} s)`;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, TIMEOUT_MS);
    child.on('error', (e) => {
      clearTimeout(timer);
      done({ status: null, output: e.message });
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      done({ status, output });
    });
  });
}

/** The last `n` non-empty lines of a process's output, indented, for an error message. */
export function tail(output, n = 4) {
  return output.trim().split('\n').filter(Boolean).slice(-n).map((l) => `    ${l.slice(0, 200)}`).join('\n');
}
