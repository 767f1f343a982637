import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  bootstrapMedianCI,
  bootstrapPairedRatioCI,
  bootstrapRatioCI,
  mad,
  median,
  quantileSorted,
  verdictOf,
  verdictText,
} from '../../src/core/bench/stats.js';
import { compareOutputs, toleranceFor } from '../../src/core/bench/compare.js';
import { makeArgs, prng } from '../../src/core/bench/inputs.js';
import { crossoverOf, logSizes } from '../../src/core/bench/sweep.js';
import { summarize } from '../../src/core/bench/runner.js';

describe('bench statistics', () => {
  test('median and MAD of known data', () => {
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    // |x - 3| = 2, 1, 0, 1, 97 → median 1
    assert.equal(mad([1, 2, 3, 4, 100]), 1);
    assert.equal(quantileSorted([10, 20, 30, 40, 50], 0.25), 20);
    assert.throws(() => median([]), /empty/);
  });

  test('bootstrap CI of the median contains the median, is deterministic and narrows with more data', () => {
    const rand = prng(7);
    const small = Array.from({ length: 20 }, () => 100 + 10 * (rand() - 0.5));
    const large = Array.from({ length: 400 }, () => 100 + 10 * (rand() - 0.5));
    const a = bootstrapMedianCI(small, 1000);
    assert.deepEqual(a, bootstrapMedianCI(small, 1000));
    assert.ok(a.low <= median(small) && median(small) <= a.high);
    const b = bootstrapMedianCI(large, 1000);
    assert.ok(b.high - b.low < a.high - a.low, `${b.high - b.low} < ${a.high - a.low}`);
    assert.ok(
      Math.abs(b.low - 100) < 1.5 && Math.abs(b.high - 100) < 1.5,
      `CI ${JSON.stringify(b)} close to the true median 100`,
    );
    // A constant sample has a zero-width CI.
    assert.deepEqual(bootstrapMedianCI([3, 3, 3, 3]), { low: 3, high: 3 });
  });

  test('bootstrap CI of a ratio brackets the true ratio', () => {
    const rand = prng(11);
    const slow = Array.from({ length: 60 }, () => 230 * (1 + 0.02 * (rand() - 0.5)));
    const fast = Array.from({ length: 60 }, () => 100 * (1 + 0.02 * (rand() - 0.5)));
    const ci = bootstrapRatioCI(slow, fast, 1000);
    assert.ok(ci.low > 2.25 && ci.low < 2.3 && ci.high > 2.3 && ci.high < 2.35, JSON.stringify(ci));
    assert.equal(verdictOf(ci), 'faster');
    assert.match(
      verdictText('wasm', 'the original', 2.3, ci, 'faster'),
      /^wasm is 2\.30× faster than the original \(95 % CI 2\.\d\d–2\.\d\d×\)$/,
    );
  });

  test('the paired ratio CI cancels drift that hits both variants alike', () => {
    const rand = prng(13);
    // Load drifts 3× over the run; the variant is always 2× faster in the same round.
    const drift = Array.from({ length: 40 }, (_, i) => 1 + (2 * i) / 39);
    const ref = drift.map((d) => 200 * d * (1 + 0.01 * (rand() - 0.5)));
    const fast = drift.map((d) => 100 * d * (1 + 0.01 * (rand() - 0.5)));
    const paired = bootstrapPairedRatioCI(ref, fast, 1000);
    const independent = bootstrapRatioCI(ref, fast, 1000);
    assert.ok(Math.abs(paired.ratio - 2) < 0.01);
    assert.ok(
      paired.ci.high - paired.ci.low < (independent.high - independent.low) / 5,
      `${JSON.stringify(paired.ci)} vs ${JSON.stringify(independent)}`,
    );
    assert.throws(() => bootstrapPairedRatioCI([1, 2], [1]), /same/);
  });

  test('verdict is decided by the CI and the equivalence band', () => {
    assert.equal(verdictOf({ low: 0.98, high: 1.03 }), 'no difference');
    assert.equal(verdictOf({ low: 1.005, high: 1.02 }), 'no difference', 'inside ±3 %');
    assert.equal(verdictOf({ low: 1.01, high: 1.2 }), 'faster');
    assert.equal(verdictOf({ low: 0.4, high: 0.5 }), 'slower');
    assert.equal(verdictOf({ low: 1.005, high: 1.02 }, 0), 'faster');
    // With the point estimate: a CI that excludes 1 around a ratio inside the band is no difference.
    assert.equal(verdictOf({ low: 1.0, high: 1.31 }, 0.25, 1.11), 'no difference');
    assert.equal(verdictOf({ low: 1.01, high: 1.31 }, 0.25, 1.11), 'no difference');
    assert.equal(verdictOf({ low: 1.01, high: 1.31 }, 0.03, 1.11), 'faster');
    assert.equal(verdictOf({ low: 0.6, high: 0.99 }, 0.25, 0.85), 'no difference');
    assert.equal(verdictOf({ low: 0.6, high: 0.7 }, 0.25, 0.65), 'slower');
    assert.match(
      verdictText('native', 'plain JS', 0.5, { low: 0.4, high: 0.625 }, 'slower'),
      /2\.00× slower than plain JS \(95 % CI 1\.60–2\.50×\)/,
    );
  });

  test('summarize flags noisy samples', () => {
    assert.equal(summarize([100, 101, 99, 100, 100, 101, 99], 10, 500).noisy, false);
    assert.equal(summarize([100, 150, 60, 130, 80, 170, 50], 10, 500).noisy, true);
  });
});

