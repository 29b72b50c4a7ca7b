// Every chart on the page is a Vega-Lite spec rendered by vega-embed: the
// library handles scales, axes, legends, resizing and ARIA; this file only
// fills in the page-wide defaults.
import embed, { type Result } from 'vega-embed';
import type { TopLevelSpec } from 'vega-lite';

const live = new WeakMap<HTMLElement, Result>();

/**
 * Renders `spec` into `el` as SVG, filling the element's width, and replaces
 * the chart that was there (finalising it so its listeners do not leak).
 */
export async function renderChart(el: HTMLElement, spec: TopLevelSpec, height = 240): Promise<void> {
  live.get(el)?.finalize();
  const full = {
    width: 'container',
    height,
    autosize: { type: 'fit', contains: 'padding' },
    config: {
      font: 'system-ui, sans-serif',
      axis: { labelFontSize: 11, titleFontSize: 12 },
      legend: { orient: 'bottom', labelFontSize: 11, titleFontSize: 12, columns: 2 },
      view: { stroke: null },
    },
    ...spec,
  } as TopLevelSpec;
  const result = await embed(el, full, { renderer: 'svg', actions: false });
  live.set(el, result);
  el.dataset.rendered = 'true';
}
