/**
 * The degradation figure: training error (left) and test error (right) per
 * epoch, one line per model, plain networks dashed and residual ones solid,
 * colour by depth, as in Figure 1/6 of He et al. 2015. vega-lite compiles the
 * spec, vega renders SVG headlessly (no canvas), resvg turns it into PNG.
 */
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { type RunResult } from '../train/types.js';

/** The vega-lite specification of the figure for `runs`. */
export function curvesSpec(runs: RunResult[], title: string): TopLevelSpec {
  const values = runs.flatMap((r) =>
    r.epochs.flatMap((e) => [
      { model: r.model, depth: `${r.depth} layers`, kind: r.residual ? 'residual' : 'plain', panel: 'training error', epoch: e.epoch, error: 100 * e.trainError },
      { model: r.model, depth: `${r.depth} layers`, kind: r.residual ? 'residual' : 'plain', panel: 'test error', epoch: e.epoch, error: 100 * e.testError },
    ]),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    background: 'white',
    data: { values },
    facet: { column: { field: 'panel', type: 'nominal', sort: ['training error', 'test error'], title: null } },
    spec: {
      width: 320,
      height: 240,
      mark: { type: 'line', strokeWidth: 2 },
      encoding: {
        x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } },
        y: { field: 'error', type: 'quantitative', title: 'error (%)' },
        color: { field: 'depth', type: 'nominal', title: 'depth', legend: { symbolType: 'stroke', symbolStrokeWidth: 3 } },
        strokeDash: {
          field: 'kind',
          type: 'nominal',
          title: 'network',
          legend: { symbolType: 'stroke', symbolStrokeWidth: 2, symbolSize: 400 },
          scale: { domain: ['plain', 'residual'], range: [[6, 4], [1, 0]] },
        },
        detail: { field: 'model', type: 'nominal' },
        tooltip: [{ field: 'model' }, { field: 'epoch' }, { field: 'error', format: '.2f' }],
      },
    },
  };
}

/** Renders the figure to an SVG string. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Converts SVG text to PNG bytes (system fonts; text needs at least one installed font). */
export function svgToPng(svg: string, width = 1000): Uint8Array {
  const resvg = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'width', value: width },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}
