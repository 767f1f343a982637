// The bundled kernel library as a benchmark variant (`builtin:library`): one export per routine that
// `libraryRoutineFor` (scaffold/native/library.ts) can match, so `hotloop optimize` and the lens can
// put "what the library already does" beside the original and the scaffolds.
import { getKernels } from '../../../native/index.js';
import type { NumArray } from '../../../native/types.js';

const k = () => getKernels();

export const sum = (x: NumArray): number => k().sum(x);
export const mean = (x: NumArray): number => k().mean(x);
export const variance = (x: NumArray): number => k().variance(x, { ddof: 0 });
export const varianceSample = (x: NumArray): number => k().variance(x, { ddof: 1 });
export const std = (x: NumArray): number => k().std(x, { ddof: 0 });
export const stdSample = (x: NumArray): number => k().std(x, { ddof: 1 });
export const min = (x: NumArray): number => k().min(x);
export const max = (x: NumArray): number => k().max(x);
export const nrm2 = (x: NumArray): number => k().nrm2(x);
export const dot = (x: NumArray, y: NumArray): number => k().dot(x, y);
type FA = Float64Array | Float32Array;
/** `x` cut to `len` elements (a zero-copy view) when a caller's array is longer than the routine needs. */
const fit = <X extends FA>(x: X, len: number): X => (x.length > len ? (x.subarray(0, len) as X) : x);
/** C (m×n) = A (m×k) · B (k×n), row-major, written into C (as a loop that fills its output does). */
export const gemm = (m: number, n: number, kk: number, A: FA, B: FA, C: FA): void => {
  k().gemm(m, n, kk, fit(A, m * kk), fit(B, kk * n), { out: fit(C, m * n) });
};
/** y (m) = A (m×n) · x (n), row-major, written into y. */
export const gemv = (m: number, n: number, A: FA, x: FA, y: FA): void => {
  k().gemv(m, n, fit(A, m * n), fit(x, n), { out: fit(y, m) });
};
/** Which backend the library loaded here: `native`, `wasm` or `ts` (shown in the variant's label). */
export const backend = (): string => k().backend;

/** The export of this module for a `libraryRoutineFor` call text (`variance(xs, { ddof: 1 })` → `varianceSample`). */
export function libraryExportFor(call: string): string | undefined {
  const m = /^(\w+)\(/.exec(call);
  if (!m) return undefined;
  const name = m[1]!;
  const sample = /ddof:\s*1/.test(call);
  if ((name === 'variance' || name === 'std') && sample) return `${name}Sample`;
  return ['sum', 'mean', 'variance', 'std', 'min', 'max', 'nrm2', 'dot'].includes(name) ? name : undefined;
}
