// The talk table's worker column: each call crosses to a worker thread and back. The input is copied
// into a SharedArrayBuffer (the marshalling), the worker computes, the caller blocks on Atomics until
// the answer is there: the real cost of a worker boundary per call, kept synchronous for the runner.
import { Worker } from 'node:worker_threads';

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const ctl = new Int32Array(workerData.ctl);
const xs = new Float64Array(workerData.data);
const out = new Float64Array(workerData.out);
for (;;) {
  let state;
  while ((state = Atomics.load(ctl, 0)) !== 1 && state !== 3) Atomics.wait(ctl, 0, state);
  if (state === 3) break;
  const op = ctl[1], n = ctl[2];
  let s = 0;
  for (let i = 0; i < n; i++) s += xs[i];
  let r = s;
  if (op >= 1) r = s / n;
  if (op >= 2) {
    const m = s / n;
    let q = 0;
    for (let i = 0; i < n; i++) { const d = xs[i] - m; q += d * d; }
    r = q / n;
    if (op === 3) r = Math.sqrt(r);
  }
  out[0] = r;
  Atomics.store(ctl, 0, 2);
  Atomics.notify(ctl, 0);
}
`;

export const OPS = { sum: 0, mean: 1, variance: 2, std: 3 } as const;

interface Pool {
  readonly worker: Worker;
  readonly ctl: Int32Array;
  readonly xs: Float64Array;
  readonly out: Float64Array;
}

let pool: Pool | undefined;

function ensure(n: number): Pool {
  if (pool && pool.xs.length >= n) return pool;
  if (pool) {
    Atomics.store(pool.ctl, 0, 3);
    Atomics.notify(pool.ctl, 0);
  }
  const ctl = new SharedArrayBuffer(16);
  const data = new SharedArrayBuffer(Math.max(8, n * 8));
  const out = new SharedArrayBuffer(8);
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ctl, data, out } });
  worker.unref();
  pool = { worker, ctl: new Int32Array(ctl), xs: new Float64Array(data), out: new Float64Array(out) };
  return pool;
}

/** Copies xs into the shared buffer: the marshalling step. Returns n. */
export function shareIn(xs: ArrayLike<number>): number {
  ensure(xs.length).xs.set(xs);
  return xs.length;
}

/** Runs op on the first n shared elements in the worker; blocks until it answers. */
export function inWorker(op: number, n: number): number {
  const p = ensure(n);
  p.ctl[1] = op;
  p.ctl[2] = n;
  Atomics.store(p.ctl, 0, 1);
  Atomics.notify(p.ctl, 0);
  while (Atomics.wait(p.ctl, 0, 1) === 'ok' || Atomics.load(p.ctl, 0) === 1) {
    // Woken (or spurious): loop until the worker has stored 2.
  }
  Atomics.store(p.ctl, 0, 0);
  return p.out[0]!;
}
