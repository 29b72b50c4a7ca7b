import { describe, expect, it } from 'vitest';
import { type RunResult } from '../train/types.js';
import { curvesSpec, renderSvg, svgToPng } from './plot.js';

const run = (model: string, residual: boolean, depth: number, errs: number[]): RunResult => ({
  model,
  residual,
  depth,
  params: 1000,
  epochs: errs.map((e, i) => ({ epoch: i + 1, trainLoss: e, trainError: e, testError: e + 0.01, seconds: 1 })),
  final: { trainError: errs.at(-1)!, testError: errs.at(-1)! + 0.01 },
});

describe('degradation figure', () => {
  it('renders valid SVG with plain dashed and residual solid, and a PNG', async () => {
    const runs = [run('plain20', false, 20, [0.5, 0.2]), run('plain56', false, 56, [0.8, 0.6]), run('resnet20', true, 20, [0.4, 0.1]), run('resnet56', true, 56, [0.4, 0.08])];
    const svg = await renderSvg(curvesSpec(runs, 'test'));
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    // Both panels and the legend entries are there.
    expect(svg).toContain('training error');
    expect(svg).toContain('test error');
    // Four lines per panel; the plain ones carry a dash pattern, the residual ones none.
    const dashed = svg.match(/<path[^>]*stroke-dasharray="6,4"/g) ?? [];
    expect(dashed.length).toBeGreaterThanOrEqual(4); // 2 plain lines x 2 panels (+ legend symbols)
    // resvg parses the SVG as XML (see the malformed case below), so a PNG out means the SVG parsed.
    const png = svgToPng(svg, 400);
    expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // IHDR width (bytes 16..19, big-endian) is what was asked for.
    expect((png[16]! << 24) | (png[17]! << 16) | (png[18]! << 8) | png[19]!).toBe(400);
  });

  it('svgToPng rejects malformed SVG (so the check above can fail)', () => {
    expect(() => svgToPng('<svg xmlns="http://www.w3.org/2000/svg"><g></svg>')).toThrow();
  });
});
