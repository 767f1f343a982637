// Seeded randomness and inputs for kernels: the same (kernel, n, seed, edge) always gives the same
// arguments, so a failing fuzz case can be replayed from its seed.
//
// How shapes are chosen (`makeInputs`):
// 1. Scalar params (i32 or plain f64 `number`) that appear in a loop's start/end are sizes. With D the
//    deepest nest of such sized loops, each gets round(n^(1/D)) (n itself for a single loop; √n for
//    gemv, ∛n for gemm), so the work stays about n whatever the nest. Scalars a run-time step reads
//    get an integer in [1, 3] (the loop moves toward its bound). Other `i32` scalars and scalars
//    used in an array index (strides, offsets, shifts) get a small integer in [0, 3]; the remaining
//    `f64` scalars a random value like the array elements.
// 2. Every array first gets length n; arrays whose `.length` the kernel reads keep it.
// 3. The kernel runs once in probe mode (`probeKernel`) on those arrays; every other array is then
//    resized to max(index touched) + 1, so stencils, gemv/gemm operands and convolutions fit exactly
//    and nothing is read out of bounds (the JS `undefined` is still exercised by the edge cases of
//    hand-written fixtures, not here).
// 4. An array whose elements index another directly (a gather or scatter: `out[i] = x[perm[i]]`,
//    dsp.js's bit-reversal table) holds indices of that array: it is at least n long (the probe's zeros
//    touched only its first element), and the index array's values lie in [0, its length).
// Values: floats uniform in [-4, 4); integer dtypes within their range, i32/u32 within ±1000 so sums
// and small products stay exact in both f64 and i32 arithmetic.
import type { ArrayParam, DType, Expr, Kernel, KernelArg, Stmt } from './types.js';
import { KernelBudgetError, probeKernel, typedArrayOf } from './interpret.js';
import { freshLength, isFresh, originalArgs, validLength } from './fresh.js';
import type { Arr, ProbeRecord, TypedArr } from './interpret.js';
import { stmtExprs, visitExpr as visitEach, visitStmts } from './walk.js';

/** A seeded PRNG (mulberry32): 32-bit state, period 2^32, plenty for test inputs. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = (seed ^ 0x9e3779b9) >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  /** Uniform in [0, 1) with all 53 bits random (32-bit multiples would make small sums exact). */
  next53(): number {
    const hi = this.next() * 4294967296;
    const lo = this.next() * 4294967296;
    return (Math.floor(hi) * 2097152 + (lo >>> 11)) / 9007199254740992;
  }
  /** Uniform float in [lo, hi) (53 random bits). */
  float(lo: number, hi: number): number {
    return lo + this.next53() * (hi - lo);
  }
  /** One element of a non-empty list. */
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }
}

export type InputEdge = 'none' | 'empty' | 'one' | 'nan' | 'inf' | 'subarray' | 'mixed';

export interface MakeInputsOptions {
  /** Nominal size: the length of 1-D arrays and the total work of nests. */
  readonly n: number;
  readonly seed: number;
  /** `empty`/`one` force n = 0/1; `nan`/`inf`/`mixed` sprinkle NaN/±Infinity (and -0) into float data; `subarray` passes typed arrays as views with a non-zero byteOffset. */
  readonly edge?: InputEdge;
}

const INT_RANGE: Partial<Record<DType, readonly [number, number]>> = {
  i32: [-1000, 1000],
  u32: [0, 2000],
  i16: [-32768, 32767],
  u16: [0, 65535],
  i8: [-128, 127],
  u8: [0, 255],
  u8c: [0, 255],
};

function visitExpr(e: Expr, visit: (e: Expr) => void): void {
  visit(e);
  switch (e.kind) {
    case 'load':
      visitExpr(e.index, visit);
      break;
    case 'bin':
      visitExpr(e.left, visit);
      visitExpr(e.right, visit);
      break;
    case 'un':
      visitExpr(e.arg, visit);
      break;
    case 'call':
      e.args.forEach((a) => {
        visitExpr(a, visit);
      });
      break;
    case 'select':
      visitExpr(e.cond, visit);
      visitExpr(e.then, visit);
      visitExpr(e.else, visit);
      break;
    default:
      break;
  }
}

