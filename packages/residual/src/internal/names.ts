/**
 * Joins a module path the way PyTorch's `named_modules()` does: `join('layer1', 'conv1')`
 * gives 'layer1.conv1', and an empty prefix gives the bare child name, so builders used
 * at the top level of a model produce torchvision-style names without a leading dot.
 */
export function join(prefix: string | undefined, child: string): string {
  return prefix ? `${prefix}.${child}` : child;
}
