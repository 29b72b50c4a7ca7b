/**
 * Reading an image file into a tensor and preparing it the way torchvision's
 * ImageNet models expect. Shared by the examples; copy it into your project.
 */
import * as tf from '@tensorflow/tfjs';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

/** ImageNet channel statistics torchvision's pretrained weights were trained with. */
export const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
/** See {@link IMAGENET_MEAN}. */
export const IMAGENET_STD = [0.229, 0.224, 0.225] as const;

/** Decodes PNG or JPEG bytes (told apart by their magic numbers) to an RGB uint8 tensor `[h, w, 3]`. */
export function decodeImage(bytes: Uint8Array, what = 'image'): tf.Tensor3D {
  let rgba: { width: number; height: number; data: Uint8Array };
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) {
    rgba = PNG.sync.read(Buffer.from(bytes));
  } else if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    rgba = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
  } else {
    throw new Error(`${what}: not a PNG or JPEG file (first bytes ${Array.from(bytes.slice(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ')}); convert it to one of those`);
  }
  return tf.tidy(() => tf.tensor3d(rgba.data, [rgba.height, rgba.width, 4], 'int32').slice([0, 0, 0], [-1, -1, 3]));
}

/**
 * torchvision's ImageNet evaluation transform: resize the shorter side to
 * `resize` (bilinear), center-crop `size`×`size`, scale to [0, 1], normalize
 * with the ImageNet mean and std. Returns a batch of one, NHWC.
 * (torchvision resizes with antialiasing; tfjs' bilinear resize does not, so
 * logits differ slightly from PyTorch's on large downscales.)
 */
export function preprocessImageNet(image: tf.Tensor3D, size = 224, resize = 256): tf.Tensor4D {
  return tf.tidy(() => {
    const [h, w] = image.shape;
    const scale = resize / Math.min(h, w);
    const nh = Math.round(h * scale);
    const nw = Math.round(w * scale);
    const resized = tf.image.resizeBilinear(image.toFloat(), [nh, nw], false, true);
    const top = Math.floor((nh - size) / 2);
    const left = Math.floor((nw - size) / 2);
    const crop = resized.slice([top, left, 0], [size, size, 3]);
    return crop.div(255).sub(IMAGENET_MEAN as unknown as number[]).div(IMAGENET_STD as unknown as number[]).expandDims(0) as tf.Tensor4D;
  });
}

/** Encodes an RGB uint8 tensor `[h, w, 3]` as PNG bytes. */
export async function encodePng(image: tf.Tensor3D): Promise<Uint8Array> {
  const [h, w] = image.shape;
  const rgb = await image.data();
  const png = new PNG({ width: w, height: h });
  for (let i = 0; i < w * h; i++) {
    png.data[4 * i] = rgb[3 * i]!;
    png.data[4 * i + 1] = rgb[3 * i + 1]!;
    png.data[4 * i + 2] = rgb[3 * i + 2]!;
    png.data[4 * i + 3] = 255;
  }
  return new Uint8Array(PNG.sync.write(png));
}
