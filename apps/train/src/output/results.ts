/**
 * results.json and report.md of the degradation experiment.
 */
import { type Recipe } from '../train/recipe.js';
import { type RunResult } from '../train/types.js';

/** The results.json document (schema fixed by issue 8). */
export interface Results {
  /** `--data` value. */
  data: string;
  /** The recipe, plus the preset it came from. */
  recipe: Recipe & { preset: string; seed: number };
  /** Backend name and device. */
  backend: string;
  /** One entry per model. */
  runs: RunResult[];
}

const pct = (v: number): string => (Number.isFinite(v) ? `${(100 * v).toFixed(2)}%` : 'n/a');

/** What the experiment shows, in sentences (also used by the CLI's last lines). */
export function verdict(runs: RunResult[], margin = 0.01): string[] {
  const find = (m: string): RunResult | undefined => runs.find((r) => r.model === m);
  const p20 = find('plain20');
  const p56 = find('plain56');
  const r20 = find('resnet20');
  const r56 = find('resnet56');
  const lines: string[] = [];
  if (p20 && p56) {
    const gap = p56.final.trainError - p20.final.trainError;
    const shown = gap > margin;
    lines.push(
      `Plain: the 56-layer network ends with ${gap > 0 ? 'higher' : 'no higher'} training error than the 20-layer one ` +
        `(${pct(p56.final.trainError)} vs ${pct(p20.final.trainError)}, ${gap > 0 ? '+' : ''}${(100 * gap).toFixed(2)} points): ` +
        `the degradation problem is ${shown ? 'reproduced' : `NOT reproduced (needs a gap above ${pct(margin)})`}.`,
    );
  }
  if (r20 && r56) {
    const ok = r56.final.trainError <= r20.final.trainError + margin;
    lines.push(
      `Residual: ResNet-56 ends at ${pct(r56.final.trainError)} training error vs ${pct(r20.final.trainError)} for ResNet-20: ` +
        (ok
          ? `no worse than the shallower network by more than ${pct(margin)} (shortcuts remove the degradation).`
          : `WORSE than the shallower network by more than ${pct(margin)}.`),
    );
  }
  return lines;
}

/** Markdown report: set-up, table of final errors and times, verdict, figure. */
export function reportMarkdown(r: Results, minutes: number, cpuMinutes?: number): string {
  const rows = r.runs.map((run) => {
    const secs = run.epochs.reduce((s, e) => s + e.seconds, 0);
    return `| ${run.model} | ${run.residual ? 'residual' : 'plain'} | ${run.depth} | ${run.params.toLocaleString('en-US')} | ${pct(run.final.trainError)} | ${pct(run.final.testError)} | ${(secs / 60).toFixed(1)} |`;
  });
  const rc = r.recipe;
  return [
    '# Degradation experiment',
    '',
    `Data: \`${r.data}\` (${rc.trainSize || 'all'} training / ${rc.testSize || 'all'} test images). Backend: ${r.backend}. ` +
      `Preset: \`${rc.preset}\`. Total wall time: ${minutes.toFixed(1)} min` +
      (cpuMinutes ? ` (CPU time of the training processes: ${cpuMinutes.toFixed(1)} min).` : '.'),
    '',
    `Recipe: ${rc.epochs} epochs${rc.maxSteps ? ` (stop at ${rc.maxSteps} iterations)` : ''}, batch ${rc.batchSize}, SGD momentum ${rc.momentum}${rc.nesterov ? ' (Nesterov)' : ''}, ` +
      `weight decay ${rc.weightDecay}, lr ${rc.lr} with ${rc.warmupEpochs} epoch(s) linear warmup then ${rc.schedule}` +
      `${rc.schedule === 'step' ? ` (÷10 at iterations ${rc.milestones.join(', ')}${rc.milestoneEpochs.length ? ` and epochs ${rc.milestoneEpochs.join(', ')}` : ''})` : ''}, ` +
      `${rc.augment ? 'pad-4 crop (+ flip where valid)' : 'no augmentation'}, stage widths ${rc.widths.join('/')}, seed ${rc.seed}.`,
    '',
    'Training error is the running error over each epoch\'s batches (training mode, as in the paper\'s curves); ' +
      'test error is measured in inference mode after each epoch. Parameters are trainable ones (PyTorch convention).',
    '',
    '| model | kind | depth | params | final train error | final test error | minutes |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
    ...verdict(r.runs).map((l) => `- ${l}`),
    '',
    '![training and test error per epoch](curves.png)',
    '',
  ].join('\n');
}
