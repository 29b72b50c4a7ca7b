import { afterEach, describe, expect, it, vi } from 'vitest';
import { installStopHandler, muteTerminal, onOutputError, signalExitCode, STOP_EXIT_CODES, STOP_SIGNALS } from './signals.js';

afterEach(() => vi.restoreAllMocks());

describe('stop signals', () => {
  it('exit codes are 128 + the signal number, as shells report them', () => {
    expect(STOP_SIGNALS).toEqual(['SIGINT', 'SIGTERM', 'SIGHUP']);
    // POSIX numbers: SIGHUP 1, SIGINT 2, SIGTERM 15.
    expect(['SIGINT', 'SIGTERM', 'SIGHUP'].map((s) => signalExitCode(s as NodeJS.Signals))).toEqual([130, 143, 129]);
    expect(STOP_EXIT_CODES).toEqual([130, 143, 129]);
  });

  for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    it(`${sig} asks for a checkpointed stop with exit code ${code}; a second one 2 s later quits`, () => {
      const listeners = STOP_SIGNALS.map((s) => process.listenerCount(s));
      let err = '';
      const stop = installStopHandler((s) => (err += s));
      expect(STOP_SIGNALS.map((s) => process.listenerCount(s))).toEqual(listeners.map((n) => n + 1));
      const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
      let now = 1_000_000;
      vi.spyOn(Date, 'now').mockImplementation(() => now);
      process.emit(sig, sig);
      expect(stop.signal).toEqual({ stop: true, code });
      expect(err).toMatch(new RegExp(`${sig}: stopping after this batch and saving a checkpoint`));
      now += 500; // a forwarded copy of the same signal
      process.emit(sig, sig);
      expect(exit).not.toHaveBeenCalled();
      now += 2000;
      process.emit(sig, sig);
      expect(exit).toHaveBeenCalledWith(code);
      stop.remove();
      expect(STOP_SIGNALS.map((s) => process.listenerCount(s))).toEqual(listeners);
    });
  }

  it('after a hang-up, output meant for the terminal is dropped; pipes and files keep theirs', () => {
    const written: string[] = [];
    const tty = { isTTY: true, write: (s: string) => written.push(s) > 0 };
    const pipe = { isTTY: false, write: (s: string) => written.push(s) > 0 };
    muteTerminal([tty, pipe]);
    (tty.write as (s: string) => boolean)('to the gone terminal');
    pipe.write('to the pipe');
    expect(written).toEqual(['to the pipe']);
    const epipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    expect(() => onOutputError(epipe)).toThrow('write EPIPE');
  });
});
