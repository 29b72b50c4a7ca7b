/**
 * A download progress bar for the examples (`download: { onProgress }` of
 * `createModel`): redrawn in place on a terminal, one line per 10% elsewhere.
 */
import type { DownloadProgress } from '@resnet/zoo';

const mib = (n: number) => (n / 2 ** 20).toFixed(1);

/** An `onProgress` callback that draws a bar labelled `label` on `stream`. */
export function progressBar(label: string, stream: NodeJS.WriteStream | { isTTY?: boolean; write(s: string): unknown } = process.stderr): (p: DownloadProgress) => void {
  let lastDecile = -1;
  return ({ loaded, total }) => {
    const frac = total ? loaded / total : 0;
    const text = `${label} ${total ? `${mib(loaded)}/${mib(total)} MiB ${Math.floor(100 * frac)}%` : `${mib(loaded)} MiB`}`;
    if (stream.isTTY) {
      const bar = total ? `[${'#'.repeat(Math.round(30 * frac)).padEnd(30, '.')}] ` : '';
      stream.write(`\r${bar}${text}${total && loaded === total ? '\n' : ''}`);
    } else if (Math.floor(10 * frac) > lastDecile || !total) {
      lastDecile = Math.floor(10 * frac);
      stream.write(`${text}\n`);
    }
  };
}
