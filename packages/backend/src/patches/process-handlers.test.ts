import { describe, expect, it } from 'vitest';
import { runCallerProgram } from '../caller-program.js';
import { PROCESS_HANDLERS_PATCH } from './process-handlers.js';

describe('the process stays the caller’s after the wasm backend starts (issue 28)', () => {
  for (const failure of ['throw', 'reject'] as const) {
    it(`an uncaught ${failure === 'throw' ? 'error' : 'rejection'}: exit code 1 and Node's own report, as without the backend`, () => {
      const control = runCallerProgram('none', failure);
      const withWasm = runCallerProgram('wasm', failure);
      // Node's report: the caller's source line, then the caller's message and stack.
      expect(control.code).toBe(1);
      expect(control.stderr).toContain(`Error: the caller's own ${failure}`);
      const info = JSON.parse(withWasm.stdout) as { name: string; patches: string[] };
      expect(info.name).toBe('wasm');
      expect(info.patches).toContain(PROCESS_HANDLERS_PATCH);
      expect(withWasm.code).toBe(1);
      expect(withWasm.stderr).toBe(control.stderr);
    });
  }
});

describe('keepProcessHandlers, in process, on a stand-in for the Emscripten module', () => {
  it("removes the listeners the module adds while the backend starts, and keeps the caller's through the module's dispose", async () => {
    const tf = await import('@tensorflow/tfjs-core');
    const { MathBackendCPU } = await import('@tensorflow/tfjs-backend-cpu');
    const { keepProcessHandlers } = await import('./process-handlers.js');
    const callers = [(): void => undefined, (): void => undefined];
    process.on('uncaughtException', callers[0]!);
    process.on('unhandledRejection', callers[1]!);
    const glue = [(): void => undefined, (): void => undefined];
    let backend: (InstanceType<typeof MathBackendCPU> & { wasm: { _dispose(): void } }) | undefined;
    // What tfjs-backend-wasm's glue does: listeners added while the module initialises; a dispose that removes every listener.
    tf.registerBackend('wasm', async () => {
      process.on('uncaughtException', glue[0]!);
      process.on('unhandledRejection', glue[1]!);
      backend = Object.assign(new MathBackendCPU(), {
        wasm: { _dispose: () => ['uncaughtException', 'unhandledRejection'].forEach((e) => process.removeAllListeners(e)) },
      });
      return backend;
    });
    try {
      const before = { u: process.listeners('uncaughtException'), r: process.listeners('unhandledRejection') };
      expect(keepProcessHandlers()).toBe(true);
      expect(await tf.setBackend('wasm')).toBe(true);
      expect(process.listeners('uncaughtException')).toEqual(before.u);
      expect(process.listeners('unhandledRejection')).toEqual(before.r);
      backend!.wasm._dispose();
      expect(process.listeners('uncaughtException')).toEqual(before.u);
      expect(process.listeners('unhandledRejection')).toEqual(before.r);
      expect(process.listeners('uncaughtException')).toContain(callers[0]);
    } finally {
      await tf.setBackend('cpu');
      tf.removeBackend('wasm');
      process.removeListener('uncaughtException', callers[0]!);
      process.removeListener('unhandledRejection', callers[1]!);
    }
  });
});
