// Correctness first: a variant's output against the reference's, with a tolerance derived from the
// size and the variant's declared float behaviour (same order / reassociated / f32), never a blanket epsilon.
import type { Correctness } from './types.js';

/** What a child sends back from its check call: a scalar, or (a stride sample of) the output array. */
export type CheckOutput =
  | { readonly kind: 'scalar'; readonly value: number }
  | { readonly kind: 'array'; readonly length: number; readonly stride: number; readonly values: readonly number[] }
  | { readonly kind: 'none' };

export interface ToleranceModel {
  readonly n: number;
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
  const ulps = m.reassociates || m.f32 ? Math.max(16, 2 * m.n) : 16;
  return ulps * eps * Math.max(Math.abs(scale), 1);
}

function eq(a: number, b: number, tol: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= tol;
}

/** Compares a variant's output with the reference's. */
export function compareOutputs(reference: CheckOutput, actual: CheckOutput, m: ToleranceModel): Correctness {
  if (reference.kind !== actual.kind) {
    return { status: 'wrong', maxError: Infinity, tolerance: 0, detail: `returned ${actual.kind}, the original returns ${reference.kind}` };
  }
  if (reference.kind === 'none' || actual.kind === 'none') return { status: 'ok', maxError: 0, tolerance: 0 };
  if (reference.kind === 'scalar' && actual.kind === 'scalar') {
    const tol = toleranceFor(reference.value, m);
    const err = Math.abs(reference.value - actual.value);
    return eq(reference.value, actual.value, tol)
      ? { status: 'ok', maxError: err, tolerance: tol }
      : { status: 'wrong', maxError: Number.isNaN(err) ? Infinity : err, tolerance: tol, detail: `returned ${actual.value}, the original returns ${reference.value}` };
  }
  if (reference.kind === 'array' && actual.kind === 'array') {
    if (reference.length !== actual.length) {
      return { status: 'wrong', maxError: Infinity, tolerance: 0, detail: `output length ${actual.length}, the original's is ${reference.length}` };
    }
    let maxErr = 0;
    let maxTol = 0;
    for (let i = 0; i < reference.values.length; i++) {
      const r = reference.values[i]!;
      const a = actual.values[i]!;
      const tol = toleranceFor(r, m);
      maxTol = Math.max(maxTol, tol);
      if (!eq(r, a, tol)) {
        return { status: 'wrong', maxError: Math.abs(r - a), tolerance: tol, detail: `element ${i * reference.stride} is ${a}, the original's is ${r}` };
      }
      maxErr = Math.max(maxErr, Math.abs(r - a));
    }
    return { status: 'ok', maxError: maxErr, tolerance: maxTol };
  }
  return { status: 'error', detail: 'unreachable output kind' };
}
