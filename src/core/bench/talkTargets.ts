// The talk table's non-JS columns, each as `(xs) => number` plus a prepare/compute split where the
// boundary has a copy: native kernels on number[] and on Float64Array (from the bundled kernel
// library when it loads), wasm (copy into linear memory) and a worker (copy into shared memory).
import { getKernels } from '../../../native/index.js';
import type { Kernels } from '../../../native/index.js';
import { copyIn, wasmSsd, wasmSum } from './talkWasm.js';
import { inWorker, OPS, shareIn } from './talkWorker.js';

type Xs = ArrayLike<number>;
type Op = keyof typeof OPS;

/** The bundled kernel library, which must really be native here (its wasm/TS fallbacks are other columns). */
function kernels(): Kernels {
  const k = getKernels();
  if (k.backend !== 'native') {
    const why = k.tried
      .filter((t) => t.backend === 'native' && !t.ok)
      .map((t) => `${t.what}: ${t.error ?? 'failed'}`);
    throw new Error(
      `the native kernel library did not load (${why.join('; ')}); run \`npm run build:native\``,
    );
  }
  return k;
}

// Population variance (ddof 0), like the plain-JS column.
const nativeOp =
  (op: Op) =>
  (xs: Xs): number =>
    op === 'variance' || op === 'std'
      ? kernels()[op](xs as number[], { ddof: 0 })
      : kernels()[op](xs as number[]);
export const sumNative = nativeOp('sum');
export const meanNative = nativeOp('mean');
export const varianceNative = nativeOp('variance');
export const stdNative = nativeOp('std');
/** Which backend the kernel library loaded (shown in the table's notes). */
export const nativeBackend = (): string => getKernels().backend;

function wasmCompute(op: Op, n: number): number {
  if (op === 'sum') return wasmSum(n);
  const mean = wasmSum(n) / n;
  if (op === 'mean') return mean;
  const v = wasmSsd(n, mean) / n;
  return op === 'std' ? Math.sqrt(v) : v;
}

export const wasmPrepare = (xs: Xs): [number] => [copyIn(xs)];
export const sumWasmCompute = (n: number): number => wasmCompute('sum', n);
export const meanWasmCompute = (n: number): number => wasmCompute('mean', n);
export const varianceWasmCompute = (n: number): number => wasmCompute('variance', n);
export const stdWasmCompute = (n: number): number => wasmCompute('std', n);
export const sumWasm = (xs: Xs): number => wasmCompute('sum', copyIn(xs));
export const meanWasm = (xs: Xs): number => wasmCompute('mean', copyIn(xs));
export const varianceWasm = (xs: Xs): number => wasmCompute('variance', copyIn(xs));
export const stdWasm = (xs: Xs): number => wasmCompute('std', copyIn(xs));

export const workerPrepare = (xs: Xs): [number] => [shareIn(xs)];
export const sumWorkerCompute = (n: number): number => inWorker(OPS.sum, n);
export const meanWorkerCompute = (n: number): number => inWorker(OPS.mean, n);
export const varianceWorkerCompute = (n: number): number => inWorker(OPS.variance, n);
export const stdWorkerCompute = (n: number): number => inWorker(OPS.std, n);
export const sumWorker = (xs: Xs): number => inWorker(OPS.sum, shareIn(xs));
export const meanWorker = (xs: Xs): number => inWorker(OPS.mean, shareIn(xs));
export const varianceWorker = (xs: Xs): number => inWorker(OPS.variance, shareIn(xs));
export const stdWorker = (xs: Xs): number => inWorker(OPS.std, shareIn(xs));
