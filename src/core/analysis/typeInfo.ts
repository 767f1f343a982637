// What the type checker says about arrays and scalars: element types, number-ness, string-ness.
import type { Container, DType } from '../ir/types.js';
import { ts } from './ts.js';
import type { ElementType } from './types.js';

const typedArrays: Readonly<Record<string, DType>> = {
  Float64Array: 'f64', Float32Array: 'f32', Int32Array: 'i32', Uint32Array: 'u32', Int16Array: 'i16',
  Uint16Array: 'u16', Int8Array: 'i8', Uint8Array: 'u8', Uint8ClampedArray: 'u8c',
};

/** True when every constituent of `type` is a number (or number literal / numeric enum). */
export function isNumberType(type: ts.Type): boolean {
  if (type.isUnion()) return type.types.every(isNumberType);
  return (type.flags & ts.TypeFlags.NumberLike) !== 0;
}

export function isStringType(type: ts.Type): boolean {
  if (type.isUnion()) return type.types.some(isStringType);
  return (type.flags & ts.TypeFlags.StringLike) !== 0;
}

export function isAnyOrUnknown(type: ts.Type): boolean {
  return (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) !== 0;
}

function typedArrayName(type: ts.Type): string | undefined {
  const name = type.getSymbol()?.name;
  return name && name in typedArrays ? name : undefined;
}

/** The element type of an array-valued type, as the facts report it. */
export function elementTypeOfType(checker: ts.TypeChecker, type: ts.Type): ElementType {
  const t = checker.getNonNullableType(type);
  const typed = typedArrayName(t);
  if (typed) return typed as ElementType;
  if (checker.isArrayType(t) || checker.isTupleType(t)) {
    const args = checker.getTypeArguments(t as ts.TypeReference);
    if (args.length > 0 && args.every(isNumberType)) return 'number[]';
  }
  return 'unknown';
}

export function elementTypeOf(checker: ts.TypeChecker, expr: ts.Expression): ElementType {
  return elementTypeOfType(checker, checker.getTypeAtLocation(expr));
}

/** True when `type` is an array or typed array of anything (the receiver of a loop method). */
export function isArrayLike(checker: ts.TypeChecker, type: ts.Type): boolean {
  const t = checker.getNonNullableType(type);
  return typedArrayName(t) !== undefined || checker.isArrayType(t) || checker.isTupleType(t);
}

/** IR dtype and container of a known element type. */
export function irArrayType(el: Exclude<ElementType, 'unknown'>): { dtype: DType; container: Container } {
  if (el === 'number[]') return { dtype: 'f64', container: 'array' };
  return { dtype: typedArrays[el] ?? 'f64', container: 'typed' };
}

/** True for element types whose loads are always int32 values (so `let x = a[i]` may be i32). */
export function isInt32Element(el: ElementType): boolean {
  return el === 'Int32Array' || el === 'Int16Array' || el === 'Uint16Array' || el === 'Int8Array'
    || el === 'Uint8Array' || el === 'Uint8ClampedArray';
}
