import { serialization } from '@tensorflow/tfjs-core';
import { initializers } from '@tensorflow/tfjs-layers';

/** A tfjs-layers initializer instance (tfjs-layers does not export the class itself). */
export type Initializer = ReturnType<typeof initializers.heNormal>;

/**
 * What every `kernelInitializer` option of the `@resnet/*` packages accepts: an
 * instance or a tfjs identifier string (`'heNormal'`, `'he_normal'`, …) — the
 * same as a tfjs-layers layer's `kernelInitializer`.
 */
export type InitializerLike = Initializer | string;

const BY_ID: Record<string, () => Initializer> = {
  zeros: () => initializers.zeros(),
  ones: () => initializers.ones(),
  glorotNormal: () => initializers.glorotNormal({}),
  glorotUniform: () => initializers.glorotUniform({}),
  heNormal: () => initializers.heNormal({}),
  heUniform: () => initializers.heUniform({}),
  leCunNormal: () => initializers.leCunNormal({}),
  leCunUniform: () => initializers.leCunUniform({}),
};
const SNAKE: Record<string, string> = {
  glorot_normal: 'glorotNormal',
  glorot_uniform: 'glorotUniform',
  he_normal: 'heNormal',
  he_uniform: 'heUniform',
  lecun_normal: 'leCunNormal',
  lecun_uniform: 'leCunUniform',
};

/**
 * Resolves an initializer given as an instance, a tfjs identifier string or a
 * serialized `{className, config}` (what `getConfig` of the custom layers
 * stores); `what` names the argument in the error, which lists the valid
 * identifiers.
 *
 * @example
 * ```ts
 * const init = resolveInitializer('heNormal', 'kernelInitializer');
 * resolveInitializer({ className: 'KaimingNormal', config: { mode: 'fanOut' } }, 'kernelInitializer');
 * // resolveInitializer('nope', 'kernelInitializer') throws, naming the valid identifiers
 * ```
 */
export function resolveInitializer(x: unknown, what: string): Initializer {
  if (typeof x === 'string') {
    const make = BY_ID[SNAKE[x] ?? x];
    if (!make) {
      throw new Error(`${what}: unknown initializer '${x}'; valid identifiers: ${Object.keys(BY_ID).join(', ')}, or pass an initializer instance`);
    }
    return make();
  }
  if (x && typeof x === 'object') {
    if (typeof (x as Initializer).apply === 'function') return x as Initializer;
    const { className, config } = x as { className?: string; config?: serialization.ConfigDict };
    const entry = className ? serialization.SerializationMap.getMap().classNameMap[className] : undefined;
    if (entry) {
      const [cls, fromConfig] = entry;
      return fromConfig(cls, config ?? {}) as unknown as Initializer;
    }
    throw new Error(`${what}: cannot deserialize initializer ${JSON.stringify(x)}; its className is not registered`);
  }
  throw new Error(`${what}: expected an initializer instance or identifier string, got ${String(x)}`);
}

/** The `{className, config}` form of an initializer, as tfjs-layers serializes it. */
export function serializeInitializer(init: Initializer): serialization.ConfigDict {
  return { className: init.getClassName(), config: init.getConfig() };
}
