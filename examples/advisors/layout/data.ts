// Sensor readings for the layout example: `n` objects { x, y, w } from a seeded generator, sorted by
// time as a real pipeline would (so the objects sit in memory in another order than the array's).
import type { Reading } from './fit.js';

export function makeReadings(n: number, seed = 20): Reading[] {
  let s = seed >>> 0;
  const rnd = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const out: Reading[] = [];
  for (let k = 0; k < n; k++) {
    const x = rnd() * 10;
    out.push({ t: rnd(), x, y: 3 * x + 2 + (rnd() - 0.5), w: 0.5 + rnd() });
  }
  return out.sort((a, b) => a.t - b.t);
}
