// The cluster cost model: compute-bound work crosses over, data-bound work never does, more workers
// cross over earlier, and the crossover is the first size that wins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  crossoverElements,
  predictClusterMs,
  predictSpeedup,
  type ClusterCalibration,
  type ClusterWork,
} from '../../src/core/scaffold/cluster/costModel.js';

const cal: ClusterCalibration = { fixedMs: 50, perShardMs: 2, bytesPerMs: 500_000 };
/** n-body-like: O(n²) compute (1 ns per pair), 7 arrays of n doubles. */
const nbody = (n: number): ClusterWork => ({ singleMs: n * n * 1e-6, bytes: 7 * 8 * n, loops: 2 });
/** sum-like: O(n) compute (0.3 ns per element) on 8 bytes per element. */
const sum = (n: number): ClusterWork => ({ singleMs: n * 3e-7, bytes: 8 * n, loops: 1 });

test('the predicted time adds the fixed cost, the shards, the transfer and the compute share', () => {
  const ms = predictClusterMs({ singleMs: 400, bytes: 1_000_000, loops: 1 }, cal, 4, 8);
  assert.equal(ms, 50 + 7 * 2 + (1_000_000 * 5) / 500_000 + 100);
});

test('compute-bound work crosses over; a few more workers cross over earlier, many do not', () => {
  const at2 = crossoverElements(nbody, cal, 2);
  const at4 = crossoverElements(nbody, cal, 4);
  assert.ok(at2 !== undefined && at4 !== undefined);
  assert.ok(at4 < at2, `${at4} !< ${at2}`);
  // Past some count every extra worker costs a download and shards more than it saves.
  const at64 = crossoverElements(nbody, cal, 64);
  assert.ok(at64 === undefined || at64 > at4, `${at64} vs ${at4}`);
  assert.ok(predictSpeedup(nbody(at4), cal, 4) >= 1.2);
  assert.ok(predictSpeedup(nbody(at4 - 1), cal, 4) < 1.2);
});

test('data-bound work (a sum) never crosses over: shipping the data costs more than summing it', () => {
  assert.equal(crossoverElements(sum, cal, 64), undefined);
});
