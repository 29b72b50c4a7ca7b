// A torchinfo / Keras-style model table, as data and as text.
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { defaultBlockOf, type BlockOf } from './blocks.js';
import { countMacs } from './macs.js';
import { checkConvention, countParams, type ParamConvention } from './params.js';

/** One row of a {@link summary}. */
export interface SummaryRow {
  /** Layer name, or block name when `by: 'block'`. */
  name: string;
  /** tfjs class name (`'Block'` for block rows). */
  className: string;
  /** Output shape without the batch dimension (of the block's last layer for block rows). */
  outputShape: number[];
  /** Parameters in the chosen convention. */
  params: number;
  /** Trainable parameters. */
  trainable: number;
  /** Multiply-accumulates per example. */
  macs: number;
}

/** The result of {@link summary}. */
export interface ModelSummary {
  /** Table rows, in execution order. */
  rows: SummaryRow[];
  /** Parameter totals (in `convention`) and MACs per example. */
  totals: { params: number; trainable: number; nonTrainable: number; macs: number };
  /** Parameter convention used. */
  convention: ParamConvention;
  /** Input shape the MACs are for (no batch dimension). */
  inputShape: number[];
  /** The table as printable text. */
  text: string;
}

/** Options of {@link summary}. */
export interface SummaryOptions {
  /** Parameter convention, `'keras'` (default) or `'torch'`. */
  convention?: ParamConvention;
  /** Input shape for the MACs (no batch); default the model's. */
  inputShape?: number[];
  /** One row per layer (default) or per block (`stem`, `layer1.0`, …, `head`). */
  by?: 'layer' | 'block';
  /** Block grouping for `by: 'block'` (as in `countParams`). */
  blockOf?: BlockOf;
  /** Print the text: `true` for `console.log`, or a function that receives it. Default: no printing. */
  print?: boolean | ((text: string) => void);
}

const fmt = (n: number) => n.toLocaleString('en-US');

/**
 * MACs with an SI suffix: `4.11 G`, `40.8 M`.
 *
 * @example
 * ```ts
 * formatMacs(4_107_724_288); // '4.11 G'
 * ```
 */
export function formatMacs(n: number): string {
  const units: Array<[number, string]> = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'K']];
  for (const [v, s] of units) if (n >= v) return `${(n / v).toPrecision(3)} ${s}`;
  return String(n);
}

/**
 * A torchinfo-like table of a model: layer (type), output shape, parameters and
 * MACs per row, then totals that name the parameter convention. Returns rows
 * and text; prints only when `print` asks.
 *
 * @example
 * ```ts
 * import { createModel } from '@resnet/zoo';
 * console.log(summary(createModel('resnet20'), { by: 'block' }).text);
 * ```
 */
export function summary(model: LayersModel, opts: SummaryOptions = {}): ModelSummary {
  const convention = checkConvention(opts.convention, 'summary');
  const by = opts.by ?? 'layer';
  if (by !== 'layer' && by !== 'block') throw new Error(`summary: by must be 'layer' or 'block', got ${JSON.stringify(opts.by)}`);
  const params = countParams(model, { convention, blockOf: opts.blockOf });
  const macs = countMacs(model, { inputShape: opts.inputShape });
  const pByName = new Map(params.byLayer.map((l) => [l.name, l]));
  const inputRows: SummaryRow[] = params.byLayer
    .filter((l) => l.className === 'InputLayer')
    .map((l) => ({ name: l.name, className: l.className, outputShape: macs.inputShape, params: 0, trainable: 0, macs: 0 }));
  let rows: SummaryRow[] = [
    ...inputRows,
    ...macs.byLayer.map((m) => {
      const p = pByName.get(m.name);
      return { name: m.name, className: m.className, outputShape: m.outputShape, params: p?.total ?? 0, trainable: p?.trainable ?? 0, macs: m.macs };
    }),
  ];
  if (by === 'block') {
    const blockOf = opts.blockOf ?? defaultBlockOf;
    const blockByLayer = new Map(params.byLayer.map((l) => [l.name, l.block]));
    const grouped = new Map<string, SummaryRow>();
    for (const r of rows) {
      const b = blockByLayer.get(r.name) ?? (blockOf(r.name) || 'head');
      const g = grouped.get(b) ?? { name: b, className: 'Block', outputShape: r.outputShape, params: 0, trainable: 0, macs: 0 };
      g.outputShape = r.outputShape;
      g.params += r.params;
      g.trainable += r.trainable;
      g.macs += r.macs;
      grouped.set(b, g);
    }
    rows = [...grouped.values()];
  }
  const totals = { params: params.total, trainable: params.trainable, nonTrainable: params.nonTrainable, macs: macs.total };
  const text = renderTable(rows, totals, convention, macs.inputShape);
  if (opts.print === true) console.log(text);
  else if (typeof opts.print === 'function') opts.print(text);
  return { rows, totals, convention, inputShape: macs.inputShape, text };
}

function renderTable(rows: SummaryRow[], totals: ModelSummary['totals'], convention: ParamConvention, inputShape: number[]): string {
  const cells = rows.map((r) => [`${r.name} (${r.className})`, `[${r.outputShape.join(', ')}]`, fmt(r.params), fmt(r.macs)]);
  const head = ['Layer (type)', 'Output shape', 'Param #', 'MACs'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((s, i) => (i >= 2 ? s.padStart(widths[i]!) : s.padEnd(widths[i]!))).join('  ');
  const rule = (ch: string) => ch.repeat(widths.reduce((a, b) => a + b + 2, -2));
  const conventionNote = convention === 'torch' ? 'torch convention: BatchNorm moving statistics not counted' : 'keras convention: BatchNorm moving statistics counted as non-trainable';
  return [
    rule('='),
    line(head),
    rule('='),
    ...cells.map(line),
    rule('='),
    `Total params: ${fmt(totals.params)} (${conventionNote})`,
    `Trainable params: ${fmt(totals.trainable)}`,
    `Non-trainable params: ${fmt(totals.nonTrainable)}`,
    `MACs per example: ${fmt(totals.macs)} (${formatMacs(totals.macs)}) at input [${inputShape.join(', ')}]`,
    rule('='),
  ].join('\n');
}
