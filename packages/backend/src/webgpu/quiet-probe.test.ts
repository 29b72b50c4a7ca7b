import { describe, expect, it } from 'vitest';
import { runCallerProgram } from '../caller-program.js';
import { swiftShaderIcd } from '../../../../scripts/software-vulkan.js';

// What Dawn and the Vulkan loader print when Dawn is loaded on a machine without a usable GPU.
const NOISE = /XDG_RUNTIME_DIR|Vulkan|vulkan|Dawn|adapter/;

interface Info { name: string; fallbacks: Array<{ backend: string; reason: string }> }

describe("selectBackend('auto') in Node passes over WebGPU without a word on the console (issue 28)", () => {
  it('no Vulkan driver named: WebGPU refused (no adapter), stderr empty', () => {
    const run = runCallerProgram('auto', 'none');
    expect(run.stderr).not.toMatch(NOISE);
    expect(run.stderr).toBe('');
    const info = JSON.parse(run.stdout) as Info;
    expect(info.name).toBe('wasm');
    expect(info.fallbacks.find((f) => f.backend === 'webgpu')?.reason).toMatch(/found no adapter/);
  });

  it.skipIf(swiftShaderIcd() == null)('a software Vulkan (SwiftShader): WebGPU refused as software, stderr empty', () => {
    const run = runCallerProgram('auto', 'none', { VK_ICD_FILENAMES: swiftShaderIcd()! });
    expect(run.stderr).toBe('');
    const info = JSON.parse(run.stdout) as Info;
    expect(info.name).toBe('wasm');
    expect(info.fallbacks.find((f) => f.backend === 'webgpu')?.reason).toMatch(/software/);
  });

  it("asked for by name, WebGPU is loaded in the process (Dawn's own warnings may print): the error is Dawn's", () => {
    const run = runCallerProgram('webgpu', 'none');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/found no adapter/);
  });
});
