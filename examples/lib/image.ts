/**
 * Reading PNG / JPEG files into pixels in Node (in a browser, use an <img> and
 * `tf.browser.fromPixels` instead). Shared by the examples; copy it into your project.
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

/** RGBA pixels, row-major: the shape of a DOM `ImageData`, which `@resnet/zoo`'s `preprocess` takes. */
export interface RgbaImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/** Decodes PNG or JPEG bytes, told apart by their magic numbers. */
export function decodeImage(bytes: Uint8Array, what = 'image'): RgbaImage {
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) {
    const png = PNG.sync.read(Buffer.from(bytes));
    return { data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.length), width: png.width, height: png.height };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    const { data, width, height } = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
    return { data, width, height };
  }
  const head = Array.from(bytes.slice(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new Error(`${what}: not a PNG or JPEG file (first bytes ${head}); convert it to one of those`);
}

/** Encodes RGB bytes (`width·height·3`, row-major) as a PNG file. */
export function encodePng(rgb: ArrayLike<number>, width: number, height: number): Uint8Array {
  if (rgb.length !== width * height * 3) throw new Error(`encodePng: ${rgb.length} values; ${width}×${height} RGB needs ${width * height * 3}`);
  const png = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) {
    png.data[4 * i] = rgb[3 * i]!;
    png.data[4 * i + 1] = rgb[3 * i + 1]!;
    png.data[4 * i + 2] = rgb[3 * i + 2]!;
    png.data[4 * i + 3] = 255;
  }
  return new Uint8Array(PNG.sync.write(png));
}