describe('bench correctness and inputs', () => {
  test('tolerance grows with n only for reassociating or f32 variants', () => {
    const exact = toleranceFor(10, { n: 1e6, reassociates: false, f32: false });
    const reassoc = toleranceFor(10, { n: 1e6, reassociates: true, f32: false });
    assert.ok(reassoc > exact * 1000);
    assert.ok(toleranceFor(10, { n: 10, reassociates: false, f32: true }) > exact * 1e6);
  });

  test('compareOutputs catches a wrong scalar and a wrong array element', () => {
    const m = { n: 100, reassociates: false, f32: false };
    assert.equal(
      compareOutputs({ kind: 'scalar', value: 1.5 }, { kind: 'scalar', value: 1.5 + 1e-15 }, m).status,
      'ok',
    );
    assert.equal(
      compareOutputs({ kind: 'scalar', value: 1.5 }, { kind: 'scalar', value: 1.5001 }, m).status,
      'wrong',
    );
    assert.equal(
      compareOutputs({ kind: 'scalar', value: NaN }, { kind: 'scalar', value: NaN }, m).status,
      'ok',
    );
    const arr = (values: number[]) => ({ kind: 'array' as const, length: values.length, stride: 1, values });
    const r = compareOutputs(arr([1, 2, 3]), arr([1, 2, 4]), m);
    assert.equal(r.status, 'wrong');
    assert.match(r.detail, /element 2/);
    assert.equal(compareOutputs(arr([1, 2]), arr([1, 2, 3]), m).status, 'wrong');
  });

  test('inputs are identical across forms and seeded', () => {
    const spec = [{ kind: 'array', dtype: 'f64' } as const, { kind: 'scalar', value: 'n' } as const];
    const a = makeArgs(spec, 50, 3, 'array');
    const t = makeArgs(spec, 50, 3, 'typed');
    assert.ok(Array.isArray(a[0]));
    assert.ok(t[0] instanceof Float64Array);
    assert.deepEqual(Array.from(t[0]), a[0]);
    assert.equal(a[1], 50);
    assert.notDeepEqual(makeArgs(spec, 50, 4, 'array')[0], a[0]);
  });

  test('sweep sizes are log-spaced and the crossover is where the variant stays faster', () => {
    assert.deepEqual(logSizes(1000, 1), [1, 10, 100, 1000]);
    assert.deepEqual(logSizes(100, 2), [1, 3, 10, 32, 100]);
    const pts = [1, 10, 100, 1000].map((n, i) => ({
      n,
      marshalNs: 0,
      ns: { ref: 100 * n, fast: [5000, 1100, 9000, 90000][i]! },
    }));
    assert.equal(crossoverOf(pts, 'ref', 'fast'), 100);
    assert.equal(crossoverOf(pts, 'ref', 'missing'), null);
  });
});
