/** Messages between bench/train's data-parallel driver and its workers. */
export interface InitMessage {
  cmd: 'init';
  rank: number;
  world: number;
  batch: number;
  x: SharedArrayBuffer;
  y: SharedArrayBuffer;
  grads: SharedArrayBuffer;
}
export type ToWorker = InitMessage | { cmd: 'weights'; weights: Float32Array[] } | { cmd: 'grads' } | { cmd: 'apply' } | { cmd: 'check' } | { cmd: 'exit' };
export type FromWorker =
  | { kind: 'ready'; params: number; weights?: Float32Array[]; device: string; label: string }
  | { kind: 'loss'; loss: number }
  | { kind: 'applied' }
  | { kind: 'checked'; weights: Float32Array[] }
  | { kind: 'error'; message: string };
