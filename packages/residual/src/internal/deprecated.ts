import type { InitializerLike } from '@resnet/blocks';

/**
 * A kernel initializer: an instance or a tfjs identifier string.
 * @deprecated The same type as `InitializerLike` of `@resnet/blocks`; use that.
 */
export type KernelInitializer = InitializerLike;
