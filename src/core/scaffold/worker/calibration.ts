// The worker target's inline threshold, measured on the development machine by
// `npm run bench:scaffold` (pool round trip ≈ dispatch + SharedArrayBuffer handling): below this
// many estimated elementary operations a call is faster on the calling thread.
// Measured 2026-11-25, 2 vCPU (AMD EPYC, shared, noisy), Node 20: a 2-shard round trip ≈ 60–150 µs,
// a JS loop ≈ 1 ns per operation → break-even ≈ 2e5 operations.
export const WORKER_INLINE_BELOW_OPS = 200_000;
