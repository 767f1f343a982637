// JS's operators and Math functions as closures over compiled operands: what the interpreter
// applies, so its arithmetic is JS's own (coercions included).
import type { MathFn } from './types.js';

/** A JS value flowing through a kernel: numbers mostly, booleans from comparisons, undefined from OOB reads. */
export type Val = number | boolean | undefined;
/** The slots of a compiled kernel's frame (values, arrays, rows). */
export type Slots = unknown[];
/** A compiled expression. */
export type EvalFn = (s: Slots) => Val;

export const MATH: Record<MathFn, (...xs: number[]) => number> = {
  abs: Math.abs,
  sqrt: Math.sqrt,
  cbrt: Math.cbrt,
  exp: Math.exp,
  expm1: Math.expm1,
  log: Math.log,
  log1p: Math.log1p,
  log2: Math.log2,
  log10: Math.log10,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
  atan2: Math.atan2,
  sinh: Math.sinh,
  cosh: Math.cosh,
  tanh: Math.tanh,
  pow: Math.pow,
  min: Math.min,
  max: Math.max,
  floor: Math.floor,
  ceil: Math.ceil,
  round: Math.round,
  trunc: Math.trunc,
  sign: Math.sign,
  hypot: Math.hypot,
  fround: Math.fround,
  imul: Math.imul,
};

export function compileCall(fn: MathFn, args: EvalFn[]): EvalFn {
  const f = MATH[fn];
  const [a, b, c] = args;
  switch (args.length) {
    case 0:
      return () => f();
    case 1:
      return (s) => f(a!(s) as number);
    case 2:
      return (s) => f(a!(s) as number, b!(s) as number);
    case 3:
      return (s) => f(a!(s) as number, b!(s) as number, c!(s) as number);
    default:
      return (s) => f(...args.map((g) => g(s) as number));
  }
}

export function compileBin(op: string, l: EvalFn, r: EvalFn): EvalFn {
  // The casts only tell TypeScript what JS does anyway: every operator coerces its operands.
  type F = (s: Slots) => number;
  const L = l as F;
  const R = r as F;
  switch (op) {
    case '+':
      return (s) => L(s) + R(s);
    case '-':
      return (s) => L(s) - R(s);
    case '*':
      return (s) => L(s) * R(s);
    case '/':
      return (s) => L(s) / R(s);
    case '%':
      return (s) => L(s) % R(s);
    case '**':
      return (s) => L(s) ** R(s);
    case '<':
      return (s) => L(s) < R(s);
    case '<=':
      return (s) => L(s) <= R(s);
    case '>':
      return (s) => L(s) > R(s);
    case '>=':
      return (s) => L(s) >= R(s);
    case '===':
      return (s) => l(s) === r(s);
    case '!==':
      return (s) => l(s) !== r(s);
    case '&&':
      return (s) => l(s) && r(s);
    case '||':
      return (s) => l(s) || r(s);
    case '&':
      return (s) => L(s) & R(s);
    case '|':
      return (s) => L(s) | R(s);
    case '^':
      return (s) => L(s) ^ R(s);
    case '<<':
      return (s) => L(s) << R(s);
    case '>>':
      return (s) => L(s) >> R(s);
    case '>>>':
      return (s) => L(s) >>> R(s);
    default:
      throw new Error(`IR: unknown binary operator '${op}'`);
  }
}

/** `a op b` with JS's semantics (the same closures the interpreter compiles). */
export function applyBin(op: string, a: Val, b: Val): Val {
  return compileBin(
    op,
    () => a,
    () => b,
  )([]);
}
