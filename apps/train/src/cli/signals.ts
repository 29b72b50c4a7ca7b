/**
 * Stop signals: SIGINT (Ctrl-C), SIGTERM (what containers and job schedulers
 * send) and SIGHUP (the terminal went away) are handled alike. The first asks
 * the loop to finish its batch, save a checkpoint and exit with the shell's
 * code for that signal, 128 + its number (130, 143, 129); another one more than
 * 2 s later quits at once. (Signals that arrive together, as when a terminal
 * signals the whole process group and a parent also forwards it, count as one.)
 */
import { constants } from 'node:os';

/** The signals that stop a run with a checkpoint. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** The exit code of a process ended by `signal`, as shells report it: 128 + the signal's number. */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + constants.signals[signal];
}

/** Exit codes of runs stopped by one of {@link STOP_SIGNALS}. */
export const STOP_EXIT_CODES: readonly number[] = STOP_SIGNALS.map(signalExitCode);

/**
 * After a hang-up the terminal is gone: a write to it fails (EIO), and the
 * failure would end the process before it saves (Node 20 then even aborts in
 * its exit path). So output meant for the terminal is dropped from then on —
 * including writes that fail before the SIGHUP handler has run. Pipes and
 * files still get theirs (a degradation child's JSON events, a redirected log).
 */
export function muteTerminal(streams: Array<{ isTTY?: boolean; write: unknown }> = [process.stdout, process.stderr]): void {
  for (const stream of streams) if (stream.isTTY) stream.write = () => true;
}

/** The 'error' listener of terminal output: a hang-up's EIO mutes the terminal; anything else is thrown as before. */
export function onOutputError(e: NodeJS.ErrnoException): void {
  if (e.code !== 'EIO') throw e;
  muteTerminal();
}

/** Installs the handler, which tells the user through `say`; `signal.code` is the exit code of the signal that stopped the run; `remove` uninstalls it. */
export function installStopHandler(say: (s: string) => void): { signal: { stop: boolean; code: number }; remove: () => void } {
  const signal = { stop: false, code: signalExitCode('SIGINT') };
  let first = 0;
  const on = (name: NodeJS.Signals): void => {
    if (name === 'SIGHUP') muteTerminal();
    if (!signal.stop) {
      signal.stop = true;
      signal.code = signalExitCode(name);
      first = Date.now();
      say(`\n${name}: stopping after this batch and saving a checkpoint (${name} again in 2 s or more quits without saving)\n`);
    } else if (Date.now() - first > 2000) {
      process.exit(signal.code);
    }
  };
  const handlers = STOP_SIGNALS.map((name) => [name, () => on(name)] as const);
  for (const [name, h] of handlers) process.on(name, h);
  for (const stream of [process.stdout, process.stderr]) if (stream.isTTY) stream.on('error', onOutputError);
  return {
    signal,
    remove: () => {
      handlers.forEach(([name, h]) => process.off(name, h));
      for (const stream of [process.stdout, process.stderr]) stream.off('error', onOutputError);
    },
  };
}
