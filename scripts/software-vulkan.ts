// A software Vulkan driver for the WebGPU tests: SwiftShader, which Debian's
// chromium ships. Dawn (the `webgpu` package) finds no adapter on a machine
// without a GPU; pointed at SwiftShader it finds one that computes on the CPU.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';

const KNOWN = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** The path of SwiftShader's Vulkan ICD manifest, from chromium's known folder or dpkg; null when absent. */
export function swiftShaderIcd(): string | null {
  if (existsSync(KNOWN)) return KNOWN;
  const r = spawnSync('dpkg', ['-S', 'vk_swiftshader_icd.json'], { encoding: 'utf8' });
  const paths = (r.stdout ?? '').split('\n').map((line) => line.split(': ')[1]?.trim());
  return paths.find((p): p is string => p != null && existsSync(p)) ?? null;
}

/**
 * Points the Vulkan loader at SwiftShader unless the environment already names
 * a driver (set VK_ICD_FILENAMES yourself to test on a real GPU). Must run before
 * Dawn is first loaded in the process.
 */
export function useSoftwareVulkan(): void {
  if (process.env.VK_ICD_FILENAMES || process.env.VK_DRIVER_FILES) return;
  const icd = swiftShaderIcd();
  if (icd == null) return; // the WebGPU tests then fail with Dawn's "no adapter" and how to fix it
  process.env.VK_ICD_FILENAMES = icd;
  process.env.XDG_RUNTIME_DIR ||= tmpdir();
}
