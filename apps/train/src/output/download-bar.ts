/**
 * Download progress for the CLI: a cli-progress bar (MiB, speed, ETA) on a
 * terminal, a plain line every 10% otherwise (cli-progress prints nothing when
 * its stream is not a TTY).
 */
import cliProgress from 'cli-progress';
import type { DownloadProgress } from '@resnet/zoo';

const mib = (n: number): string => (n / 2 ** 20).toFixed(1);

/** A progress sink for one download labelled `label`; call `stop()` when it ends. */
export function downloadBar(label: string, stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr): { onProgress: (p: DownloadProgress) => void; stop: () => void } {
  if (stream.isTTY) {
    let bar: cliProgress.SingleBar | null = null;
    return {
      onProgress: ({ loaded, total }) => {
        if (!bar) {
          bar = new cliProgress.SingleBar({ format: `${label} [{bar}] {percentage}% | {done}/{size} MiB | ETA {eta_formatted}`, stream, hideCursor: true, etaBuffer: 50 });
          bar.start(total ?? 0, 0, { done: '0.0', size: total == null ? '?' : mib(total) });
        }
        bar.update(loaded, { done: mib(loaded) });
      },
      stop: () => bar?.stop(),
    };
  }
  let next = 0;
  return {
    onProgress: ({ loaded, total }) => {
      const pct = total ? Math.floor((100 * loaded) / total) : null;
      if (pct === null ? loaded >= next : pct >= next) {
        stream.write(`${label}: ${mib(loaded)}${total ? `/${mib(total)} MiB (${pct}%)` : ' MiB'}\n`);
        next = pct === null ? loaded + 10 * 2 ** 20 : Math.floor(pct / 10) * 10 + 10;
      }
    },
    stop: () => {},
  };
}
