/** Paths of csrc/*.c and *.h under the package root `root`, sorted by name. */
export function kernelSources(root: string): string[];
/** sha256 over every source's name and contents, in name order. */
export function kernelSourcesSha256(root: string): string;
