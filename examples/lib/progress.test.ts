import { describe, expect, it } from 'vitest';
import { progressBar } from './progress.js';

describe('progressBar', () => {
  it('draws in place on a terminal and ends the line when done', () => {
    let out = '';
    const bar = progressBar('w', { isTTY: true, write: (s: string) => (out += s) });
    bar({ loaded: 0, total: 2 * 2 ** 20 });
    bar({ loaded: 2 ** 20, total: 2 * 2 ** 20 });
    bar({ loaded: 2 * 2 ** 20, total: 2 * 2 ** 20 });
    expect(out).toBe(`\r[${'.'.repeat(30)}] w 0.0/2.0 MiB 0%\r[${'#'.repeat(15)}${'.'.repeat(15)}] w 1.0/2.0 MiB 50%\r[${'#'.repeat(30)}] w 2.0/2.0 MiB 100%\n`);
  });

  it('prints one line per 10% elsewhere', () => {
    const lines: string[] = [];
    const bar = progressBar('w', { isTTY: false, write: (s: string) => lines.push(s) });
    for (let loaded = 0; loaded <= 100; loaded += 4) bar({ loaded, total: 100 });
    expect(lines.length).toBe(11);
    expect(lines[0]).toBe('w 0.0/0.0 MiB 0%\n');
  });
});
