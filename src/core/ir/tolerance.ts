// Deciding whether an implementation's output is "the same" as the interpreter's. The tolerance is
// derived from the kernel and the data, never a blanket epsilon:
// - same precision (f64), no reassociation, only correctly rounded ops (+ − * / sqrt, min/max, …):
//   exact equality (0 and −0 count as equal; NaN must meet NaN; ±Infinity must match exactly);
// - otherwise each float element e may differ by 2 · c · 2⁻⁵³ · m, where (m, c) come from the error
//   shadow (`shadow.ts`) run on the inputs: for a sum of n terms this is ≈ 2γₙ·Σ|xᵢ|, for f32 it adds
//   2⁻²⁴ per rounding (inputs, ops, stores), for libm calls a few ulps;
// - integer arrays (i32, u8, …) always exactly;
// - where an operand of sqrt/log/asin/acos/pow or a divisor is within its own error bound of the
//   domain edge (a variance that cancels to ≈0), NaN/±Infinity on one side is accepted and counted.
// Without `inputs` the shadow cannot run; the fallback is a bound relative to the largest output
// magnitude (γ over n·depth + ops), weaker, and `detail` says it was used.
import type { Expr, Kernel, KernelArg, KernelOutput, Stmt } from './types.js';
import { runShadow } from './shadow.js';
import type { ShadowResult } from './shadow.js';
import { hasRank2 } from './walk.js';

export interface CompareOptions {
  /** Nominal problem size (used by the fallback bound). */
  readonly n: number;
  /** True when the implementation may evaluate reductions in another order (SIMD lanes, threads, GPU). */
  readonly reassociated: boolean;
  /** Precision the implementation computes in. */
  readonly precision: 'f64' | 'f32';
  /** The arguments as they were BEFORE the run (copies: kernels mutate in place). Enables the derived bound. */
  readonly inputs?: readonly KernelArg[];
  /**
   * Accuracy the implementation's transcendental functions guarantee, in ulps of `precision` per call
   * (default 4: a good libm). WGSL, for one, only promises exp to 3 + 2·|x| ulp and log to 3 ulp.
   */
  readonly libmUlps?: number;
}

export interface CompareResult {
  readonly ok: boolean;
  /** Where and by how much it differs (first few places), or a summary of the check on success. */
  readonly detail: string;
}

const U = 2 ** -53;
const CORRECTLY_ROUNDED = new Set([
  'abs',
  'sqrt',
  'min',
  'max',
  'floor',
  'ceil',
  'round',
  'trunc',
  'sign',
  'fround',
  'imul',
]);
const INT_TYPES = [
  Int32Array,
  Uint32Array,
  Int16Array,
  Uint16Array,
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
];

function exprUsesLibm(e: Expr): boolean {
  switch (e.kind) {
    case 'call':
      return !CORRECTLY_ROUNDED.has(e.fn) || e.args.some(exprUsesLibm);
    case 'bin':
      return e.op === '**' || exprUsesLibm(e.left) || exprUsesLibm(e.right);
    case 'un':
      return exprUsesLibm(e.arg);
    case 'load':
      return exprUsesLibm(e.index);
    case 'select':
      return exprUsesLibm(e.cond) || exprUsesLibm(e.then) || exprUsesLibm(e.else);
    default:
      return false;
  }
}

function stmtsUseLibm(stmts: readonly Stmt[]): boolean {
  return stmts.some((st) => {
    switch (st.kind) {
      case 'let':
        return exprUsesLibm(st.init);
      case 'assign':
        return exprUsesLibm(st.value);
      case 'store':
        return exprUsesLibm(st.index) || exprUsesLibm(st.value);
      case 'if':
        return exprUsesLibm(st.cond) || stmtsUseLibm(st.then) || stmtsUseLibm(st.else);
      case 'for':
        return (
          exprUsesLibm(st.start) ||
          exprUsesLibm(st.end) ||
          (st.stepExpr !== undefined && exprUsesLibm(st.stepExpr)) ||
          stmtsUseLibm(st.body)
        );
      case 'return':
        return st.value !== undefined && exprUsesLibm(st.value);
      case 'break':
      case 'continue':
      case 'throw':
        return false;
    }
  });
}

