/**
 * Turns training events into output: a cli-progress bar per epoch on a
 * terminal (images/s, loss, accuracy, ETA), the same fields as periodic plain
 * lines when stderr is not a terminal (cli-progress prints nothing there
 * unless `noTTYOutput` is set), or one JSON object per line with `--json`.
 */
import cliProgress from 'cli-progress';
import { type TrainEvent } from '../train/events.js';

/** Where events go. */
export type Reporter = (e: TrainEvent) => void;

/** Output modes. */
export type ReporterMode = 'auto' | 'tty' | 'plain' | 'json';

const pct = (v: number): string => `${(100 * v).toFixed(2)}%`;

/** Formats an epoch summary line. */
function epochLine(prefix: string, e: Extract<TrainEvent, { type: 'epoch' }>): string {
  return `${prefix}epoch ${e.epoch}: train loss ${e.trainLoss.toFixed(4)}, train error ${pct(e.trainError)}, test error ${pct(e.testError)} (${e.seconds.toFixed(1)} s)`;
}

/** A reporter for one run; `prefix` labels lines when several runs share a terminal. */
export function createReporter(mode: ReporterMode, prefix = '', stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr): Reporter {
  if (mode === 'json') {
    return (e) => process.stdout.write(`${JSON.stringify(prefix ? { run: prefix.trim().replace(/[[\]:]/g, ''), ...e } : e)}\n`);
  }
  const tty = mode === 'tty' || (mode === 'auto' && stream.isTTY === true);
  if (!tty) return plainReporter(prefix, stream);
  let bar: cliProgress.SingleBar | null = null;
  const stopBar = (): void => {
    bar?.stop();
    bar = null;
  };
  return withEpochs((e, epochs) => {
    if (e.type === 'epochStart') {
      stopBar();
      bar = new cliProgress.SingleBar({
        format: `${prefix}epoch {epoch}/${epochs} [{bar}] {value}/{total} | {ips} img/s | loss {loss} | acc {acc} | ETA {eta_formatted}`,
        stream,
        hideCursor: true,
        etaBuffer: 20,
      });
      bar.start(e.batches, e.startBatch, { epoch: e.epoch, ips: '-', loss: '-', acc: '-' });
    } else if (e.type === 'batch') {
      bar?.update(e.batch, { ips: e.imagesPerSecond.toFixed(0), loss: e.loss.toFixed(4), acc: pct(e.accuracy) });
    } else {
      stopBar();
      common(e, prefix, stream);
    }
  });
}

/** A reporter that knows the run's epoch count (from its `start` event) when it handles each event. */
function withEpochs(handle: (e: TrainEvent, epochs: number) => void): Reporter {
  let epochs = 0;
  return (e) => {
    if (e.type === 'start') epochs = e.epochs;
    handle(e, epochs);
  };
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`;
}

/** Plain lines (logs, CI, pipes): a progress line at most every 15 s, and every event that matters. */
function plainReporter(prefix: string, stream: NodeJS.WritableStream, everyMs = 15000): Reporter {
  let last = 0;
  return withEpochs((e, epochs) => {
    if (e.type === 'epochStart') {
      last = Date.now();
    } else if (e.type === 'batch') {
      if (Date.now() - last < everyMs) return;
      last = Date.now();
      stream.write(
        `${prefix}epoch ${e.epoch}/${epochs} batch ${e.batch}/${e.batches} | ${e.imagesPerSecond.toFixed(0)} img/s | loss ${e.loss.toFixed(4)} | acc ${pct(e.accuracy)} | ETA ${formatSeconds(e.etaSeconds)}\n`,
      );
    } else {
      common(e, prefix, stream);
    }
  });
}

/** Output shared by the terminal and plain modes. */
function common(e: TrainEvent, prefix: string, stream: NodeJS.WritableStream): void {
    switch (e.type) {
      case 'start':
        stream.write(
          `${prefix}${e.model}: ${e.params.toLocaleString('en-US')} trainable parameters, ${e.trainImages} training / ${e.testImages} test images of ${e.data}, ${e.epochs} epochs, backend ${e.backend} (${e.device})\n`,
        );
        break;
      case 'epoch':
        stream.write(`${epochLine(prefix, e)}\n`);
        break;
      case 'interrupted':
        stream.write(`${prefix}interrupted in epoch ${e.epoch} after batch ${e.batch}; checkpoint saved in ${e.checkpoint} (continue with --resume)\n`);
        break;
      case 'diverged':
        stream.write(`${prefix}error: ${e.text}\n`);
        break;
      case 'message':
        stream.write(`${prefix}${e.text}\n`);
        break;
      default:
        break;
    }
}
