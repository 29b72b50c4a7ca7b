/**
 * `resnet-train lesion`: test error of a trained network with each residual
 * block removed in turn (Veit et al. 2016: deleting one block of a ResNet
 * barely hurts, unlike a plain network's layers). @resnet/analysis removes a
 * block by setting its ResidualAdd junction's gate to 0, leaving only the shortcut.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { lesion, residualJunctions } from '@resnet/analysis';
import { compile, type TopLevelSpec } from 'vega-lite';
import * as vega from 'vega';
import { loadData } from '../data/index.js';
import { svgToPng } from '../output/plot.js';
import { loadCheckpoint } from '../train/checkpoint.js';
import { evaluate } from '../train/step.js';

/** Result of a lesion study. */
export interface LesionResult {
  model: string;
  data: string;
  /** Test error of the intact network. */
  baseline: number;
  /** Test error with each block removed. */
  blocks: Array<{ block: string; error: number }>;
}

/** Runs the study on the checkpoint's test split. */
export async function runLesion(checkpoint: string, data: string | undefined, out: string, testSize?: number): Promise<LesionResult> {
  const ck = await loadCheckpoint(checkpoint);
  try {
    const spec = data ?? ck.state.data;
    const ds = loadData(spec, { testSize, trainSize: 1 });
    const js = residualJunctions(ck.model as unknown as Parameters<typeof residualJunctions>[0]);
    if (js.length === 0) throw new Error(`${ck.state.model.name} has no residual junctions (ResidualAdd layers): a lesion study needs a residual network`);
    const err = async (): Promise<number> => (await evaluate(ck.model, ds.test.images, ds.test.labels, ds.shape)).error;
    const baseline = await err();
    const blocks: LesionResult['blocks'] = [];
    for (const [i, j] of js.entries()) {
      const l = lesion(ck.model as unknown as Parameters<typeof lesion>[0], [i]);
      try {
        blocks.push({ block: j.name.replace(/\.add$/, ''), error: await err() });
      } finally {
        l.restore();
      }
    }
    const result: LesionResult = { model: ck.state.model.name, data: spec, baseline, blocks };
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'lesion.json'), JSON.stringify(result, null, 1));
    const svg = await lesionSvg(result);
    writeFileSync(join(out, 'lesion.svg'), svg);
    writeFileSync(join(out, 'lesion.png'), svgToPng(svg));
    return result;
  } finally {
    ck.model.dispose();
    ck.buffers?.forEach((b) => b.dispose());
  }
}

async function lesionSvg(r: LesionResult): Promise<string> {
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `${r.model}: test error with one block removed (${r.data})`,
    background: 'white',
    width: 520,
    height: 260,
    layer: [
      {
        data: { values: r.blocks.map((b) => ({ ...b, error: 100 * b.error })) },
        mark: 'bar',
        encoding: {
          x: { field: 'block', type: 'nominal', sort: null, title: 'removed block', axis: { labelAngle: -60 } },
          y: { field: 'error', type: 'quantitative', title: 'test error (%)' },
        },
      },
      {
        data: { values: [{ baseline: 100 * r.baseline }] },
        mark: { type: 'rule', color: 'firebrick', strokeDash: [4, 3] },
        encoding: { y: { field: 'baseline', type: 'quantitative' } },
      },
    ],
  };
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
