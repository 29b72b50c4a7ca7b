// Messages between the page and its compute worker.

/** Page → worker. */
export interface ComputeRequest {
  id: number;
  task: string;
  args?: unknown;
}

/** Worker → page. */
export interface ComputeResponse {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
  /** Milliseconds the task took in the worker. */
  ms: number;
  /** Live tensors in the worker after the task (should stay flat). */
  tensors: number;
}

/** Arguments of the 'init' task. */
export interface InitArgs {
  backend: 'wasm' | 'cpu';
  /** Absolute URLs of the three wasm binaries (the worker cannot resolve the page's relative ones). */
  wasmPaths: Record<string, string>;
}
