// Which routine of the bundled kernel library computes a loop's kernel, up to reassociation, and how
// to call it. Reductions (sum, dot, variance…) come from the native scaffold's matcher; the BLAS
// shapes that write an output (gemv, gemm) are matched here by trying every assignment of the
// kernel's arrays and sizes to the routine's roles, with distinct sizes per role so that m, n and k
// cannot be confused, and comparing what the kernel (IR interpreter) writes with the library's TS
// reference. The library sums in another order (blocked, SIMD), so the benchmark states its error.
import { reference } from '../../../native/reference.js';
import { runKernel } from '../ir/interpret.js';
import { Rng } from '../ir/random.js';
import type { Kernel, KernelArg } from '../ir/types.js';
import { libraryExportFor } from '../bench/library.js';
import { libraryRoutineFor } from '../scaffold/native/library.js';

export interface LibraryMatch {
  /** The library routine (`gemm`, `dot`…). */
  readonly routine: string;
  /** Export of the `builtin:library` module. */
  readonly export: string;
  /** The export's arguments as indices into the kernel's parameters (absent: the same order). */
  readonly argOrder?: readonly number[];
  /** The call as a reader would write it, with the kernel's own names. */
  readonly call: string;
}

interface Blas {
  readonly routine: string;
  readonly arrays: readonly string[];
  readonly sizes: readonly string[];
  /** Array lengths for the sizes (by role). */
  readonly lengths: (s: Readonly<Record<string, number>>) => Readonly<Record<string, number>>;
  /** The output role (written by the kernel and by the library). */
  readonly output: string;
  /** The export's argument roles in order. */
  readonly exportOrder: readonly string[];
  readonly run: (r: Readonly<Record<string, Float64Array | number>>) => void;
}

const BLAS: readonly Blas[] = [
  {
    routine: 'gemm',
    arrays: ['A', 'B', 'C'],
    sizes: ['m', 'n', 'k'],
    output: 'C',
    exportOrder: ['m', 'n', 'k', 'A', 'B', 'C'],
    lengths: (s) => ({ A: s.m! * s.k!, B: s.k! * s.n!, C: s.m! * s.n! }),
    run: (r) => {
      reference.gemm(r.m as number, r.n as number, r.k as number, r.A as Float64Array, r.B as Float64Array, {
        out: r.C as Float64Array,
      });
    },
  },
  {
    routine: 'gemv',
    arrays: ['A', 'x', 'y'],
    sizes: ['m', 'n'],
    output: 'y',
    exportOrder: ['m', 'n', 'A', 'x', 'y'],
    lengths: (s) => ({ A: s.m! * s.n!, x: s.n!, y: s.m! }),
    run: (r) => {
      reference.gemv(r.m as number, r.n as number, r.A as Float64Array, r.x as Float64Array, {
        out: r.y as Float64Array,
      });
    },
  },
];

function permutations<T>(xs: readonly T[]): T[][] {
  if (xs.length <= 1) return [[...xs]];
  return xs.flatMap((x, i) =>
    permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest]),
  );
}

function close(a: Float64Array, b: Float64Array): boolean {
  let scale = 0;
  for (const v of a) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < a.length; i++)
    if (!(Math.abs(a[i]! - b[i]!) <= 1e-9 * Math.max(1, scale))) return false;
  return true;
}

/** Does the kernel, with its arrays and sizes in these roles, compute what `blas` computes? Two size sets. */
function agrees(k: Kernel, blas: Blas, roleOf: ReadonlyMap<number, string>): boolean {
  const sizeSets: readonly Readonly<Record<string, number>>[] = [
    { m: 3, n: 4, k: 5 },
    { m: 6, n: 2, k: 7 },
  ];
  return sizeSets.every((sizes, t) => {
    const rng = new Rng(17 + t);
    const lengths = blas.lengths(sizes);
    const byRole: Record<string, Float64Array | number> = { ...sizes };
    for (const role of blas.arrays)
      byRole[role] = Float64Array.from({ length: lengths[role]! }, () => rng.float(-2, 2));
    const args: KernelArg[] = k.params.map((_, i) => {
      const v = byRole[roleOf.get(i)!]!;
      return typeof v === 'number' ? v : Float64Array.from(v);
    });
    try {
      runKernel(k, args);
      blas.run(byRole);
    } catch {
      return false;
    }
    const outIndex = [...roleOf].find(([, r]) => r === blas.output)![0];
    return close(args[outIndex] as Float64Array, byRole[blas.output] as Float64Array);
  });
}

function matchBlas(k: Kernel, blas: Blas): LibraryMatch | undefined {
  const arrays = k.params.flatMap((p, i) => (p.kind === 'array' ? [i] : []));
  const scalars = k.params.flatMap((p, i) => (p.kind === 'scalar' ? [i] : []));
  if (arrays.length !== blas.arrays.length || scalars.length !== blas.sizes.length) return undefined;
  if (k.params.some((p) => p.kind === 'array' && p.dtype !== 'f64' && p.dtype !== 'f32')) return undefined;
  for (const ap of permutations(arrays)) {
    for (const sp of permutations(scalars)) {
      const roleOf = new Map<number, string>([
        ...ap.map((i, j): [number, string] => [i, blas.arrays[j]!]),
        ...sp.map((i, j): [number, string] => [i, blas.sizes[j]!]),
      ]);
      if (!agrees(k, blas, roleOf)) continue;
      const indexOf = new Map([...roleOf].map(([i, r]) => [r, i]));
      const argOrder = blas.exportOrder.map((r) => indexOf.get(r)!);
      const names = argOrder.map((i) => k.params[i]!.name);
      return {
        routine: blas.routine,
        export: blas.routine,
        argOrder,
        call: `${blas.routine}(${names.slice(0, -1).join(', ')}, { out: ${names.at(-1)!} })`,
      };
    }
  }
  return undefined;
}

/** The library routine that computes kernel k (up to reassociation), or undefined. */
export function libraryMatchFor(k: Kernel): LibraryMatch | undefined {
  const routine = libraryRoutineFor(k);
  const exp = routine ? libraryExportFor(routine) : undefined;
  if (routine && exp) return { routine: routine.replace(/\(.*$/, ''), export: exp, call: routine };
  if (k.consts.length || k.result.kind !== 'void') return undefined;
  for (const blas of BLAS) {
    const m = matchBlas(k, blas);
    if (m) return m;
  }
  return undefined;
}