/** Shape facts of a kernel used to size its inputs. */
export function kernelShape(kernel: Kernel): {
  sizeParams: Set<string>;
  indexParams: Set<string>;
  lenArrays: Set<string>;
  /** Scalars a run-time step (`stepExpr`) reads: a small positive integer, so loops end. */
  stepParams: Set<string>;
  depth: number;
} {
  const sizeParams = new Set<string>();
  const stepParams = new Set<string>();
  const indexParams = new Set<string>();
  const lenArrays = new Set<string>();
  // Sizes are often plain `number` (f64) params: any scalar in a loop bound counts.
  const scalars = new Set(kernel.params.filter((p) => p.kind === 'scalar').map((p) => p.name));
  const onLen = (e: Expr): void => {
    if (e.kind === 'len') lenArrays.add(e.array);
  };
  const onIndex = (e: Expr): void => {
    visitExpr(e, (x) => {
      onLen(x);
      if (x.kind === 'var' && scalars.has(x.name)) indexParams.add(x.name);
    });
  };
  const onValue = (e: Expr): void => {
    visitExpr(e, (x) => {
      onLen(x);
      if (x.kind === 'load') onIndex(x.index);
    });
  };
  // Depth counts only loops whose bounds involve a size (a 3×3 tap loop does not scale with n).
  const walk = (stmts: readonly Stmt[]): number => {
    let deepest = 0;
    for (const st of stmts) {
      switch (st.kind) {
        case 'let':
          onValue(st.init);
          break;
        case 'assign':
          onValue(st.value);
          break;
        case 'store':
          onIndex(st.index);
          onValue(st.value);
          break;
        case 'if':
          onValue(st.cond);
          deepest = Math.max(deepest, walk(st.then), walk(st.else));
          break;
        case 'for': {
          const bound = { sized: false };
          const onBound = (e: Expr): void => {
            onLen(e);
            if (e.kind === 'len') bound.sized = true;
            if (e.kind === 'var' && scalars.has(e.name)) {
              sizeParams.add(e.name);
              bound.sized = true;
            }
          };
          visitExpr(st.start, onBound);
          visitExpr(st.end, onBound);
          if (st.stepExpr)
            visitExpr(st.stepExpr, (x) => {
              if (x.kind === 'var' && scalars.has(x.name)) stepParams.add(x.name);
            });
          deepest = Math.max(deepest, (bound.sized ? 1 : 0) + walk(st.body));
          break;
        }
      }
    }
    return deepest;
  };
  const depth = walk(kernel.body);
  if (kernel.result.kind === 'scalar') onValue(kernel.result.expr);
  for (const p of sizeParams) indexParams.delete(p);
  for (const p of stepParams) {
    sizeParams.delete(p);
    indexParams.delete(p);
  }
  return { sizeParams, indexParams, lenArrays, stepParams, depth: Math.max(1, depth) };
}

/** Random element values of `p`'s dtype, with NaN/±Infinity/−0 sprinkled in for the float edge cases. */
function fillValues(
  p: ArrayParam,
  target: { length: number; [i: number]: number },
  rng: Rng,
  edge: InputEdge,
): void {
  const len = target.length;
  const range = INT_RANGE[p.dtype];
  if (range) {
    for (let i = 0; i < len; i++) target[i] = rng.int(range[0], range[1]);
    return;
  }
  for (let i = 0; i < len; i++) target[i] = rng.float(-4, 4);
  if (len > 0 && (edge === 'nan' || edge === 'inf' || edge === 'mixed')) {
    const specials =
      edge === 'nan' ? [NaN] : edge === 'inf' ? [Infinity, -Infinity] : [NaN, Infinity, -Infinity, -0, 0];
    const count = Math.max(1, Math.floor(len / 16));
    for (let j = 0; j < count; j++) target[rng.int(0, len - 1)] = rng.pick(specials);
  }
}

