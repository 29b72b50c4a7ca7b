// WebGL (browsers only): the renderer behind it, told apart like WebGPU adapters.
import * as tf from '@tensorflow/tfjs-core';
import { BackendUnavailableError, importOptional, softwareRefused } from './errors.js';
import { isSoftwareRenderer, type DeviceKind } from './webgpu/adapter.js';

interface GlLike {
  RENDERER: number;
  getExtension(name: string): { UNMASKED_RENDERER_WEBGL?: number; loseContext?(): void } | null;
  getParameter(p: number): unknown;
}
type CanvasLike = { getContext(kind: string): unknown };

/** The renderer string of a throw-away WebGL context, or null where there is no canvas (Node) or no WebGL. */
export function webglRenderer(): string | null {
  const g = globalThis as { OffscreenCanvas?: new (w: number, h: number) => CanvasLike; document?: { createElement(t: string): CanvasLike } };
  const canvas = g.OffscreenCanvas != null ? new g.OffscreenCanvas(1, 1) : g.document?.createElement('canvas');
  const gl = (canvas?.getContext('webgl2') ?? canvas?.getContext('webgl')) as GlLike | null | undefined;
  if (gl == null) return null;
  const debug = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(debug?.UNMASKED_RENDERER_WEBGL ?? gl.RENDERER));
  // Browsers keep few live contexts: give this one back at once.
  gl.getExtension('WEBGL_lose_context')?.loseContext?.();
  return renderer;
}

/**
 * Checks that this browser has WebGL on a renderer we may use (a software one,
 * e.g. SwiftShader, only with `allowSoftware`) and that the tfjs 'webgl'
 * backend is registered (it comes with `@tensorflow/tfjs`).
 */
export async function prepareWebgl(allowSoftware: boolean): Promise<DeviceKind> {
  const renderer = webglRenderer();
  if (renderer == null) {
    throw new BackendUnavailableError('webgl', 'WebGL needs a browser with a WebGL context (none here; in Node use webgpu, wasm or tensorflow)');
  }
  const kind = { software: isSoftwareRenderer(renderer), description: renderer };
  if (kind.software && !allowSoftware) throw softwareRefused('webgl', renderer);
  if (tf.findBackendFactory('webgl') == null) {
    await importOptional('webgl', '@tensorflow/tfjs-backend-webgl', 'run `npm install @tensorflow/tfjs-backend-webgl` (it comes with @tensorflow/tfjs)');
  }
  return kind;
}
