/**
 * Node only: decoding image files (JPEG, PNG, WebP, GIF, TIFF, AVIF) with
 * `sharp` (libvips; prebuilt binaries come from the npm registry as optional
 * packages, no compiler or download step), loaded on first use. Like PIL under
 * torchvision, the decoder ignores embedded colour profiles and EXIF
 * orientation; with that, its JPEG decoding (libjpeg-turbo) gives PIL's pixels
 * to the byte on the test photos.
 */
import type { PixelData } from '../spec/image.js';

type Sharp = typeof import('sharp').default;
let sharpModule: Promise<Sharp> | undefined;
/** Kept out of every bundle: a specifier in a variable is one no bundler follows. */
const SHARP = 'sharp';

async function loadSharp(): Promise<Sharp> {
  sharpModule ??= (import(/* webpackIgnore: true */ /* @vite-ignore */ SHARP) as Promise<{ default?: Sharp }>).then(
    (m) => m.default ?? (m as unknown as Sharp),
    (e: Error) => {
      sharpModule = undefined;
      throw new Error(`decoding image files in Node needs the 'sharp' package (npm install sharp): ${e.message}`);
    },
  );
  return sharpModule;
}

/** Decodes encoded image bytes into gray, RGB or RGBA pixels; errors name the image as `what`. */
export async function decodeImageBytes(bytes: Uint8Array, what: string): Promise<PixelData> {
  const sharp = await loadSharp();
  let raw: { data: Buffer; info: { width: number; height: number; channels: number } };
  try {
    raw = await sharp(bytes, { ignoreIcc: true, failOn: 'error' }).raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  } catch (e) {
    throw new Error(`${what}: cannot decode the image (${(e as Error).message}); JPEG, PNG, WebP, GIF, TIFF and AVIF are supported`);
  }
  const { data, info } = raw;
  // sharp gives 2 channels for gray + alpha: keep the gray one.
  const px = info.channels === 2 ? data.filter((_, i) => i % 2 === 0) : data;
  const channels = (info.channels === 2 ? 1 : info.channels) as 1 | 3 | 4;
  return { data: new Uint8Array(px.buffer, px.byteOffset, px.byteLength), width: info.width, height: info.height, channels };
}
