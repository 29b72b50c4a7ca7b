// The calling convention of the SIMD kernels: each exported C function's
// parameters, by name, in the order of its signature in csrc/*.c. Callers
// pass an object with every parameter named (a missing, misspelt or extra one
// does not compile), and positional() lays it out in the C order; the table
// is checked against the C signatures by kernel-abi.test.ts, so the order
// cannot drift from the sources either.

/** Every exported kernel's parameters, in C order (pointers are byte offsets into the module's memory). */
export const KERNEL_PARAMS = {
  conv2d: ['in', 'f', 'bias', 'res', 'out', 'zeros', 'packed', 'row0', 'row1', 'o0', 'o1', 'h', 'w', 'ci',
    'ho', 'wo', 'co', 'fh', 'fw', 'sh', 'sw', 'dh', 'dw', 'pt', 'pl', 'relu'],
  conv1x1: ['in', 'f', 'bias', 'res', 'out', 'packed', 'row0', 'row1', 'o0', 'o1', 'h', 'w', 'ci', 'ho', 'wo', 'co', 'sh', 'sw', 'relu'],
  winograd_conv2d: ['in', 'f', 'U', 'bias', 'res', 'out', 'zeros', 'scratch', 'r0', 'r1', 'o0', 'o1', 'h', 'w', 'ci',
    'ho', 'wo', 'co', 'pt', 'pl', 'm', 'G', 'relu'],
  conv2d_filter_grad: ['x', 'dy', 'dw', 'n', 'h', 'w', 'ci', 'ho', 'wo', 'co', 'fh', 'fw', 'sh', 'sw', 'pt', 'pl'],
  winograd_filter_grad: ['x', 'dy', 'dw', 'zeros', 'scratch', 'n', 'h', 'w', 'ci', 'ho', 'wo', 'co', 'pt', 'pl', 'm', 'G'],
  channel_sums: ['a', 'b', 'shift', 'm', 'c', 'out'],
  channel_affine: ['x', 'scale', 'offset', 'm', 'c', 'y'],
  batch_norm_input_grad: ['x', 'dy', 'coef', 'm', 'c', 'dx'],
  relu_grad: ['x', 'dy', 'dx', 'n'],
  binary_op: ['a', 'b', 'out', 'n', 'b_scalar', 'op'],
  relu: ['x', 'y', 'n'],
  copy_box: ['src', 'dst', 'run', 'n0', 'n1', 'n2', 'n3', 's0', 's1', 's2', 's3', 'd0', 'd1', 'd2', 'd3'],
  fill_words: ['dst', 'n', 'bits'],
  max_pool_grad: ['x', 'dy', 'dx', 'n', 'h', 'w', 'c', 'ho', 'wo', 'fh', 'fw', 'sh', 'sw', 'pt', 'pl', 'c0', 'c1'],
} as const;

/** A kernel the module exports. */
export type KernelName = keyof typeof KERNEL_PARAMS;

/** One call's arguments by name: every parameter of kernel `K`, a number each (a byte offset for a pointer, 0 for none). */
export type KernelArgs<K extends KernelName> = { readonly [P in (typeof KERNEL_PARAMS)[K][number]]: number };

/** A call of one kernel with its named arguments: what the calling thread runs or sends to a kernel worker. */
export type KernelCall = { [K in KernelName]: { kernel: K; args: KernelArgs<K> } }[KernelName];

/** The arguments of `call`, in the C signature's order, for the module's export. */
export function positional(call: KernelCall): number[] {
  const args = call.args as Readonly<Record<string, number>>;
  return KERNEL_PARAMS[call.kernel].map((p) => args[p]!);
}

/** Every kernel's name (index = the id a kernel worker is sent). */
export const KERNEL_NAMES = Object.keys(KERNEL_PARAMS) as readonly KernelName[];
