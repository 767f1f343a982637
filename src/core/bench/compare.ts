// Correctness first: a variant's output against the reference's, with a tolerance derived from the
// size and the variant's declared float behaviour (same order / reassociated / f32), never a blanket epsilon.
import { compareOutputs as compareIr } from '../ir/tolerance.js';
import type { Kernel, KernelArg } from '../ir/types.js';
import { makeArgs } from './inputs.js';
import type { ArgSpec, Correctness } from './types.js';

/** What a child sends back from its check call: a scalar, or (a stride sample of) the output array. */
export type CheckOutput =
  | { readonly kind: 'scalar'; readonly value: number }
  | {
      readonly kind: 'array';
      readonly length: number;
      readonly stride: number;
      readonly values: readonly number[];
    }
  | { readonly kind: 'none' };

export interface ToleranceModel {
  readonly n: number;
  /** Σ|x| of the largest array input: the scale of a reassociated reduction's rounding error. */
  readonly magnitude?: number;
  readonly reassociates: boolean;
  readonly f32: boolean;
}

const EPS64 = 2 ** -52;
const EPS32 = 2 ** -23;

/**
 * Absolute tolerance for a value of magnitude `scale`: same-order code may still differ by FMA
 * contraction and libm (16 ulps); a reassociated reduction of n terms by up to ~2n ulps; f32 in f32 ulps.
 */
export function toleranceFor(scale: number, m: ToleranceModel): number {
  const eps = m.f32 ? EPS32 : EPS64;
  const loose = m.reassociates || m.f32;
  // Reordering n terms errs by up to ~n·eps·Σ|x| (worst case; typical is √n·eps·Σ|x|).
  const ulps = loose ? Math.max(16, 2 * m.n) : 16;
  return (
    ulps *
    eps *
    Math.max(Math.abs(scale), loose ? ((m.magnitude ?? 0) / Math.max(1, m.n)) * Math.sqrt(m.n) : 0, 1)
  );
}

function eq(a: number, b: number, tol: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= tol;
}

/** Normwise relative error: the largest |difference| over the largest |reference value| (0 for 0/0). */
function relative(err: number, scale: number): number {
  if (err === 0) return 0;
  return scale > 0 ? err / scale : Infinity;
}

/** Compares a variant's output with the reference's. */
export function compareOutputs(reference: CheckOutput, actual: CheckOutput, m: ToleranceModel): Correctness {
  if (reference.kind !== actual.kind) {
    return {
      status: 'wrong',
      maxError: Infinity,
      tolerance: 0,
      detail: `returned ${actual.kind}, the original returns ${reference.kind}`,
    };
  }
  if (reference.kind === 'none' || actual.kind === 'none') return { status: 'ok', maxError: 0, tolerance: 0 };
  if (reference.kind === 'scalar' && actual.kind === 'scalar') {
    const tol = toleranceFor(reference.value, m);
    const err = Math.abs(reference.value - actual.value);
    const maxRelError = relative(Number.isNaN(err) ? Infinity : err, Math.abs(reference.value));
    return eq(reference.value, actual.value, tol)
      ? { status: 'ok', maxError: err, tolerance: tol, maxRelError }
      : {
          status: 'wrong',
          maxError: Number.isNaN(err) ? Infinity : err,
          tolerance: tol,
          maxRelError,
          detail: `returned ${actual.value}, the original returns ${reference.value}`,
        };
  }
  if (reference.kind === 'array' && actual.kind === 'array') {
    if (reference.length !== actual.length) {
      return {
        status: 'wrong',
        maxError: Infinity,
        tolerance: 0,
        detail: `output length ${actual.length}, the original's is ${reference.length}`,
      };
    }
    let maxErr = 0;
    let maxTol = 0;
    let maxRef = 0;
    let first: { i: number; err: number; tol: number } | undefined;
    for (let i = 0; i < reference.values.length; i++) {
      const r = reference.values[i]!;
      const a = actual.values[i]!;
      const tol = toleranceFor(r, m);
      maxTol = Math.max(maxTol, tol);
      if (Number.isFinite(r)) maxRef = Math.max(maxRef, Math.abs(r));
      const err = Number.isNaN(r) && Number.isNaN(a) ? 0 : r === a ? 0 : Math.abs(r - a);
      maxErr = Math.max(maxErr, Number.isNaN(err) ? Infinity : err);
      if (!first && !eq(r, a, tol)) first = { i, err: Number.isNaN(err) ? Infinity : err, tol };
    }
    const maxRelError = relative(maxErr, maxRef);
    if (first) {
      const i = first.i;
      return {
        status: 'wrong',
        maxError: first.err,
        tolerance: first.tol,
        maxRelError,
        detail: `element ${i * reference.stride} is ${actual.values[i]}, the original's is ${reference.values[i]}`,
      };
    }
    return { status: 'ok', maxError: maxErr, tolerance: maxTol, maxRelError };
  }
  return { status: 'error', detail: 'unreachable output kind' };
}

/**
 * With the loop's Kernel IR: the IR's derived tolerance (error shadow on the very inputs) decides;
 * the figures (max error, tolerance) still come from the simple model. Only for whole outputs
 * (scalars, or arrays sent in full); stride-sampled arrays fall back to the simple model.
 */
export function compareWithIr(
  reference: CheckOutput,
  actual: CheckOutput,
  m: ToleranceModel,
  ir: Kernel,
  args: readonly ArgSpec[],
  seed: number,
): Correctness {
  const simple = compareOutputs(reference, actual, m);
  const whole = (o: CheckOutput): number | number[] | undefined =>
    o.kind === 'scalar' ? o.value : o.kind === 'array' && o.stride === 1 ? [...o.values] : undefined;
  const r = whole(reference);
  const a = whole(actual);
  if (r === undefined || a === undefined || simple.status === 'error') return simple;
  const inputs = makeArgs(args, m.n, seed, 'typed') as KernelArg[];
  const verdict = compareIr({ result: r, written: {} }, { result: a, written: {} }, ir, {
    n: m.n,
    reassociated: m.reassociates,
    precision: m.f32 ? 'f32' : 'f64',
    inputs,
  });
  const method = `IR tolerance: ${verdict.detail}`;
  const rel = simple.maxRelError !== undefined ? { maxRelError: simple.maxRelError } : {};
  if (verdict.ok)
    return { status: 'ok', maxError: simple.maxError, tolerance: simple.tolerance, ...rel, method };
  return {
    status: 'wrong',
    maxError: simple.maxError,
    tolerance: simple.tolerance,
    ...rel,
    detail: simple.status === 'wrong' ? simple.detail : verdict.detail,
    method,
  };
}
