/**
 * Thrown by {@link selectBackend} when the requested backend cannot run here.
 * The message says what is missing and how to fix it; `missing` names the npm
 * package to install, when that is the cause.
 *
 * @example
 * ```ts
 * try {
 *   await selectBackend('tensorflow-gpu');
 * } catch (e) {
 *   if (e instanceof BackendUnavailableError) console.log(e.backend, e.missing, e.message); // what to install, and how
 * }
 * ```
 */
export class BackendUnavailableError extends Error {
  /** The backend that was requested. */
  readonly backend: string;
  /** The npm package that is missing, when a missing package is the cause. */
  readonly missing: string | undefined;

  /** @param backend the requested backend; @param message what is wrong and how to fix it; @param missing the missing npm package, if any */
  constructor(backend: string, message: string, missing?: string) {
    super(message);
    this.name = 'BackendUnavailableError';
    this.backend = backend;
    this.missing = missing;
  }
}

/** True when `err` says that module `specifier` itself (not one of its files) cannot be resolved. */
export function isModuleNotFound(err: unknown, specifier: string): boolean {
  const e = err as { code?: string; message?: string } | null;
  if (e == null) return false;
  const notFound = e.code === 'ERR_MODULE_NOT_FOUND' || e.code === 'MODULE_NOT_FOUND'
    || /Cannot find (module|package)/.test(e.message ?? '');
  return notFound && (e.message ?? '').includes(specifier);
}

/** A one-line summary of an error for reasons and fallback notes. */
export function describeError(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0] ?? msg;
}

/**
 * Imports an optional package by a computed specifier, so bundlers and tsc do
 * not require it to exist (`load` replaces the import, e.g. by `#platform`'s);
 * a missing package becomes a {@link BackendUnavailableError}
 * that says how to install it.
 */
export async function importOptional(
  backend: string,
  pkg: string,
  install: string,
  load = () => import(/* webpackIgnore: true */ /* @vite-ignore */ pkg),
): Promise<Record<string, unknown>> {
  try {
    return (await load()) as Record<string, unknown>;
  } catch (err) {
    if (isModuleNotFound(err, pkg)) {
      throw new BackendUnavailableError(backend, `backend '${backend}' needs the npm package ${pkg}, which is not installed; ${install}`, pkg);
    }
    throw new BackendUnavailableError(backend, `backend '${backend}': ${pkg} is installed but failed to load: ${describeError(err)}`);
  }
}

/** The error for a GPU backend whose only adapter (or WebGL renderer) is a software one. */
export function softwareRefused(backend: 'webgpu' | 'webgl', description: string): BackendUnavailableError {
  return new BackendUnavailableError(backend, `the only ${backend === 'webgl' ? 'WebGL renderer' : 'WebGPU adapter'} here is a software one ` +
    `(${description}): it computes on the CPU, slower than wasm; pass { allowSoftware: true } to use it anyway`);
}
