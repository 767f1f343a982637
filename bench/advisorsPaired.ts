// The before/after measurement every `bench:advisors` figure shares: the original and the rewrite
// run in pairs in one process (one warm-up each first), every pair's results compared, and the
// speedup is the median of the paired ratios with its paired-bootstrap 95 % CI (src/core/bench/stats.ts).
import { deepStrictEqual } from 'node:assert/strict';
import { bootstrapPairedRatioCI, median } from '../src/core/bench/stats.js';

export const round2 = (x: number): number => Math.round(x * 100) / 100;

/** What every advisor figure reports; each bench adds what its example is. */
export interface PairedFigure {
  speedup: number;
  ci: [number, number];
  correct: boolean;
  rounds: number;
  median_ms: { original: number; rewritten: number };
}

export interface PairedOptions {
  rounds: number;
  /** Alternate which side runs first, so a round's drift (GC, a neighbour's burst) cancels. */
  alternate?: boolean;
  /** Called once per round after the pair (e.g. to time a part of the work apart). */
  afterRound?: () => void;
}

async function timed<T>(f: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await f();
  return { ms: performance.now() - t0, value };
}

/** Times `original` against `rewritten` (deep-equal results required for `correct`). */
export async function pairedRounds<T>(
  original: () => T | Promise<T>,
  rewritten: () => T | Promise<T>,
  o: PairedOptions,
): Promise<PairedFigure> {
  await timed(original); // warm-up: JIT, connections
  await timed(rewritten);
  const a: number[] = [];
  const b: number[] = [];
  let correct = true;
  for (let k = 0; k < o.rounds; k++) {
    let x: { ms: number; value: T };
    let y: { ms: number; value: T };
    if (o.alternate && k % 2 === 1) {
      y = await timed(rewritten);
      x = await timed(original);
    } else {
      x = await timed(original);
      y = await timed(rewritten);
    }
    o.afterRound?.();
    try {
      deepStrictEqual(y.value, x.value);
    } catch {
      correct = false;
    }
    a.push(x.ms);
    b.push(y.ms);
  }
  const { ratio, ci } = bootstrapPairedRatioCI(a, b);
  return {
    speedup: round2(ratio),
    ci: [round2(ci.low), round2(ci.high)],
    correct,
    rounds: o.rounds,
    median_ms: { original: round2(median(a)), rewritten: round2(median(b)) },
  };
}
