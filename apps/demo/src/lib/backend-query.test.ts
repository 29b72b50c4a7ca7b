import { describe, expect, it } from 'vitest';
import { parseBackendQuery } from './backend-query.js';

describe('parseBackendQuery', () => {
  it('defaults to the whole chain from WebGL', () => {
    expect(parseBackendQuery('')).toEqual({ start: 'webgl', disabled: [] });
  });

  it('reads ?backend= and ?disable=', () => {
    expect(parseBackendQuery('?backend=webgpu&disable=wasm')).toEqual({ start: 'webgpu', disabled: ['wasm'] });
    expect(parseBackendQuery('?disable=webgl,webgpu')).toEqual({ start: 'webgl', disabled: ['webgl', 'webgpu'] });
  });

  it('rejects an unknown name and lists the valid ones', () => {
    expect(() => parseBackendQuery('?backend=cuda')).toThrow("unknown backend 'cuda' in ?backend=; valid: webgl, webgpu, wasm, cpu");
    expect(() => parseBackendQuery('?disable=gl')).toThrow(/unknown backend 'gl' in \?disable=/);
  });
});