/** True when the kernel calls functions whose result may differ by an ulp between libm implementations. */
export function usesLibm(k: Kernel): boolean {
  return stmtsUseLibm(k.body) || (k.result.kind === 'scalar' && exprUsesLibm(k.result.expr));
}

function countOps(stmts: readonly Stmt[]): number {
  let n = 0;
  const e = (x: Expr): void => {
    n++;
    if (x.kind === 'bin') {
      e(x.left);
      e(x.right);
    } else if (x.kind === 'un') e(x.arg);
    else if (x.kind === 'call') x.args.forEach(e);
    else if (x.kind === 'select') {
      e(x.cond);
      e(x.then);
      e(x.else);
    } else if (x.kind === 'load') e(x.index);
  };
  for (const st of stmts) {
    if (st.kind === 'let') e(st.init);
    else if (st.kind === 'assign') e(st.value);
    else if (st.kind === 'store') e(st.value);
    else if (st.kind === 'if') {
      e(st.cond);
      n += countOps(st.then) + countOps(st.else);
    } else if (st.kind === 'for') n += countOps(st.body) + 1;
    else if (st.kind === 'return' && st.value) e(st.value);
  }
  return n;
}

interface ElementBound {
  tol: number;
  unchecked: boolean;
  edge: boolean;
}
type Bound = (name: string | undefined, i: number) => ElementBound;

const fmt = (x: unknown): string =>
  typeof x === 'number' ? (Object.is(x, -0) ? '-0' : String(x)) : String(x);

/** Compares one value; returns a problem description or undefined. */
function compareValue(
  e: unknown,
  a: unknown,
  exactOnly: boolean,
  bound: () => ElementBound,
  stats: { unchecked: number; edge: number; maxRatio: number },
): string | undefined {
  if (typeof e !== 'number' || typeof a !== 'number') {
    return e === a ? undefined : `expected ${fmt(e)}, got ${fmt(a)}`;
  }
  if (Number.isNaN(e) && Number.isNaN(a)) return undefined;
  if (e === a) return undefined;
  if (!exactOnly && (!Number.isFinite(e) || !Number.isFinite(a)) && bound().edge) {
    // e.g. sqrt of a sum that cancels to ≈0: another order may land just below 0 and give NaN.
    stats.edge++;
    return undefined;
  }
  if (Number.isNaN(e) || Number.isNaN(a)) return `expected ${fmt(e)}, got ${fmt(a)}`;
  if (!Number.isFinite(e) || !Number.isFinite(a) || exactOnly)
    return `expected ${fmt(e)}, got ${fmt(a)} (exact match required)`;
  const { tol, unchecked } = bound();
  if (unchecked) {
    stats.unchecked++;
    return undefined;
  }
  const diff = Math.abs(e - a);
  if (tol > 0) stats.maxRatio = Math.max(stats.maxRatio, diff / tol);
  return diff <= tol
    ? undefined
    : `expected ${fmt(e)}, got ${fmt(a)}: differs by ${diff.toExponential(3)} > tolerance ${tol.toExponential(3)}`;
}

function elementsOf(x: unknown): ArrayLike<unknown> | undefined {
  return Array.isArray(x) || ArrayBuffer.isView(x) ? (x as unknown as ArrayLike<unknown>) : undefined;
}

/**
 * Compares an implementation's output with the interpreter's (`expected`) under the tolerance the
 * kernel, its data and the implementation's precision/reassociation justify (see the file comment).
 */
