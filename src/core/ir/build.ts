// Terse constructors for Kernel IR, for tests, generators and lowering code that build kernels by hand.
import type {
  ArrayParam,
  BinOp,
  DType,
  Expr,
  Kernel,
  MathFn,
  NumLit,
  Param,
  Reduction,
  Stmt,
  UnOp,
} from './types.js';

export const num = (value: NumLit): Expr => ({ kind: 'const', value });
export const ref = (name: string): Expr => ({ kind: 'var', name });
export const load = (array: string, index: Expr): Expr => ({ kind: 'load', array, index });
export const len = (array: string): Expr => ({ kind: 'len', array });
export const bin = (op: BinOp, left: Expr, right: Expr): Expr => ({ kind: 'bin', op, left, right });
export const un = (op: UnOp, arg: Expr): Expr => ({ kind: 'un', op, arg });
export const call = (fn: MathFn, ...args: Expr[]): Expr => ({ kind: 'call', fn, args });
export const select = (cond: Expr, then: Expr, otherwise: Expr): Expr => ({
  kind: 'select',
  cond,
  then,
  else: otherwise,
});
export const add = (a: Expr, b: Expr): Expr => bin('+', a, b);
export const sub = (a: Expr, b: Expr): Expr => bin('-', a, b);
export const mul = (a: Expr, b: Expr): Expr => bin('*', a, b);
export const div = (a: Expr, b: Expr): Expr => bin('/', a, b);

export const let_ = (name: string, init: Expr, dtype: 'f64' | 'i32' = 'f64'): Stmt => ({
  kind: 'let',
  name,
  dtype,
  init,
});
export const assign = (name: string, value: Expr): Stmt => ({ kind: 'assign', name, value });
export const store = (array: string, index: Expr, value: Expr): Stmt => ({
  kind: 'store',
  array,
  index,
  value,
});
/** `a[row][col]` of a rank-2 array. */
export const load2 = (array: string, row: Expr, col: Expr): Expr => ({
  kind: 'load',
  array,
  index: row,
  col,
});
/** `a[row].length` of a rank-2 array. */
export const rowLen = (array: string, row: Expr): Expr => ({ kind: 'len', array, row });
export const store2 = (array: string, row: Expr, col: Expr, value: Expr): Stmt => ({
  kind: 'store',
  array,
  index: row,
  col,
  value,
});
export const break_: Stmt = { kind: 'break' };
export const continue_: Stmt = { kind: 'continue' };
export const return_ = (value?: Expr): Stmt => (value ? { kind: 'return', value } : { kind: 'return' });
export const throw_ = (error: 'Error' | 'RangeError' | 'TypeError', message: string): Stmt => ({
  kind: 'throw',
  error,
  message,
});
export const if_ = (cond: Expr, then: Stmt[], otherwise: Stmt[] = []): Stmt => ({
  kind: 'if',
  cond,
  then,
  else: otherwise,
});
export function for_(
  index: string,
  start: Expr,
  end: Expr,
  body: Stmt[],
  opts: { step?: number; stepExpr?: Expr; parallel?: Reduction[] } = {},
): Stmt {
  return {
    kind: 'for',
    index,
    start,
    end,
    step: opts.step ?? 1,
    body,
    ...(opts.stepExpr ? { stepExpr: opts.stepExpr } : {}),
    ...(opts.parallel ? { parallel: { reductions: opts.parallel } } : {}),
  };
}

export const arrayParam = (
  name: string,
  dtype: DType,
  access: 'read' | 'write' | 'readwrite',
  container: 'typed' | 'array' = 'typed',
): ArrayParam => ({ kind: 'array', name, dtype, container, access });
export const scalarParam = (name: string, dtype: 'f64' | 'i32' = 'i32'): Param => ({
  kind: 'scalar',
  name,
  dtype,
});

/** A kernel with defaults for the bookkeeping fields. */
export function kernel(
  k: Pick<Kernel, 'name' | 'params' | 'body' | 'result' | 'pattern'> & Partial<Kernel>,
): Kernel {
  return { irVersion: 1, consts: [], orderSensitive: false, inlined: [], ...k };
}
