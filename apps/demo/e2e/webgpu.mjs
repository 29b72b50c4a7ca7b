// The desktop page once more with WebGPU active: a second browser with WebGPU on
// (headless chromium gives http://127.0.0.1 pages a SwiftShader adapter with
// --enable-unsafe-webgpu), the page asked to start its chain at webgpu, and every
// section's numbers checked as on WebGL.
import { desktopChecks } from './desktop.mjs';

export async function webgpuChecks({ launch, open, ...ctx }) {
  const browser = await launch(['--enable-unsafe-webgpu']);
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await desktopChecks(ctx, await open(context, '?backend=webgpu'), { backend: 'webgpu', label: 'webgpu' });
    await context.close();
  } finally {
    await browser.close();
  }
}
