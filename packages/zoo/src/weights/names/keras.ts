/**
 * Names mapped: this zoo's torchvision-style layer names ↔ the layer names of
 * Keras applications' ResNet50/101/152 (v1), e.g. `layer1.0.conv1` ↔
 * `conv2_block1_1_conv`, `layer1.0.downsample.1` ↔ `conv2_block1_0_bn`, `fc` ↔
 * `predictions`. Keras numbers stages from 2 (conv1 is the stem) and blocks
 * from 1; `_0_` is the projection shortcut.
 */

/**
 * Keras applications layer name for one of our layer names, or undefined if Keras has no such layer.
 *
 * @example
 * ```ts
 * toKerasLayerName('layer1.0.conv1');        // 'conv2_block1_1_conv'
 * toKerasLayerName('layer1.0.downsample.0'); // 'conv2_block1_0_conv'
 * ```
 */
export function toKerasLayerName(name: string): string | undefined {
  if (name === 'conv1') return 'conv1_conv';
  if (name === 'bn1') return 'conv1_bn';
  if (name === 'fc') return 'predictions';
  let m = /^layer(\d+)\.(\d+)\.(conv|bn)([123])$/.exec(name);
  if (m) return `conv${Number(m[1]) + 1}_block${Number(m[2]) + 1}_${m[4]}_${m[3]}`;
  m = /^layer(\d+)\.(\d+)\.downsample\.([01])$/.exec(name);
  if (m) return `conv${Number(m[1]) + 1}_block${Number(m[2]) + 1}_0_${m[3] === '0' ? 'conv' : 'bn'}`;
  return undefined;
}

/**
 * Our layer name for a Keras applications ResNet v1 layer name (inverse of {@link toKerasLayerName}).
 *
 * @example
 * ```ts
 * fromKerasLayerName('conv2_block1_1_conv'); // 'layer1.0.conv1'
 * ```
 */
export function fromKerasLayerName(name: string): string | undefined {
  if (name === 'conv1_conv') return 'conv1';
  if (name === 'conv1_bn') return 'bn1';
  if (name === 'predictions') return 'fc';
  const m = /^conv(\d+)_block(\d+)_([0-3])_(conv|bn)$/.exec(name);
  if (!m) return undefined;
  const p = `layer${Number(m[1]) - 1}.${Number(m[2]) - 1}`;
  if (m[3] === '0') return `${p}.downsample.${m[4] === 'conv' ? 0 : 1}`;
  return `${p}.${m[4]}${m[3]}`;
}