function makeArray(p: ArrayParam, len: number, rng: Rng, edge: InputEdge): Arr {
  if (p.container === 'array') {
    const vals = new Array<number>(len).fill(0);
    fillValues(p, vals, rng, edge);
    return vals;
  }
  if (edge !== 'subarray' && edge !== 'mixed') {
    const arr = typedArrayOf(p.dtype, len);
    fillValues(p, arr, rng, edge);
    return arr;
  }
  // A view into a larger buffer: byteOffset > 0 and guard values around it that must not be touched.
  const before = rng.int(1, 3);
  const whole = typedArrayOf(p.dtype, before + len + 2).fill(77);
  const view = whole.subarray(before, before + len);
  fillValues(p, view, rng, edge);
  return view;
}

/** Scalar values for a kernel's params (sizes from n, other i32 small, f64 random). */
function scalarValues(kernel: Kernel, n: number, rng: Rng): Map<string, number> {
  const { sizeParams, indexParams, stepParams, depth } = kernelShape(kernel);
  const out = new Map<string, number>();
  const side = n <= 1 ? n : Math.max(1, Math.round(n ** (1 / depth)));
  for (const p of kernel.params) {
    if (p.kind !== 'scalar') continue;
    if (p.truthy) out.set(p.name, rng.int(0, 1));
    else if (stepParams.has(p.name)) out.set(p.name, rng.int(1, 3));
    else if (sizeParams.has(p.name)) out.set(p.name, side);
    else if (p.dtype === 'i32' || indexParams.has(p.name)) out.set(p.name, rng.int(0, 3));
    else out.set(p.name, rng.float(-4, 4));
  }
  return out;
}

/**
 * Arguments for `kernel` (in `params` order) sized from `n` and filled from `seed`; see the file
 * comment for how shapes are derived. Deterministic in (kernel, n, seed, edge).
 */
export function makeInputs(kernel: Kernel, opts: MakeInputsOptions): KernelArg[] {
  const edge = opts.edge ?? 'none';
  const n = edge === 'empty' ? 0 : edge === 'one' ? 1 : Math.max(0, Math.floor(opts.n));
  const rng = new Rng(opts.seed);
  const scalars = scalarValues(kernel, n, rng);
  const { lenArrays } = kernelShape(kernel);
  const arrayParams = kernel.params.filter((p): p is ArrayParam => p.kind === 'array');

  // Rank-2 arrays: n rows of random (jagged) lengths, the same lengths for every such array.
  const rank2 = arrayParams.filter((p) => p.rank === 2);
  const rowLens = rank2.length
    ? Array.from({ length: n }, () => rng.int(0, Math.max(1, Math.round(Math.sqrt(n)) * 2)))
    : [];
  const rows = new Map(rank2.map((p) => [p.name, makeRows(p, rowLens, rng, edge)]));
  // Probe on length-n arrays (zeros), then size every array not bounded by its own .length.
  const probeArgs: KernelArg[] = kernel.params.map((p) => {
    if (p.kind === 'scalar') return scalars.get(p.name)!;
    const r = rows.get(p.name);
    return r ? cloneArgs([r])[0]! : typedArrayOf(p.dtype, n);
  });
  const access = probeAccess(kernel, probeArgs);
  const lengths = new Map<string, number>();
  for (const p of arrayParams) {
    const rec = access.get(p.name);
    const touched = rec ? Math.max(rec.maxRead, rec.maxWrite) + 1 : 0;
    lengths.set(p.name, lenArrays.has(p.name) ? Math.max(n, 0) : rec ? touched : n);
  }
  const gathers = gatherIndices(kernel);
  for (const targets of gathers.values())
    for (const t of targets) if (!rows.has(t)) lengths.set(t, Math.max(lengths.get(t) ?? 0, n));
  const args = kernel.params.map((p) => {
    if (p.kind === 'scalar') return scalars.get(p.name)!;
    return rows.get(p.name) ?? makeArray(p, lengths.get(p.name)!, rng, edge);
  });
  for (const [index, targets] of gathers) {
    const at = kernel.params.findIndex((p) => p.name === index);
    const bound = Math.min(...[...targets].map((t) => lengths.get(t) ?? 0));
    const values = args[at];
    if (rows.has(index) || bound <= 0 || !(Array.isArray(values) || ArrayBuffer.isView(values))) continue;
    const slots = values as { length: number; [i: number]: number };
    const top = Math.min(bound - 1, INT_RANGE[(kernel.params[at] as ArrayParam).dtype]?.[1] ?? Infinity);
    for (let i = 0; i < slots.length; i++) slots[i] = rng.int(0, top);
  }
  // A fresh output array is allocated (zeroed) at the length the original's arguments give it.
  kernel.params.forEach((p, i) => {
    if (!isFresh(p)) return;
    const len = freshLength(kernel, p, originalArgs(kernel, args));
    args[i] = typedArrayOf(p.dtype, validLength(len) ? len : 0);
  });
  return args;
}

