// Turns a real 28×28 MNIST digit into pen strokes, the way a person would draw
// it: binarise, thin to a one-pixel skeleton (Zhang & Suen 1984), then trace the
// skeleton into polylines. The e2e test replays these strokes with the mouse (or
// a finger) on the page's canvas, so the classifier sees a hand-drawn digit
// rather than pasted pixels.

const N = 28;

/** Ink mask of a digit (values 0..1). */
function binarise(digit, threshold = 0.35) {
  return Uint8Array.from(digit, (v) => (v > threshold ? 1 : 0));
}

/** Zhang–Suen thinning of a binary N×N image; returns a new mask. */
export function thin(mask) {
  const m = Uint8Array.from(mask);
  const at = (x, y) => (x < 0 || y < 0 || x >= N || y >= N ? 0 : m[y * N + x]);
  let changed = true;
  while (changed) {
    changed = false;
    for (const pass of [0, 1]) {
      const del = [];
      for (let y = 0; y < N; y++) {
        for (let x = 0; x < N; x++) {
          if (!m[y * N + x]) continue;
          // Neighbours P2..P9 clockwise from north.
          const p = [at(x, y - 1), at(x + 1, y - 1), at(x + 1, y), at(x + 1, y + 1), at(x, y + 1), at(x - 1, y + 1), at(x - 1, y), at(x - 1, y - 1)];
          const b = p.reduce((s, v) => s + v, 0);
          if (b < 2 || b > 6) continue;
          let a = 0;
          for (let i = 0; i < 8; i++) if (!p[i] && p[(i + 1) % 8]) a++;
          if (a !== 1) continue;
          const [p2, , p4, , p6, , p8] = p;
          if (pass === 0 ? p2 * p4 * p6 === 0 && p4 * p6 * p8 === 0 : p2 * p4 * p8 === 0 && p2 * p6 * p8 === 0) del.push(y * N + x);
        }
      }
      for (const i of del) m[i] = 0;
      if (del.length) changed = true;
    }
  }
  return m;
}

const NEIGH = [
  [0, -1], [1, 0], [0, 1], [-1, 0], // 4-neighbours first: walks prefer straight steps
  [1, -1], [1, 1], [-1, 1], [-1, -1],
];

/** Traces a skeleton into polylines of pixel centres; every skeleton pixel lies on some stroke. */
export function trace(skel) {
  const on = (x, y) => x >= 0 && y >= 0 && x < N && y < N && skel[y * N + x] === 1;
  const seen = new Uint8Array(N * N);
  const degree = (x, y) => NEIGH.filter(([dx, dy]) => on(x + dx, y + dy)).length;
  const strokes = [];
  const walk = (x, y) => {
    const path = [[x, y]];
    seen[y * N + x] = 1;
    for (;;) {
      const next = NEIGH.map(([dx, dy]) => [x + dx, y + dy]).find(([nx, ny]) => on(nx, ny) && !seen[ny * N + nx]);
      if (!next) break;
      [x, y] = next;
      seen[y * N + x] = 1;
      path.push([x, y]);
    }
    // Close the gap to a junction or back to the start of a loop.
    const [px, py] = path.length > 1 ? path[path.length - 2] : [-9, -9];
    const join = NEIGH.map(([dx, dy]) => [x + dx, y + dy]).find(([nx, ny]) => on(nx, ny) && !(nx === px && ny === py));
    if (join && path.length > 1) path.push(join);
    strokes.push(path);
  };
  // Open strokes from their endpoints first, then whatever is left (loops).
  for (let y = 0; y < N; y++) for (let x = 0; x < N; x++) if (on(x, y) && !seen[y * N + x] && degree(x, y) === 1) walk(x, y);
  for (let y = 0; y < N; y++) for (let x = 0; x < N; x++) if (on(x, y) && !seen[y * N + x]) walk(x, y);
  return strokes;
}

/**
 * Strokes for a digit in canvas coordinates (`size` px square canvas), with the pen
 * width that reproduces the digit's ink area: area ≈ skeleton length × width.
 */
export function digitStrokes(digit, size = 280) {
  const mask = binarise(digit);
  const skel = thin(mask);
  const strokes = trace(skel);
  const scale = size / N;
  const ink = mask.reduce((s, v) => s + v, 0);
  const length = skel.reduce((s, v) => s + v, 0);
  return {
    strokes: strokes.map((s) => s.map(([x, y]) => [(x + 0.5) * scale, (y + 0.5) * scale])),
    penWidth: (ink / Math.max(1, length)) * scale,
  };
}
