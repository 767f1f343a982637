// The worker target's inline threshold: below this many estimated elementary operations a call
// runs the original on the calling thread, because a pool round trip costs more.
// Measured by `npm run bench:scaffold` (its "worker round trip … break-even" line): on the
// development VM (2 vCPU AMD EPYC, Node 20, 2026-11-25, heavily shared: load average 20–30) a
// forced 2-shard round trip took 3–15 ms and the original sum ≈ 0.7–1.4 ns per operation, so
// break-even is in the millions of operations. On an idle machine the round trip is ~0.1 ms;
// re-measure there and lower this (it is a constant in each generated index.ts).
export const WORKER_INLINE_BELOW_OPS = 2_000_000;
