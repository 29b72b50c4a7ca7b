import { MAX_WASM_THREADS, setSimdKernelOptions, type SimdKernelOptions } from '@resnet/backend';

/** Switches of our wasm kernels a bench run can set (see `setSimdKernelOptions`), and inference fusion. */
export interface WasmVariant {
  /** Row label suffix: '' for the defaults, else the switches, e.g. 'winograd=0 fma=off'. */
  label: string;
  options: Partial<SimdKernelOptions>;
  /** bench:infer: run the model through `fuseForInference` (BatchNorm folded, ReLU and residual fused). */
  fusion: boolean;
  /** Threads of our kernels (`selectBackend`'s `wasmThreads`) for this variant; unset: the run's `--threads`. */
  threads?: number;
}

const SWITCHES = `winograd=auto|0|2|4, fma=on|off, cache=on|off, gemm=on|off, fusion=on|off, simd=on|off, threads=1..${MAX_WASM_THREADS}`;

/** Parses one variant: switches joined by '+', or 'default'. */
function parseVariant(spec: string, base: WasmVariant): WasmVariant {
  const v: WasmVariant = { label: spec === 'default' ? '' : spec.replace(/\+/g, ' '), options: { ...base.options }, fusion: base.fusion, threads: base.threads };
  if (spec === 'default') return v;
  for (const part of spec.split('+')) {
    const [key, value] = part.split('=') as [string, string | undefined];
    const on = value === 'on' ? true : value === 'off' ? false : undefined;
    if (key === 'winograd' && ['auto', '0', '2', '4'].includes(value ?? '')) v.options.winograd = value === 'auto' ? 'auto' : (Number(value) as 0 | 2 | 4);
    else if (key === 'fma' && on !== undefined) v.options.fma = on;
    else if (key === 'cache' && on !== undefined) v.options.filterCache = on;
    else if (key === 'gemm' && on !== undefined) v.options.gemm = on;
    else if (key === 'simd' && on !== undefined) v.options.enabled = on;
    else if (key === 'fusion' && on !== undefined) v.fusion = on;
    else if (key === 'threads' && /^\d+$/.test(value ?? '') && Number(value) >= 1 && Number(value) <= MAX_WASM_THREADS) v.threads = Number(value);
    else throw new Error(`bad wasm switch '${part}'; known: ${SWITCHES}`);
  }
  return v;
}

/**
 * The wasm configurations to measure: the switches given as flags
 * (`--winograd 0`, `--fma off`, `--cache off`, `--gemm off`, `--fusion off`, `--simd off`) make
 * the base; `--wasm-variants default,winograd=0,fma=off+cache=off` adds one row
 * per entry, measured in the same interleaved rounds, for same-run ratios.
 */
export function wasmVariants(args: Map<string, string>): WasmVariant[] {
  const base: WasmVariant = { label: '', options: {}, fusion: true };
  for (const key of ['winograd', 'fma', 'cache', 'gemm', 'fusion', 'simd']) {
    if (args.has(key)) Object.assign(base, parseVariant(`${key}=${args.get(key)}`, base));
  }
  base.label = '';
  const list = args.get('wasm-variants');
  const variants = list == null ? [base] : list.split(',').map((spec) => parseVariant(spec.trim(), base));
  // Rows are keyed by label: a variant given twice would merge two configurations' rounds into one row.
  const labels = variants.map((v) => v.label);
  const twice = labels.find((l, i) => labels.indexOf(l) !== i);
  if (twice != null) throw new Error(`--wasm-variants: '${twice || 'default'}' is given twice; give each variant once (got '${list}')`);
  return variants;
}

/** Puts a variant's kernel switches in force (the others at their defaults). */
export function applyVariant(v: WasmVariant): void {
  setSimdKernelOptions({ enabled: true, fma: true, winograd: 'auto', filterCache: true, gemm: true, ...v.options });
}
