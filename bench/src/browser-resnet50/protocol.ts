// What the browser ResNet-50 bench page (bench/src/resnet50-browser.ts) asks a
// contestant's worker, and what the worker answers.
import type { WeightDtype } from '@resnet/zoo';

/** The request a contestant worker gets (one per page load). */
export interface BenchRequest {
  /** Threads both engines use: 1 on a plain page, 2 on a cross-origin isolated one. */
  threads: number;
  /** Weights: the safetensors (ours) or ONNX (onnxruntime-web) file, same origin. */
  weightsUrl: string;
  /** SHA-256 (hex) of the safetensors file, for `registerPretrained` (ours only). */
  sha256: string;
  /**
   * Which file of the weights ours loads: the fp32 file, or its fp16 / q8 variant
   * (made from it by the zoo's convertWeights). onnxruntime-web always loads the fp32 ONNX.
   */
  dtype: WeightDtype;
  /** The variant files (same origin) with their SHA-256, registered as the tag's `source.variants` (ours only). */
  variants: Record<'fp16' | 'q8', { url: string; sha256: string }>;
  /** The fixed 1×3×224×224 NCHW float32 image (fetched before the clock starts). */
  inputUrl: string;
  /** Batch sizes for warm latency; empty: only the first prediction. */
  batches: number[];
  warmup: number;
  runs: number;
}

/** One load phase: its name and when it ended, ms since the page's navigation started. */
export interface Phase {
  name: string;
  endMs: number;
}

/** The worker's answer. */
export interface BenchResult {
  crossOriginIsolated: boolean;
  /** The engine in words (our `BackendInfo.device`, or onnxruntime-web's version and threads). */
  engine: string;
  /** Whether the weights came from the Cache API. */
  cached: boolean;
  /** Load phases in order; the last is 'first prediction'. */
  phases: Phase[];
  /** Logits of the first prediction (batch 1). */
  logits: number[];
  /** Warm latency per batch size: the median of `runs` runs, ms. */
  warmMs: Record<string, number>;
}

/** ms since the page's navigation started (a worker's clock has its own origin). */
export function pageClockMs(pageTimeOrigin: number): number {
  return performance.timeOrigin + performance.now() - pageTimeOrigin;
}