/** Arrays whose elements are used directly as the index of another array: index array → indexed arrays. */
export function gatherIndices(kernel: Kernel): Map<string, Set<string>> {
  const arrays = new Set(kernel.params.filter((p) => p.kind === 'array').map((p) => p.name));
  const out = new Map<string, Set<string>>();
  const note = (target: string, index: Expr): void => {
    if (index.kind !== 'load' || index.col || !arrays.has(index.array) || !arrays.has(target)) return;
    const set = out.get(index.array) ?? new Set<string>();
    set.add(target);
    out.set(index.array, set);
  };
  visitStmts(kernel.body, (st) => {
    if (st.kind === 'store' && !st.col) note(st.array, st.index);
    for (const e of stmtExprs(st))
      visitEach(e, (x) => {
        if (x.kind === 'load' && !x.col) note(x.array, x.index);
      });
  });
  if (kernel.result.kind === 'scalar')
    visitEach(kernel.result.expr, (x) => {
      if (x.kind === 'load' && !x.col) note(x.array, x.index);
    });
  return out;
}

/** An array of rows (typed rows for a `typed` container, `number[]` rows otherwise). */
function makeRows(p: ArrayParam, lens: readonly number[], rng: Rng, edge: InputEdge): KernelArg {
  return lens.map((len) => makeArray(p, len, rng, edge)) as unknown as KernelArg;
}

/** The per-array index ranges of a run; a kernel that throws on the probe's inputs keeps what it touched before. */
function probeAccess(kernel: Kernel, args: readonly KernelArg[]): Map<string, ProbeRecord> {
  const access = new Map<string, ProbeRecord>();
  try {
    probeKernel(kernel, args, access);
  } catch (err) {
    // A loop that never ends on the probe's inputs: say so (sizing from a cut-off run would hide it).
    if (err instanceof KernelBudgetError) throw err;
    // A throw guard fired on the probe's zeros: the records up to it still size the arrays.
  }
  return access;
}

/** A deep copy of arguments (same containers; views copied into fresh views with the same offset). */
export function cloneArgs(args: readonly KernelArg[]): KernelArg[] {
  return args.map((a) => {
    // Numbers (and a truthy parameter's boolean, passed as the original takes it) are values.
    if (!(Array.isArray(a) || ArrayBuffer.isView(a))) return a;
    // Rows of a rank-2 array are copied too.
    if (Array.isArray(a))
      return a.map((x: unknown) =>
        typeof x === 'object' && x !== null ? cloneArgs([x as KernelArg])[0] : x,
      ) as KernelArg;
    const copy = new (a.constructor as new (b: ArrayBufferLike) => TypedArr)(a.buffer.slice(0));
    const at = a.byteOffset / a.BYTES_PER_ELEMENT;
    return copy.subarray(at, at + a.length);
  });
}
