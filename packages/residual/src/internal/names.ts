/**
 * Joins a module path the way PyTorch's `named_modules()` does: `join('layer1', 'conv1')`
 * gives 'layer1.conv1', and an empty prefix gives the bare child name, so builders used
 * at the top level of a model produce torchvision-style names without a leading dot.
 */
export function join(prefix: string | undefined, child: string): string {
  return prefix ? `${prefix}.${child}` : child;
}

/** Throws a descriptive error unless `value` is a positive integer. */
export function assertPositiveInt(what: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${what} must be a positive integer; got ${String(value)}`);
  }
}

/** Throws a descriptive error unless `0 <= value < 1` (a dropout-style probability). */
export function assertRate(what: string, value: number): void {
  if (!(value >= 0 && value < 1)) {
    throw new Error(`${what} must be a probability in [0, 1); got ${String(value)}`);
  }
}
