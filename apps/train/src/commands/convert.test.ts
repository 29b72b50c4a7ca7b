import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSafetensors, readTensorAsFloat32, writeSafetensors } from '@resnet/zoo';
import { describe, expect, it } from 'vitest';
import { run } from '../cli/program.js';

/** A small state dict: a 4×8 linear weight (channel c holds c+1 times a ramp), its bias, a counter. */
const weight = Float32Array.from({ length: 32 }, (_, i) => ((Math.floor(i / 8) + 1) * ((i % 8) - 3.5)) / 10);
const fp32 = writeSafetensors(
  { 'fc.weight': { shape: [4, 8], data: weight }, 'fc.bias': { shape: [4], data: [0.1, 0.2, 0.3, 0.4] }, 'bn.num_batches_tracked': { shape: [], data: [3], dtype: 'I64' } },
  { format: 'pt' },
);

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const code = await run(args, { out: (s) => out.push(s), err: (s) => out.push(s) });
  return { code, out: out.join('') };
}

describe('resnet-train convert', () => {
  it('writes the fp16 and q8 variants and prints their sizes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'train-convert-'));
    writeFileSync(join(dir, 'in.safetensors'), fp32);
    const q8 = await cli(['convert', '--dtype', 'q8', join(dir, 'in.safetensors'), join(dir, 'q8.safetensors')]);
    expect(q8.code).toBe(0);
    expect(q8.out).toMatch(/^wrote .*q8\.safetensors: q8, 0\.00 MiB \(\d\.\d{3}× the 0\.00 MiB of .*in\.safetensors\)\n$/);
    const f = parseSafetensors(readFileSync(join(dir, 'q8.safetensors')));
    expect(f.metadata).toMatchObject({ format: 'pt', 'resnet.dtype': 'q8' });
    expect(f.entries.get('fc.weight')!.dtype).toBe('I8');
    // channel c: max |w| = (c+1)·0.35, scale = that / 127; the ramp's ends are ±127 steps
    expect(Array.from(readTensorAsFloat32(f, 'fc.weight.scale'))).toEqual([1, 2, 3, 4].map((k) => Math.fround(Math.fround((k * 3.5) / 10) / 127)));
    expect(Array.from(readTensorAsFloat32(f, 'fc.weight').subarray(0, 8))).toEqual([-127, -91, -54, -18, 18, 54, 91, 127]);
    expect(readTensorAsFloat32(f, 'bn.num_batches_tracked')[0]).toBe(3);
    const fp16 = await cli(['convert', '--dtype', 'fp16', join(dir, 'in.safetensors'), join(dir, 'fp16.safetensors')]);
    expect(fp16.code).toBe(0);
    expect(parseSafetensors(readFileSync(join(dir, 'fp16.safetensors'))).entries.get('fc.bias')!.dtype).toBe('F16');
  });

  it('bad input: a missing file, a variant as input, an unknown dtype; nothing half-written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'train-convert-'));
    const missing = await cli(['convert', '--dtype', 'q8', join(dir, 'nope.safetensors'), join(dir, 'out.safetensors')]);
    expect(missing).toEqual({ code: 1, out: `error: convert: cannot read weights file '${join(dir, 'nope.safetensors')}' (ENOENT)\n` });
    writeFileSync(join(dir, 'in.safetensors'), fp32);
    await cli(['convert', '--dtype', 'fp16', join(dir, 'in.safetensors'), join(dir, 'half.safetensors')]);
    const again = await cli(['convert', '--dtype', 'q8', join(dir, 'half.safetensors'), join(dir, 'out.safetensors')]);
    expect(again.code).toBe(1);
    expect(again.out).toContain(`the file is already fp16; convert from the fp32 file`);
    expect(again.out).toContain(join(dir, 'half.safetensors'));
    writeFileSync(join(dir, 'cut.safetensors'), fp32.subarray(0, fp32.byteLength - 4));
    const cut = await cli(['convert', '--dtype', 'q8', join(dir, 'cut.safetensors'), join(dir, 'out.safetensors')]);
    expect(cut.out).toMatch(/convert '.*cut\.safetensors': invalid safetensors file: .*truncated/);
    const bad = await cli(['convert', '--dtype', 'int4', join(dir, 'in.safetensors'), join(dir, 'out.safetensors')]);
    expect(bad.out).toContain("argument 'int4' is invalid. Allowed choices are fp16, q8");
    expect(existsSync(join(dir, 'out.safetensors'))).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['cut.safetensors', 'half.safetensors', 'in.safetensors']);
  });
});
