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
  let epochs = 0;
  const stopBar = (): void => {
    bar?.stop();
    bar = null;
  };
  return (e) => {
    switch (e.type) {
      case 'start':
        epochs = e.epochs;
        common(e, prefix, stream);
        break;
      case 'epochStart':
        stopBar();
        bar = new cliProgress.SingleBar({
          format: `${prefix}epoch {epoch}/${epochs} [{bar}] {value}/{total} | {ips} img/s | loss {loss} | acc {acc} | ETA {eta_formatted}`,
          stream,
          hideCursor: true,
          etaBuffer: 20,
        });
        bar.start(e.batches, e.startBatch, { epoch: e.epoch, ips: '-', loss: '-', acc: '-' });
        break;
      case 'batch':
        bar?.update(e.batch, { ips: e.imagesPerSecond.toFixed(0), loss: e.loss.toFixed(4), acc: pct(e.accuracy) });
        break;
      default:
        stopBar();
        common(e, prefix, stream);
    }
  };
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`;
}

/** Plain lines (logs, CI, pipes): a progress line at most every 15 s, and every event that matters. */
function plainReporter(prefix: string, stream: NodeJS.WritableStream, everyMs = 15000): Reporter {
  let epochs = 0;
  let last = 0;
  return (e) => {
    switch (e.type) {
      case 'start':
        epochs = e.epochs;
        common(e, prefix, stream);
        break;
      case 'epochStart':
        last = Date.now();
        break;
      case 'batch':
        if (Date.now() - last >= everyMs) {
          last = Date.now();
          stream.write(
            `${prefix}epoch ${e.epoch}/${epochs} batch ${e.batch}/${e.batches} | ${e.imagesPerSecond.toFixed(0)} img/s | loss ${e.loss.toFixed(4)} | acc ${pct(e.accuracy)} | ETA ${formatSeconds(e.etaSeconds)}\n`,
          );
        }
        break;
      default:
        common(e, prefix, stream);
    }
  };
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
