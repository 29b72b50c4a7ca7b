import * as tf from '@tensorflow/tfjs';

/**
 * A CIFAR ResNet-20 (He et al. 2016, §4.2) from plain tfjs layers with 1×1
 * projection shortcuts, for profiling before @resnet/zoo ships `createModel`.
 */
export function resnet20Layers(numClasses = 10): tf.LayersModel {
  const input = tf.input({ shape: [32, 32, 3] });
  const convBn = (x: tf.SymbolicTensor, filters: number, strides: number, relu: boolean): tf.SymbolicTensor => {
    let y = x;
    if (strides === 2) y = tf.layers.zeroPadding2d({ padding: 1 }).apply(y) as tf.SymbolicTensor;
    y = tf.layers.conv2d({ filters, kernelSize: 3, strides, padding: strides === 2 ? 'valid' : 'same', useBias: false, kernelInitializer: 'heNormal' }).apply(y) as tf.SymbolicTensor;
    y = tf.layers.batchNormalization({ epsilon: 1e-5, momentum: 0.9 }).apply(y) as tf.SymbolicTensor;
    return relu ? (tf.layers.reLU().apply(y) as tf.SymbolicTensor) : y;
  };
  let x = convBn(input, 16, 1, true);
  for (const [stage, filters] of [16, 32, 64].entries()) {
    for (let b = 0; b < 3; b++) {
      const strides = stage > 0 && b === 0 ? 2 : 1;
      let shortcut = x;
      if (strides === 2) {
        shortcut = tf.layers.conv2d({ filters, kernelSize: 1, strides: 2, useBias: false }).apply(x) as tf.SymbolicTensor;
        shortcut = tf.layers.batchNormalization({ epsilon: 1e-5, momentum: 0.9 }).apply(shortcut) as tf.SymbolicTensor;
      }
      const y = convBn(convBn(x, filters, strides, true), filters, 1, false);
      x = tf.layers.reLU().apply(tf.layers.add().apply([shortcut, y])) as tf.SymbolicTensor;
    }
  }
  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: numClasses }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}
