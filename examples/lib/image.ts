/**
 * Writing PNG files in Node, for examples that make their own pictures. (Reading
 * images: `decodeImage` / `loadClassifier` of `@resnet/zoo`.)
 */
import { PNG } from 'pngjs';

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
