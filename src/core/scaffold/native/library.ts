// Does a kernel compute what a routine of Hotloop's bundled kernel library computes? Then the native
// scaffold can say "call kernels.<routine>" instead of new C++: the library is SIMD, threaded and
// tested. Decided by running the kernel (IR interpreter) and the library's TS reference on the same
// random inputs — never by guessing from names.
import type { Kernel } from '../../ir/types.js';
import { runKernel } from '../../ir/interpret.js';
import { makeInputs } from '../../ir/random.js';
import { reference } from '../../../../native/reference.js';

type Arr = Float64Array | Float32Array | number[];
interface Candidate {
  readonly call: string;
  readonly arity: number;
  readonly run: (a: readonly Arr[]) => number;
}

const CANDIDATES: readonly Candidate[] = [
  { call: 'sum(x)', arity: 1, run: ([x]) => reference.sum(x!) },
  { call: 'mean(x)', arity: 1, run: ([x]) => reference.mean(x!) },
  { call: 'variance(x)', arity: 1, run: ([x]) => reference.variance(x!) },
  { call: 'variance(x, { ddof: 1 })', arity: 1, run: ([x]) => reference.variance(x!, { ddof: 1 }) },
  { call: 'std(x)', arity: 1, run: ([x]) => reference.std(x!) },
  { call: 'std(x, { ddof: 1 })', arity: 1, run: ([x]) => reference.std(x!, { ddof: 1 }) },
  { call: 'min(x)', arity: 1, run: ([x]) => reference.min(x!) },
  { call: 'max(x)', arity: 1, run: ([x]) => reference.max(x!) },
  { call: 'nrm2(x)', arity: 1, run: ([x]) => reference.nrm2(x!) },
  { call: 'dot(x, y)', arity: 2, run: ([x, y]) => reference.dot(x!, y!) },
];

function close(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

/** `kernels.<routine>(args)` with the kernel's own argument names, or undefined when none matches. */
export function libraryRoutineFor(k: Kernel): string | undefined {
  const arrays = k.params.filter((p) => p.kind === 'array');
  if (
    k.result.kind !== 'scalar' ||
    k.consts.length ||
    arrays.length !== k.params.length ||
    arrays.some((p) => p.access !== 'read' || p.rank === 2)
  )
    return undefined;
  if (arrays.some((p) => p.container === 'typed' && p.dtype !== 'f64' && p.dtype !== 'f32')) return undefined;
  for (const c of CANDIDATES) {
    if (c.arity !== arrays.length) continue;
    const same = [1, 2, 3].every((seed) => {
      const args = makeInputs(k, { n: 257, seed }) as Arr[];
      const want = runKernel(k, args).result;
      try {
        return typeof want === 'number' && close(want, c.run(args));
      } catch {
        return false;
      }
    });
    if (same) {
      const names = arrays.map((p) => p.name);
      return c.call.replace(/\bx\b/, names[0]!).replace(/\by\b/, names[1] ?? 'y');
    }
  }
  return undefined;
}
