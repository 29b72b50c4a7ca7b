// A throwaway copy of the workspace for the release test: publishing tags the
// git repo and `changeset version` rewrites package.json files and CHANGELOGs,
// none of which may touch the real checkout.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Runs a command synchronously, returns its stdout; on failure the error carries stdout and stderr. */
export function runSync(cmd, args, { cwd, env, quiet = true } = {}) {
  try {
    return execFileSync(cmd, args, {
      cwd,
      env: env ?? process.env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', quiet ? 'pipe' : 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (err) {
    const out = `${err.stdout ?? ''}${err.stderr ?? ''}`.trim().split('\n').slice(-40).join('\n');
    throw new Error(`\`${cmd} ${args.join(' ')}\` failed in ${cwd} (exit ${err.status}):\n${out}`);
  }
}

/** Children started by {@link run} that have not exited yet. */
const running = new Set();

/** Kills every command {@link run} started that is still running (for Ctrl-C). */
export function killRunning() {
  for (const child of running) {
    try {
      process.kill(-child.pid, 'SIGTERM'); // its whole process group: pnpm → turbo → tsup …
    } catch {
      // already gone
    }
  }
}

/**
 * Runs a command without blocking the event loop (the registry's HTTP
 * connections and timers keep working meanwhile); resolves to its stdout.
 * `quiet: false` streams stderr through.
 */
export function run(cmd, args, { cwd, env, quiet = true, timeoutMs = 10 * 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    // own process group, so killRunning() can stop the command with everything it started
    const child = spawn(cmd, args, { cwd, env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    running.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      if (!quiet) process.stdout.write(d);
    });
    child.stderr.on('data', (d) => {
      stderr += d;
      if (!quiet) process.stderr.write(d);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot run \`${cmd}\`: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      if (code === 0) return resolve(stdout);
      const tail = `${stdout}${stderr}`.trim().split('\n').slice(-40).join('\n');
      const why = signal ? `killed by ${signal}${signal === 'SIGKILL' ? ` (time limit ${timeoutMs / 1000} s?)` : ''}` : `exit ${code}`;
      reject(new Error(`\`${cmd} ${args.join(' ')}\` failed in ${cwd} (${why}):\n${tail}`));
    });
  });
}

/**
 * Copies the working tree as git sees it (tracked files plus untracked files
 * that are not ignored: what a commit of the current state would hold) into
 * `dest`, makes it a one-commit git repo on branch main, and installs its
 * dependencies from the local pnpm store.
 */
export async function copyWorkspace(root, dest) {
  const files = runSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root })
    .split('\0')
    .filter(Boolean);
  let copied = 0;
  for (const f of files) {
    const from = join(root, f);
    // a tracked file deleted in the working tree is listed but not there
    if (!existsSync(from) || lstatSync(from).isDirectory()) continue;
    mkdirSync(dirname(join(dest, f)), { recursive: true });
    cpSync(from, join(dest, f), { verbatimSymlinks: true });
    copied++;
  }
  // turbo's local cache: a build in the copy then replays the one just made in the checkout
  if (existsSync(join(root, '.turbo', 'cache'))) cpSync(join(root, '.turbo', 'cache'), join(dest, '.turbo', 'cache'), { recursive: true });

  const git = (...args) => runSync('git', ['-c', 'user.name=release-test', '-c', 'user.email=release-test@localhost', '-c', 'commit.gpgsign=false', ...args], { cwd: dest });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'release test: snapshot of the working tree');

  const t = Date.now();
  // --prefer-offline: everything is in the store already after `pnpm install` in the checkout
  await run('pnpm', ['install', '--frozen-lockfile', '--prefer-offline'], { cwd: dest });
  return { files: copied, installSeconds: (Date.now() - t) / 1000 };
}
