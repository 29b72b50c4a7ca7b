// The backend chain's names and the page's ?backend= / ?disable= query (no tfjs here, so it is unit-testable).

/** The backends the page tries, best first. */
export const BACKEND_CHAIN = ['webgl', 'webgpu', 'wasm', 'cpu'] as const;
/** One backend name of the chain. */
export type DemoBackend = (typeof BACKEND_CHAIN)[number];

function isDemoBackend(s: string): s is DemoBackend {
  return (BACKEND_CHAIN as readonly string[]).includes(s);
}

/**
 * Parses `?backend=wasm` (start the chain there) and `?disable=webgl,webgpu`
 * (skip those) from a query string. Unknown names are an error that lists the valid ones.
 */
export function parseBackendQuery(search: string): { start: DemoBackend; disabled: DemoBackend[] } {
  const q = new URLSearchParams(search);
  const start = q.get('backend') ?? 'webgl';
  if (!isDemoBackend(start)) {
    throw new Error(`unknown backend '${start}' in ?backend=; valid: ${BACKEND_CHAIN.join(', ')}`);
  }
  const disabled: DemoBackend[] = [];
  for (const d of (q.get('disable') ?? '').split(',').filter(Boolean)) {
    if (!isDemoBackend(d)) throw new Error(`unknown backend '${d}' in ?disable=; valid: ${BACKEND_CHAIN.join(', ')}`);
    disabled.push(d);
  }
  return { start, disabled };
}