export function compareOutputs(
  expected: KernelOutput,
  actual: KernelOutput,
  kernel: Kernel,
  opts: CompareOptions,
): CompareResult {
  const exactMode = !opts.reassociated && opts.precision === 'f64' && !usesLibm(kernel);
  let shadow: ShadowResult | undefined;
  let how: string;
  if (exactMode) how = 'exact (f64, same order, correctly rounded ops)';
  // The error shadow does not model rows (rank 2): those kernels take the fallback bound.
  else if (opts.inputs && !hasRank2(kernel)) {
    shadow = runShadow(kernel, opts.inputs, opts.precision, opts.libmUlps);
    how = `derived bound 2·c·2⁻⁵³·m from the error shadow (${opts.precision}${opts.reassociated ? ', reassociated' : ''})`;
  } else
    how = `fallback bound relative to the largest output (${opts.inputs ? 'rows: no error shadow' : 'no inputs given'}; ${opts.precision}${opts.reassociated ? ', reassociated' : ''})`;

  let maxAbs = 0;
  const scan = (x: unknown): void => {
    const el = elementsOf(x);
    if (el)
      for (let i = 0; i < el.length; i++) {
        const v = el[i];
        if (typeof v === 'number' && Number.isFinite(v)) maxAbs = Math.max(maxAbs, Math.abs(v));
        else if (elementsOf(v)) scan(v); // a row
      }
    else if (typeof x === 'number' && Number.isFinite(x)) maxAbs = Math.max(maxAbs, Math.abs(x));
  };
  scan(expected.result);
  Object.values(expected.written).forEach(scan);
  const fallbackC =
    (opts.precision === 'f32' ? 2 ** 29 : 1) * (Math.max(1, opts.n) * 4 + countOps(kernel.body));

  const bound: Bound = (name, i) => {
    if (shadow) {
      const s =
        name === undefined
          ? shadow.result
          : (() => {
              const arr = shadow.arrays.get(name);
              return arr ? { m: arr.m[i] ?? 0, c: arr.c[i] ?? 0, edge: arr.edge[i] === true } : undefined;
            })();
      if (!s) return { tol: 0, unchecked: false, edge: false };
      const edge = s.edge === true;
      if (s.m === Infinity || Number.isNaN(s.m)) return { tol: Infinity, unchecked: true, edge };
      return { tol: 2 * s.c * U * s.m, unchecked: false, edge };
    }
    return { tol: 2 * fallbackC * U * maxAbs, unchecked: false, edge: false };
  };

  const problems: string[] = [];
  const stats = { unchecked: 0, edge: 0, maxRatio: 0 };
  let checked = 0;
  const compareArray = (label: string, name: string | undefined, e: unknown, a: unknown): void => {
    const ee = elementsOf(e);
    const aa = elementsOf(a);
    if (!ee || !aa) {
      checked++;
      const p = compareValue(e, a, exactMode, () => bound(name, 0), stats);
      if (p) problems.push(`${label}: ${p}`);
      return;
    }
    if (ee.length !== aa.length) {
      problems.push(`${label}: length ${aa.length}, expected ${ee.length}`);
      return;
    }
    const intArray = INT_TYPES.some((T) => e instanceof T);
    for (let i = 0; i < ee.length; i++) {
      // A row of a rank-2 array: compared element by element.
      if (elementsOf(ee[i]) && elementsOf(aa[i])) {
        compareArray(`${label}[${i}]`, name, ee[i], aa[i]);
        continue;
      }
      checked++;
      const p = compareValue(ee[i], aa[i], exactMode || intArray, () => bound(name, i), stats);
      if (p) problems.push(`${label}[${i}]: ${p}`);
    }
  };

  if (kernel.result.kind === 'scalar') compareArray('result', undefined, expected.result, actual.result);
  else if (kernel.result.kind === 'array' && !(kernel.result.name in expected.written)) {
    compareArray('result', kernel.result.name, expected.result, actual.result);
  }
  for (const [name, e] of Object.entries(expected.written)) {
    if (!(name in actual.written)) {
      problems.push(`${name}: not in the output's written arrays`);
      continue;
    }
    compareArray(name, name, e, actual.written[name]);
  }
  if (problems.length) {
    const more = problems.length > 5 ? `; and ${problems.length - 5} more` : '';
    return {
      ok: false,
      detail: `${kernel.name}: ${problems.length} of ${checked} values differ (${how}): ${problems.slice(0, 5).join('; ')}${more}`,
    };
  }
  const unchecked =
    (stats.unchecked
      ? `; ${stats.unchecked} values behind a discontinuous op of inexact operands were not checked`
      : '') +
    (stats.edge
      ? `; ${stats.edge} non-finite values accepted at a domain edge (an operand within its error of 0 for sqrt/log/division)`
      : '');
  const ratio = exactMode ? '' : `; largest difference ${stats.maxRatio.toFixed(3)} of its tolerance`;
  return { ok: true, detail: `${kernel.name}: ${checked} values match (${how})${ratio}${unchecked}` };
}
