/**
 * A gradient for tfjs' StridedSlice kernel, which has none in tfjs 4.22
 * ("Cannot compute gradient: gradient function not found for StridedSlice").
 * @resnet/blocks' option-A zero-pad shortcut subsamples with
 * `stridedSlice(x, 0, shape, [1, s, s, 1])`, so without this a CIFAR ResNet
 * cannot train. The gradient scatters dy back into zeros at the sliced
 * positions: per axis, interleave s - 1 zeros after each element, trim, and pad
 * the part before `begin` and after `end`.
 *
 * Supported: positive strides with begin/end masks (what slicing with steps
 * needs); ellipsis, new-axis and shrink-axis masks throw a clear error.
 */
import * as tf from '@tensorflow/tfjs';

interface StridedSliceAttrs {
  begin: number[];
  end: number[];
  strides?: number[];
  beginMask: number;
  endMask: number;
  ellipsisMask: number;
  newAxisMask: number;
  shrinkAxisMask: number;
}

/** Gradient config for StridedSlice (positive strides). */
export const stridedSliceGradConfig: tf.GradConfig = {
  kernelName: 'StridedSlice',
  inputsToSave: ['x'],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs?: tf.NamedAttrMap) => {
    const g0 = Array.isArray(dy) ? dy[0]! : dy;
    const x = saved[0]!;
    const a = attrs as unknown as StridedSliceAttrs;
    if (a.ellipsisMask || a.newAxisMask || a.shrinkAxisMask) {
      throw new Error('StridedSlice gradient: ellipsis, new-axis and shrink-axis masks are not supported (only begin/end masks and positive strides)');
    }
    return {
      x: () => {
        let g = g0;
        for (let axis = 0; axis < x.rank; axis++) {
          const dim = x.shape[axis]!;
          const s = a.strides?.[axis] ?? 1;
          if (!(s >= 1)) throw new Error(`StridedSlice gradient: stride ${s} on axis ${axis} is not supported (positive strides only)`);
          const norm = (v: number): number => Math.min(dim, Math.max(0, v < 0 ? v + dim : v));
          const b = (a.beginMask >> axis) & 1 ? 0 : norm(a.begin[axis] ?? 0);
          const e = (a.endMask >> axis) & 1 ? dim : norm(a.end[axis] ?? dim);
          const span = Math.max(0, e - b);
          if (s > 1) {
            // [.., k, ..] -> [.., k, s, ..] with zeros in the new slots -> [.., k*s, ..] -> first `span`.
            const k = g.shape[axis]!;
            const expanded = tf.expandDims(g, axis + 1);
            const padding = g.shape.map(() => [0, 0] as [number, number]);
            padding.splice(axis + 1, 0, [0, s - 1]);
            const spread = tf.reshape(tf.pad(expanded, padding), [...g.shape.slice(0, axis), k * s, ...g.shape.slice(axis + 1)]);
            // Trim only when the last stride runs past `end` (odd sizes); slicing is a slow kernel on wasm.
            g = k * s === span ? spread : tf.slice(spread, spread.shape.map(() => 0), spread.shape.map((d, i) => (i === axis ? span : d)));
          }
          if (b > 0 || dim - b - span > 0) {
            const padding = g.shape.map((_, i) => (i === axis ? [b, dim - b - span] : [0, 0]) as [number, number]);
            g = tf.pad(g, padding);
          }
        }
        return g;
      },
    };
  },
};

/** Registers the gradient unless tfjs already has one. */
export function registerStridedSliceGradient(): void {
  if (!tf.getGradient('StridedSlice')) tf.registerGradient(stridedSliceGradConfig);
}
