/**
 * Node only: reading and decoding image files (JPEG, PNG, WebP, GIF, TIFF,
 * AVIF) with `sharp` (libvips; prebuilt binaries come from the npm registry as
 * optional packages, no compiler or download step). Imported lazily by
 * `decode.ts` where `#platform` is Node's; files are read through `#platform`,
 * so no Node built-in is imported here. Like PIL under torchvision, the decoder
 * ignores embedded colour profiles and EXIF orientation, and drops alpha; with
 * that, its JPEG decoding (libjpeg-turbo) gives PIL's pixels to the byte on the
 * test photos.
 */
import { platform } from '#platform';
import { fetchBytes, type FetchLike } from '../weights/source.js';
import { toRgb, type RgbImage } from '../transforms/pixels.js';

/** An encoded image: its bytes, a file path, or a `file:` / `http(s):` URL. */
export type EncodedImage = string | URL | Uint8Array | ArrayBuffer;

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

async function readBytes(source: EncodedImage, fetch?: FetchLike): Promise<{ bytes: Uint8Array; what: string }> {
  if (source instanceof Uint8Array) return { bytes: source, what: 'image bytes' };
  if (source instanceof ArrayBuffer) return { bytes: new Uint8Array(source), what: 'image bytes' };
  const href = source instanceof URL ? source.href : source;
  if (/^https?:\/\//i.test(href)) return { bytes: await fetchBytes(href, fetch), what: href };
  const path = href.startsWith('file:') ? platform.fileURLToPath(href) : href;
  return { bytes: await platform.readFile(path, 'image file'), what: path };
}

/** Decodes an encoded image into RGB bytes. */
export async function decodeImage(source: EncodedImage, opts: { fetch?: FetchLike } = {}): Promise<RgbImage> {
  const { bytes, what } = await readBytes(source, opts.fetch);
  const sharp = await loadSharp();
  let raw: { data: Buffer; info: { width: number; height: number; channels: number } };
  try {
    raw = await sharp(bytes, { ignoreIcc: true, failOn: 'error' }).raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  } catch (e) {
    throw new Error(`${what}: cannot decode the image (${(e as Error).message}); JPEG, PNG, WebP, GIF, TIFF and AVIF are supported`);
  }
  const { data, info } = raw;
  // sharp gives 2 channels for gray + alpha: keep the gray one.
  const channels = info.channels === 2 ? 1 : info.channels;
  const px = info.channels === 2 ? data.filter((_, i) => i % 2 === 0) : data;
  return toRgb(new Uint8Array(px.buffer, px.byteOffset, px.byteLength), info.width, info.height, channels, false, what) as RgbImage;
}
