// The calculus of the error shadow: how much a Math function amplifies its argument's error, which
// functions are exact or steps, and whether an f64 add/subtract rounded at all.

/** |f'(x)| for the Math function `fn` at `x` (with `v` = f(x)): how an argument's error propagates. */
export function derivative(fn: string, x: number, v: number): number {
  switch (fn) {
    case 'sqrt':
      return 0.5 / Math.sqrt(Math.abs(x));
    case 'cbrt':
      return Math.abs(v) / (3 * Math.abs(x));
    case 'exp':
      return Math.abs(v);
    case 'expm1':
      return Math.abs(v) + 1;
    case 'log':
      return 1 / Math.abs(x);
    case 'log1p':
      return 1 / Math.abs(1 + x);
    case 'log2':
      return 1 / (Math.abs(x) * Math.LN2);
    case 'log10':
      return 1 / (Math.abs(x) * Math.LN10);
    case 'sin':
    case 'cos':
      return 1;
    case 'tan':
      return 1 + v * v;
    case 'asin':
    case 'acos':
      return 1 / Math.sqrt(Math.abs(1 - x * x));
    case 'atan':
      return 1 / (1 + x * x);
    case 'sinh':
      return Math.cosh(x);
    case 'cosh':
      return Math.abs(Math.sinh(x));
    case 'tanh':
      return Math.abs(1 - v * v);
    default:
      return 1; // abs, fround
  }
}

/** Math functions that add no error of their own (correctly rounded or exact). */
export const EXACT_FNS = new Set(['abs', 'min', 'max', 'sqrt', 'fround']);
/** Step functions: their error is a jump when the argument's error crosses a step. */
export const STEP_FNS = new Set(['floor', 'ceil', 'round', 'trunc', 'sign', 'imul']);

/** Rounding of an f64 add of exact operands: none when the result is exact. */
export function roundingOf(v: number, x: number, y: number, op: string): number {
  if (!Number.isFinite(v)) return 0;
  // Exact iff the operation can be undone exactly (Sterbenz / error-free transformation).
  const back = op === '+' ? v - x : x - v;
  return back === y ? 0 : 1;
}
