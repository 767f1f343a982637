// The layout example's hot loop: a weighted least-squares line fitted by gradient descent — every
// epoch reads each reading's x, y and w. The layout advisor turns the readings into Float64Array
// columns once, before the epochs.

/** One sensor reading: time, position, value, weight. */
export interface Reading {
  t: number;
  x: number;
  y: number;
  w: number;
}

/** Fits y ≈ a·x + b to the readings, weighted by w, in `epochs` steps of gradient descent. */
export function fitLine(readings: readonly Reading[], epochs: number): [number, number] {
  let a = 0;
  let b = 0;
  const rate = 0.02;
  for (let e = 0; e < epochs; e++) {
    let ga = 0;
    let gb = 0;
    let sw = 0;
    for (const r of readings) {
      const err = a * r.x + b - r.y;
      ga += err * r.x * r.w;
      gb += err * r.w;
      sw += r.w;
    }
    a -= (rate * ga) / sw;
    b -= (rate * gb) / sw;
  }
  return [a, b];
}
