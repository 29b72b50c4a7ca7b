/**
 * Ctrl-C handling: the first SIGINT asks the loop to finish its batch, save a
 * checkpoint and exit 130; a second one more than 2 s later quits at once.
 * (Signals that arrive together, as when a terminal signals the whole process
 * group and a parent also forwards it, count as one.)
 */
/** Installs the handler, which tells the user through `say`; `remove` uninstalls it. */
export function installStopHandler(say: (s: string) => void): { signal: { stop: boolean }; remove: () => void } {
  const signal = { stop: false };
  let first = 0;
  const onSigint = (): void => {
    if (!signal.stop) {
      signal.stop = true;
      first = Date.now();
      say('\nstopping after this batch and saving a checkpoint (Ctrl-C again to quit without saving)\n');
    } else if (Date.now() - first > 2000) {
      process.exit(130);
    }
  };
  process.on('SIGINT', onSigint);
  return { signal, remove: () => process.off('SIGINT', onSigint) };
}
