/**
 * Images as the zoo's folders pass them to each other: encoded (what a decoder
 * takes) and decoded (pixels as a decoder or a canvas gives them, and RGB
 * bytes). A leaf: types only.
 */

/** An encoded image (JPEG, PNG, WebP, …): its bytes, a file path or `file:` URL (Node), or an `http(s):` URL (relative ones in browsers). */
export type EncodedImage = string | URL | Uint8Array | ArrayBuffer;

/** Raw pixels in the shape of a DOM `ImageData` (RGBA), or packed RGB / gray bytes. */
export interface PixelData {
  /** Row-major pixel bytes. */
  data: Uint8Array | Uint8ClampedArray;
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
  /** Channels in `data`: 4 (RGBA, as ImageData), 3 (RGB) or 1 (gray). Default: inferred from the length. */
  channels?: 1 | 3 | 4;
}

/** Decoded RGB bytes: both a {@link PixelData} and what the resampler takes. */
export interface RgbImage {
  /** Row-major RGB bytes. */
  data: Uint8Array;
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
  /** Always 3. */
  channels: 3;
}
