import * as tf from '@tensorflow/tfjs';

/** ' [8,56,56,64] [3,3,64,64] /[1,1]': a call's input shapes, and its strides where it has them. */
function shapesOf(args: Parameters<tf.KernelFunc>[0]): string {
  const strides = (args.attrs as { strides?: unknown } | undefined)?.strides;
  return ` ${Object.values(args.inputs).map((t) => JSON.stringify(t?.shape)).join(' ')}${strides != null ? ` /${JSON.stringify(strides)}` : ''}`;
}

/** Per-kernel CPU time (exclusive of nested kernel calls) and call counts. */
export interface KernelStat {
  name: string;
  cpuMs: number;
  calls: number;
}

/**
 * Wraps every kernel registered for `backend` so each call's process CPU time
 * (user + system, not wall time: the machine is shared) is charged to it,
 * minus the time of kernels it calls itself. Returns a reader and an undo.
 * `clock: 'wall'` charges elapsed time instead: what a kernel split over
 * threads saves shows there, while its CPU time stays. `byShape` keeps the
 * calls of each set of input shapes (and strides) apart.
 */
export function profileKernels(backend: string, clock: 'cpu' | 'wall' = 'cpu', byShape = false): { read(): KernelStat[]; reset(): void; restore(): void } {
  const stats = new Map<string, KernelStat>();
  const stack: number[] = [];
  const names: string[] = [];
  const originals: Array<[tf.KernelConfig, tf.KernelFunc]> = [];
  const now =
    clock === 'wall'
      ? () => performance.now()
      : () => {
          const u = process.cpuUsage();
          return (u.user + u.system) / 1000;
        };
  for (const config of tf.getKernelsForBackend(backend)) {
    const orig = config.kernelFunc;
    originals.push([config, orig]);
    (config as { kernelFunc: tf.KernelFunc }).kernelFunc = (args) => {
      stack.push(0);
      const label = (names.length > 0 ? `${names[names.length - 1]} > ${config.kernelName}` : config.kernelName) + (byShape ? shapesOf(args) : '');
      names.push(config.kernelName);
      const t0 = now();
      try {
        return orig(args);
      } finally {
        const spent = now() - t0;
        const children = stack.pop()!;
        names.pop();
        if (stack.length > 0) stack[stack.length - 1]! += spent;
        const s = stats.get(label) ?? { name: label, cpuMs: 0, calls: 0 };
        s.cpuMs += spent - children;
        s.calls++;
        stats.set(label, s);
      }
    };
  }
  return {
    read: () => [...stats.values()].sort((a, b) => b.cpuMs - a.cpuMs),
    reset: () => stats.clear(),
    restore: () => {
      for (const [config, orig] of originals) (config as { kernelFunc: tf.KernelFunc }).kernelFunc = orig;
    },
  };
}
