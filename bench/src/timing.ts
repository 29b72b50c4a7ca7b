/** Timing helpers shared by the benches. */

/** Times `run` `runs` times after `warmup` untimed calls; resolves to each run's wall time in ms. */
export async function timeRuns(run: () => Promise<unknown> | unknown, { warmup, runs }: { warmup: number; runs: number }): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  return times;
}

/** The median of `vs` (the mean of the middle two for an even count). */
export function median(vs: number[]): number {
  const s = [...vs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
