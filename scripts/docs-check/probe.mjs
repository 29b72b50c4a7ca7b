// Runs the processes of the docs check: the small ones the command resolver
// asks about (`X --help`, `pnpm help X`, `npm view X`), each at most once per
// check and by default never longer than a minute (a program that ignored
// `--help` must not run for real for long), and the docs' programs.
import { spawn } from 'node:child_process';

const cache = new Map();

/**
 * Runs `cmd args` in `cwd` (no shell) and resolves to `{ status, output }`
 * (stdout and stderr together; status null when killed after `timeoutS`).
 * Identical calls share one run.
 */
export function probe(cmd, args, cwd, { env = {}, timeoutS = 60 } = {}) {
  const key = JSON.stringify([cmd, args, cwd, env]);
  if (!cache.has(key)) cache.set(key, run(cmd, args, cwd, env, timeoutS));
  return cache.get(key);
}

function run(cmd, args, cwd, env, timeoutS) {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => {
      output += `\n(killed after ${timeoutS} s)`;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutS * 1000);
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
