// Statistics of a benchmark: median, MAD, seeded percentile-bootstrap 95 % CIs of a median and of a
// ratio of medians, and the plain-language verdict decided by that CI.
import { fmtRatio } from '../format.js';
import { prng } from './inputs.js';
import type { Interval } from './types.js';

/** Linear-interpolated quantile (q in [0, 1]) of an ascending-sorted array. */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError('quantile of an empty sample');
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (pos - lo);
}

const ascending = (a: number, b: number): number => a - b;

export function median(xs: readonly number[]): number {
  return quantileSorted([...xs].sort(ascending), 0.5);
}

/** Median absolute deviation (unscaled). */
export function mad(xs: readonly number[]): number {
  const m = median(xs);
  return median(xs.map((x) => Math.abs(x - m)));
}

function resampleMedian(xs: readonly number[], rand: () => number, buf: number[]): number {
  for (let i = 0; i < xs.length; i++) buf[i] = xs[Math.floor(rand() * xs.length)]!;
  buf.sort(ascending);
  return quantileSorted(buf, 0.5);
}

/** Percentile-bootstrap CI of the median (seeded, so the same samples give the same interval). */
export function bootstrapMedianCI(xs: readonly number[], resamples = 2000, level = 0.95, seed = 1): Interval {
  if (xs.length === 0) throw new RangeError('bootstrap of an empty sample');
  const rand = prng(seed);
  const buf = new Array<number>(xs.length);
  const meds: number[] = [];
  for (let r = 0; r < resamples; r++) meds.push(resampleMedian(xs, rand, buf));
  meds.sort(ascending);
  const alpha = (1 - level) / 2;
  return { low: quantileSorted(meds, alpha), high: quantileSorted(meds, 1 - alpha) };
}

/** Bootstrap CI of median(num) ÷ median(den), resampling both independently. */
export function bootstrapRatioCI(
  num: readonly number[],
  den: readonly number[],
  resamples = 2000,
  level = 0.95,
  seed = 2,
): Interval {
  if (num.length === 0 || den.length === 0) throw new RangeError('bootstrap of an empty sample');
  const rand = prng(seed);
  const bn = new Array<number>(num.length);
  const bd = new Array<number>(den.length);
  const ratios: number[] = [];
  for (let r = 0; r < resamples; r++)
    ratios.push(resampleMedian(num, rand, bn) / resampleMedian(den, rand, bd));
  ratios.sort(ascending);
  const alpha = (1 - level) / 2;
  return { low: quantileSorted(ratios, alpha), high: quantileSorted(ratios, 1 - alpha) };
}

/**
 * Paired bootstrap CI of the median of per-round ratios num[i] ÷ den[i]: samples taken back to back
 * (interleaved rounds) share the machine's momentary load, so their ratio cancels most of the drift.
 */
export function bootstrapPairedRatioCI(
  num: readonly number[],
  den: readonly number[],
  resamples = 2000,
  level = 0.95,
  seed = 3,
): { ratio: number; ci: Interval } {
  if (num.length !== den.length || num.length === 0)
    throw new RangeError('paired bootstrap needs two samples of the same, non-zero length');
  const ratios = num.map((x, i) => x / den[i]!);
  const rand = prng(seed);
  const buf = new Array<number>(ratios.length);
  const meds: number[] = [];
  for (let r = 0; r < resamples; r++) meds.push(resampleMedian(ratios, rand, buf));
  meds.sort(ascending);
  const alpha = (1 - level) / 2;
  return {
    ratio: median(ratios),
    ci: { low: quantileSorted(meds, alpha), high: quantileSorted(meds, 1 - alpha) },
  };
}

export type Verdict = 'faster' | 'slower' | 'no difference';

/**
 * Decided by the CI of the speedup (reference ÷ variant): faster only when the whole CI is above 1
 * and not entirely inside the equivalence band [1/(1+e), 1+e]; slower symmetrically; else no difference.
 * With the point estimate given, it must lie outside the band too: a CI of 1.00–1.31× around 1.11×
 * with a ±25 % band is a difference too small to claim (on a loaded machine such CIs are common).
 */
export function verdictOf(ci: Interval, equivalence = 0.03, point?: number): Verdict {
  const band = 1 + equivalence;
  const outside = point === undefined || point > band || point < 1 / band;
  if (ci.low > 1 && ci.high > band && outside) return 'faster';
  if (ci.high < 1 && ci.low < 1 / band && outside) return 'slower';
  return 'no difference';
}

/** The sentence shown for a pair. */
export function verdictText(
  variant: string,
  reference: string,
  ratio: number,
  ci: Interval,
  verdict: Verdict,
): string {
  if (verdict === 'no difference') {
    return `${variant}: no difference from ${reference} (95 % CI of the speedup ${fmtRatio(ci.low)}–${fmtRatio(ci.high)}×)`;
  }
  if (verdict === 'faster') {
    return `${variant} is ${fmtRatio(ratio)}× faster than ${reference} (95 % CI ${fmtRatio(ci.low)}–${fmtRatio(ci.high)}×)`;
  }
  return `${variant} is ${fmtRatio(1 / ratio)}× slower than ${reference} (95 % CI ${fmtRatio(1 / ci.high)}–${fmtRatio(1 / ci.low)}×)`;
}
