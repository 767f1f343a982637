// The cluster target's cost model: what a call costs on W workers from a calibration run's figures
// (fixed cost per sharded loop, cost per shard, bytes moved per ms), the predicted speedup over the
// single-process build, and the crossover size past which the cluster is worth suggesting.
// Plain arithmetic; `bench:cluster` measures the calibration and prints the predictions beside it.

/** Figures a calibration run measured on the real engine. */
export interface ClusterCalibration {
  /** Per sharded loop and call: upload, the flow, the workers' pick-up, the parent, the polls. */
  readonly fixedMs: number;
  /** Each shard beyond the first. */
  readonly perShardMs: number;
  /** Bytes Redis moves per ms (serialisation + network), one direction. */
  readonly bytesPerMs: number;
}

/** One call's work: its single-process time, the bytes of the arrays its loops touch, its sharded loops. */
export interface ClusterWork {
  readonly singleMs: number;
  readonly bytes: number;
  readonly loops: number;
}

/**
 * Predicted time of a call on `workers` workers, each on its own core, `shards` shards per loop
 * (default 2 per worker): the arrays go up once and down to every worker once.
 */
export function predictClusterMs(
  work: ClusterWork,
  cal: ClusterCalibration,
  workers: number,
  shards = 2 * workers,
): number {
  const transfer = (work.bytes * (1 + workers)) / cal.bytesPerMs;
  return work.loops * (cal.fixedMs + (shards - 1) * cal.perShardMs) + transfer + work.singleMs / workers;
}

/** Predicted speedup of the cluster over the single-process build (> 1: the cluster is faster). */
export function predictSpeedup(work: ClusterWork, cal: ClusterCalibration, workers: number): number {
  return work.singleMs / predictClusterMs(work, cal, workers);
}

/**
 * The smallest size n (elements) at which `workers` workers are predicted to beat one process by
 * `margin`, for work that grows as `at(n)`; undefined when none up to `maxN` (the data grows faster
 * than the compute, or the fixed cost never amortises).
 */
export function crossoverElements(
  at: (n: number) => ClusterWork,
  cal: ClusterCalibration,
  workers: number,
  margin = 1.2,
  maxN = 2 ** 31,
): number | undefined {
  const wins = (n: number): boolean => predictSpeedup(at(n), cal, workers) >= margin;
  let hi = 1;
  while (hi <= maxN && !wins(hi)) hi *= 2;
  if (hi > maxN) return undefined;
  let lo = Math.floor(hi / 2);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (wins(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}
