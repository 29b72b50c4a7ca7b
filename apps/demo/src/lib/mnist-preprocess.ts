// Turns a drawing into an MNIST-style digit the way the MNIST set itself was made
// (LeCun et al.): crop to the ink, scale the longer side to 20 px keeping the aspect
// ratio (area averaging, so thin strokes stay grey rather than vanish), then place
// it in a 28×28 frame with its centre of mass at the centre.

/** A greyscale image, row-major, ink = 1, background = 0. */
export interface GrayImage {
  width: number;
  height: number;
  data: Float32Array;
}

/** Pixels above this count as ink when finding the bounding box. */
const INK = 0.1;

/** Bounding box of the ink, or null for a blank image. */
export function inkBox(img: GrayImage): { x0: number; y0: number; x1: number; y1: number } | null {
  let x0 = img.width, y0 = img.height, x1 = -1, y1 = -1;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      if ((img.data[y * img.width + x] ?? 0) > INK) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { x0, y0, x1: x1 + 1, y1: y1 + 1 };
}

/**
 * Area-averaging resample of the source rectangle [sx, sx+sw) × [sy, sy+sh) to
 * tw × th pixels: each target pixel is the mean of the source area it covers.
 */
export function resampleArea(img: GrayImage, sx: number, sy: number, sw: number, sh: number, tw: number, th: number): Float32Array {
  const out = new Float32Array(tw * th);
  const fx = sw / tw, fy = sh / th;
  for (let ty = 0; ty < th; ty++) {
    const ya = sy + ty * fy, yb = ya + fy;
    for (let tx = 0; tx < tw; tx++) {
      const xa = sx + tx * fx, xb = xa + fx;
      let acc = 0;
      for (let y = Math.floor(ya); y < Math.ceil(yb); y++) {
        const wy = Math.min(yb, y + 1) - Math.max(ya, y);
        if (y < 0 || y >= img.height || wy <= 0) continue;
        for (let x = Math.floor(xa); x < Math.ceil(xb); x++) {
          const wx = Math.min(xb, x + 1) - Math.max(xa, x);
          if (x < 0 || x >= img.width || wx <= 0) continue;
          acc += (img.data[y * img.width + x] ?? 0) * wx * wy;
        }
      }
      out[ty * tw + tx] = acc / (fx * fy);
    }
  }
  return out;
}

/**
 * The 28×28 MNIST-style digit (values 0..1) of a drawing, or null when nothing is drawn.
 * `box` is the fitted size of the longer side (20 in MNIST).
 */
export function toMnist(img: GrayImage, box = 20): Float32Array | null {
  const bb = inkBox(img);
  if (!bb) return null;
  const bw = bb.x1 - bb.x0, bh = bb.y1 - bb.y0;
  const side = Math.max(bw, bh);
  // Keep the aspect ratio: fit the longer side to `box`, the shorter one scales alike.
  const tw = Math.max(1, Math.round((bw / side) * box));
  const th = Math.max(1, Math.round((bh / side) * box));
  const small = resampleArea(img, bb.x0, bb.y0, bw, bh, tw, th);
  let mass = 0, cx = 0, cy = 0;
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) {
      const v = small[y * tw + x] ?? 0;
      mass += v;
      cx += v * (x + 0.5);
      cy += v * (y + 0.5);
    }
  }
  cx /= mass;
  cy /= mass;
  const ox = Math.round(14 - cx), oy = Math.round(14 - cy);
  const out = new Float32Array(28 * 28);
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) {
      const X = x + ox, Y = y + oy;
      if (X >= 0 && X < 28 && Y >= 0 && Y < 28) out[Y * 28 + X] = Math.min(1, small[y * tw + x] ?? 0);
    }
  }
  return out;
}
