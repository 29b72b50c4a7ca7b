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
