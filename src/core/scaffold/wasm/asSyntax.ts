// The parts of the IR → AssemblyScript lowering that do not depend on the emitter's state: value
// types, which names are integers, safe names, element accessors, literals and parentheses.
import type { DType, Expr, Kernel } from '../../ir/types.js';
import { stmtSubExprs, stmtUses, subExprs, visitStmts } from '../../ir/walk.js';

export type Ty = 'f64' | 'bool';
export interface AsCode {
  readonly text: string;
  readonly ty: Ty;
}

/** What a name is in the AssemblyScript function: an f64, an i32 loop index, an integer f64 param, an i64 local. */
export type VarKind = 'f64' | 'index' | 'intParam' | 'intLocal';

/** Reads of each name in value positions and in index positions (array indices, loop bounds). */
export function readContexts(k: Kernel): { value: Set<string>; index: Set<string> } {
  const value = new Set<string>();
  const index = new Set<string>();
  const expr = (e: Expr, inIndex: boolean): void => {
    if (e.kind === 'var') (inIndex ? index : value).add(e.name);
    for (const c of subExprs(e)) expr(c.e, inIndex || c.index);
  };
  visitStmts(k.body, (st) => {
    for (const c of stmtSubExprs(st)) expr(c.e, c.index);
  });
  if (k.result.kind === 'scalar') expr(k.result.expr, false);
  return { value, index };
}

/**
 * Scalar params the wasm kernel takes as integers: `i32` ones and any used in an index or loop
 * bound (the wrapper checks they are integers and otherwise runs the original JS).
 */
export function integerParams(k: Kernel): Set<string> {
  const assigned = stmtUses(k.body).assigns;
  const { index } = readContexts(k);
  return new Set(
    k.params
      .filter((p) => p.kind === 'scalar' && !assigned.has(p.name) && (p.dtype === 'i32' || index.has(p.name)))
      .map((p) => p.name),
  );
}

/** Names an AssemblyScript kernel cannot use as they are (types, builtins, the prelude's helpers). */
const RESERVED = new Set(
  (
    'i8 i16 i32 i64 u8 u16 u32 u64 f32 f64 v128 bool usize isize string void auto number boolean ' +
    'load store abs min max sqrt floor ceil trunc nearest select unreachable memory heap Math NaN Infinity isNaN ' +
    'isFinite changetype assert sizeof offsetof alignof idof nameof lengthof unchecked inline instantiate ' +
    'toInt32 truthy jsAnd jsOr jsSign clampU8 at atF cellI cellF rowLen rowFault getF64 getF32 getI32 getU32 getI16 getU16 getI8 getU8 ' +
    'setF64 setF32 setI32 setI16 setI8 setU8C hotloopAlloc hotloopFree let const var type namespace declare ' +
    'abstract readonly i32x4 f64x2 f32x4 i64x2 i16x8 i8x16 v128 result'
  ).split(' '),
);

/** A safe AssemblyScript name for an IR name. */
export function asName(name: string): string {
  return RESERVED.has(name) || name.startsWith('js_') || /_(ptr|len|off|v[a-z0-9]*)$/.test(name)
    ? `${name}_`
    : name;
}

export const GET: Readonly<Record<DType, string>> = {
  f64: 'getF64',
  f32: 'getF32',
  i32: 'getI32',
  u32: 'getU32',
  i16: 'getI16',
  u16: 'getU16',
  i8: 'getI8',
  u8: 'getU8',
  u8c: 'getU8',
};
export const SET: Readonly<Record<DType, string>> = {
  f64: 'setF64',
  f32: 'setF32',
  i32: 'setI32',
  u32: 'setI32',
  i16: 'setI16',
  u16: 'setI16',
  i8: 'setI8',
  u8: 'setI8',
  u8c: 'setU8C',
};

/** f64 literal source: always with a decimal point or exponent, so it never reads as an integer. */
export function f64Literal(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  if (Object.is(v, -0)) return '-0.0';
  const s = String(v);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

export function num(c: AsCode): string {
  return c.ty === 'f64' ? c.text : `<f64>(${c.text})`;
}
export function bool(c: AsCode): string {
  return c.ty === 'bool' ? c.text : `truthy(${c.text})`;
}

/** Drops one pair of outer parentheses. */
export function strip(s: string): string {
  if (!s.startsWith('(') || !s.endsWith(')')) return s;
  let depth = 0;
  for (let k = 0; k < s.length; k++) {
    if (s[k] === '(') depth++;
    else if (s[k] === ')') depth--;
    if (depth === 0 && k < s.length - 1) return s;
  }
  return s.slice(1, -1);
}

export function paren(s: string): string {
  return /^[\w.<>]+(\(.*\))?$/.test(s) && !s.includes(' ') ? s : `(${strip(s)})`;
}
