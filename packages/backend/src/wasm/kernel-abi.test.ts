import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KERNEL_PARAMS, positional, type KernelCall } from './kernel-abi.js';

const csrcDir = fileURLToPath(new URL('../../csrc/', import.meta.url));
const csrc = (f: string) => readFileSync(`${csrcDir}${f}`, 'utf8');

/** Every `EXPORT(name)` function of the C sources and its parameter names, in order. */
function exportedSignatures(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const source of readdirSync(csrcDir).filter((f) => f.endsWith('.c')).map(csrc)) {
    for (const m of source.matchAll(/EXPORT\((\w+)\)\s*void\s+(\w+)\s*\(([^)]*)\)/g)) {
      expect(m[2]).toBe(m[1]);
      found.set(m[1]!, m[3]!.split(',').map((p) => /(\w+)\s*$/.exec(p.trim())![1]!));
    }
  }
  return found;
}

describe('the kernels calling convention (kernel-abi.ts) is the C signatures', () => {
  it('each kernel called from TypeScript has the parameters of its C function, in the same order', () => {
    const c = exportedSignatures();
    for (const [name, params] of Object.entries(KERNEL_PARAMS)) expect([name, c.get(name)]).toEqual([name, [...params]]);
    // Every export called from TypeScript is in the table (pack_filter is called only from C).
    expect([...c.keys()].filter((k) => !(k in KERNEL_PARAMS)).sort()).toEqual(['pack_filter']);
  });

  it('positional() lays named arguments out in that order', () => {
    const args = Object.fromEntries(KERNEL_PARAMS.conv2d.map((p, i) => [p, 100 + i])) as Parameters<typeof positional>[0]['args'];
    expect(positional({ kernel: 'conv2d', args: args as never })).toEqual(KERNEL_PARAMS.conv2d.map((_, i) => 100 + i));
  });
});

describe('a call that does not match its kernel does not compile', () => {
  it('missing, unknown or another kernel’s arguments are type errors', () => {
    const ok: KernelCall = { kernel: 'relu_grad', args: { x: 0, dy: 0, dx: 0, n: 1 } };
    // @ts-expect-error: relu_grad needs n
    const missing: KernelCall = { kernel: 'relu_grad', args: { x: 0, dy: 0, dx: 0 } };
    // @ts-expect-error: relu_grad has no parameter w
    const extra: KernelCall = { kernel: 'relu_grad', args: { x: 0, dy: 0, dx: 0, n: 1, w: 2 } };
    // @ts-expect-error: channel_sums' arguments are not relu_grad's
    const other: KernelCall = { kernel: 'channel_sums', args: { x: 0, dy: 0, dx: 0, n: 1 } };
    expect([ok, missing, extra, other].map(positional)).toEqual([[0, 0, 0, 1], [0, 0, 0, undefined], [0, 0, 0, 1], [undefined, undefined, undefined, undefined, undefined, undefined]]);
  });
});
