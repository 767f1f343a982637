// JS syntax shared by the IR's JS-like printers (`toJs.ts`, `print.ts`) and the TypeScript emitter:
// operator precedence, array access and the `for` header of a loop.
import type { BinOp, DType } from './types.js';

/** JS precedence of each binary operator (higher binds tighter). */
export const JS_PREC: Readonly<Record<BinOp, number>> = {
  '||': 3,
  '&&': 4,
  '|': 5,
  '^': 6,
  '&': 7,
  '===': 8,
  '!==': 8,
  '<': 9,
  '<=': 9,
  '>': 9,
  '>=': 9,
  '<<': 10,
  '>>': 10,
  '>>>': 10,
  '+': 11,
  '-': 11,
  '*': 12,
  '/': 12,
  '%': 12,
  '**': 13,
};
/** Precedence of `c ? a : b`, of a unary operator, and of an atom (literal, name, call, access). */
export const JS_SELECT_PREC = 2;
export const JS_UNARY_PREC = 14;
export const JS_ATOM_PREC = 20;

/** The typed-array constructor of each dtype. */
export const TYPED_CTOR: Readonly<Record<DType, string>> = {
  f64: 'Float64Array',
  f32: 'Float32Array',
  i32: 'Int32Array',
  u32: 'Uint32Array',
  i16: 'Int16Array',
  u16: 'Uint16Array',
  i8: 'Int8Array',
  u8: 'Uint8Array',
  u8c: 'Uint8ClampedArray',
};

/** `a.length` or `a[row].length` (the sources already in JS). */
export function jsLen(array: string, row?: string): string {
  return row === undefined ? `${array}.length` : `${array}[${row}].length`;
}

/** `a[i]` or `a[i][j]`. */
export function jsAccess(array: string, index: string, col?: string): string {
  return `${array}[${index}]${col === undefined ? '' : `[${col}]`}`;
}

/**
 * `for (let i = start; i < end; i++)` (`>` for a descending loop); `stepName`: the variable that
 * holds a run-time step, evaluated once before the loop.
 */
export function jsForHeader(
  i: string,
  step: number,
  start: string,
  end: string,
  stepName: string | undefined,
): string {
  const inc = stepName
    ? `${i} += ${stepName}`
    : step === 1
      ? `${i}++`
      : step === -1
        ? `${i}--`
        : `${i} += ${step}`;
  return `for (let ${i} = ${start}; ${i} ${step > 0 ? '<' : '>'} ${end}; ${inc})`;
}
