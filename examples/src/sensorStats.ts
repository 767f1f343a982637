// Statistics over sensor readings: sum, mean, variance and standard deviation, on a Float64Array
// (zero-copy for native code) and on a plain number[] (converted element by element) — the talk's
// sum/mean vs var/std comparison. Plus the realistic parts around them: parsing a CSV export and
// summarising an array of reading objects, which cannot be rewritten as they are.

export interface Reading {
  readonly sensor: string;
  readonly timestamp: number;
  readonly value: number;
}

export function sum(xs: Float64Array): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) {
    s += xs[i];
  }
  return s;
}

export function mean(xs: Float64Array): number {
  return xs.length === 0 ? NaN : sum(xs) / xs.length;
}

function square(x: number): number {
  return x * x;
}

/** Population variance, two-pass (numerically stable enough for sensor data). */
export function variance(xs: Float64Array): number {
  const m = mean(xs);
  let acc = 0;
  for (let i = 0; i < xs.length; i++) {
    acc += square(xs[i] - m);
  }
  return acc / xs.length;
}

export function std(xs: Float64Array): number {
  return Math.sqrt(variance(xs));
}

export function sumArray(xs: number[]): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) {
    s += xs[i];
  }
  return s;
}

export function meanArray(xs: number[]): number {
  return xs.length === 0 ? NaN : sumArray(xs) / xs.length;
}

export function varianceArray(xs: number[]): number {
  const m = meanArray(xs);
  let acc = 0;
  for (const x of xs) {
    acc += (x - m) * (x - m);
  }
  return acc / xs.length;
}

export function stdArray(xs: number[]): number {
  return Math.sqrt(varianceArray(xs));
}

/** Smallest and largest reading in one pass. */
export function range(xs: Float64Array): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    lo = Math.min(lo, xs[i]);
    hi = Math.max(hi, xs[i]);
  }
  return hi - lo;
}

/** Parses `sensor,timestamp,value` lines (string work and calls: not translatable). */
export function parseCsv(text: string): Reading[] {
  const readings: Reading[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const [sensor, timestamp, value] = line.split(',');
    readings.push({ sensor: sensor ?? '', timestamp: Number(timestamp), value: Number.parseFloat(value ?? '') });
  }
  return readings;
}

/** Mean value per sensor over an array of objects (object properties and a Map: not translatable). */
export function meanBySensor(readings: readonly Reading[]): Map<string, number> {
  const totals = new Map<string, { sum: number; count: number }>();
  for (const r of readings) {
    const t = totals.get(r.sensor) ?? { sum: 0, count: 0 };
    t.sum += r.value;
    t.count += 1;
    totals.set(r.sensor, t);
  }
  const means = new Map<string, number>();
  totals.forEach((t, sensor) => means.set(sensor, t.sum / t.count));
  return means;
}

/** The values of the readings as a typed array (the struct-of-arrays form the kernels want). */
export function valuesOf(readings: readonly Reading[]): Float64Array {
  const out = new Float64Array(readings.length);
  for (let i = 0; i < readings.length; i++) {
    out[i] = readings[i].value;
  }
  return out;
}
