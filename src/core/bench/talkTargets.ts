// The talk table's non-JS columns, each as `(xs) => number` plus a prepare/compute split where the
// boundary has a copy: native kernels on number[] and on Float64Array (from the bundled kernel
// library when it loads), wasm (copy into linear memory) and a worker (copy into shared memory).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { copyIn, wasmSsd, wasmSum } from './talkWasm.js';
import { inWorker, OPS, shareIn } from './talkWorker.js';

type Xs = ArrayLike<number>;
type Op = keyof typeof OPS;

interface NativeKernels {
  sum(xs: Xs): number;
  mean(xs: Xs): number;
  variance(xs: Xs): number;
  std(xs: Xs): number;
  readonly backend?: string;
}

let native: NativeKernels | undefined;
let nativeError: string | undefined;

/** The bundled kernel library: next to the bundle (dist/) or in the source tree (native/index.ts). */
function kernels(): NativeKernels {
  if (native) return native;
  if (nativeError) throw new Error(nativeError);
  const req = createRequire(__filename);
  const tried: string[] = [];
  for (const candidate of [process.env.HOTLOOP_NATIVE, join(__dirname, 'native.js'), join(__dirname, '..', 'native', 'index.js'), join(__dirname, '..', '..', '..', 'native', 'index.ts')]) {
    if (!candidate) continue;
    try {
      const mod = req(candidate) as { kernels?: NativeKernels; default?: { kernels?: NativeKernels } } & Partial<NativeKernels>;
      const k = mod.kernels ?? mod.default?.kernels ?? (typeof mod.sum === 'function' ? (mod as NativeKernels) : undefined);
      if (k && typeof k.sum === 'function') return (native = k);
      tried.push(`${candidate}: no kernels export`);
    } catch (err) {
      tried.push(`${candidate}: ${(err as Error).message.split('\n')[0] ?? ''}`);
    }
  }
  nativeError = `the bundled native kernel library did not load (${tried.join('; ')})`;
  throw new Error(nativeError);
}

const nativeOp = (op: Op) => (xs: Xs): number => kernels()[op](xs);
export const sumNative = nativeOp('sum');
export const meanNative = nativeOp('mean');
export const varianceNative = nativeOp('variance');
export const stdNative = nativeOp('std');
/** Which backend the kernel library loaded (shown in the table's notes). */
export const nativeBackend = (): string => kernels().backend ?? 'unknown';

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
