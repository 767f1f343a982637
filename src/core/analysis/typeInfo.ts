// What the type checker says about arrays and scalars: element types, number-ness, string-ness.
import type { Container, DType } from '../ir/types.js';
import { ts } from './ts.js';
import type { ElementType } from './types.js';

const typedArrays: Readonly<Record<string, DType>> = {
  Float64Array: 'f64',
  Float32Array: 'f32',
  Int32Array: 'i32',
  Uint32Array: 'u32',
  Int16Array: 'i16',
  Uint16Array: 'u16',
  Int8Array: 'i8',
  Uint8Array: 'u8',
  Uint8ClampedArray: 'u8c',
};

export type KnownElement = Exclude<ElementType, 'unknown'>;

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

/**
 * How a type that says nothing about numbers is written, or undefined when it says something: `any[]`
 * (`var ret = Array(n)` in plain JS), `any[][]`, and a generic whose constraint does not resolve
 * (`T extends NumberArray` with the import missing). Such a value's kind is inferred from its uses.
 */
export function vagueArrayType(checker: ts.TypeChecker, type: ts.Type, depth = 0): string | undefined {
  if (depth > 4) return undefined;
  const t = checker.getNonNullableType(type);
  if (isAnyOrUnknown(t)) return depth > 0 ? checker.typeToString(type) : undefined;
  if (t.isUnion()) {
    const parts = t.types.filter((x) => (x.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)) === 0);
    return parts.length > 0 && parts.every((x) => vagueArrayType(checker, x, depth + 1))
      ? checker.typeToString(type)
      : undefined;
  }
  // A generic (`T extends NumberArray`) whose constraint does not resolve, or that has none.
  const c = checker.getBaseConstraintOfType(t);
  const generic = (t.flags & ts.TypeFlags.TypeParameter) !== 0;
  if (
    (generic && (!c || c === t)) ||
    (c && c !== t && (isAnyOrUnknown(c) || vagueArrayType(checker, c, depth + 1)))
  )
    return checker.typeToString(type);
  if (!checker.isArrayType(t)) return undefined;
  const [arg] = checker.getTypeArguments(t as ts.TypeReference);
  return arg && (isAnyOrUnknown(arg) || vagueArrayType(checker, arg, depth + 1))
    ? checker.typeToString(type)
    : undefined;
}

function typedArrayName(type: ts.Type): string | undefined {
  const name = type.getSymbol()?.name;
  return name && name in typedArrays ? name : undefined;
}

/** True for the rank-2 element types (arrays of rows). */
export function isRank2(el: ElementType): el is 'number[][]' | 'Float64Array[]' | 'ArrayLike<number>[]' {
  return el === 'number[][]' || el === 'Float64Array[]' || el === 'ArrayLike<number>[]';
}

/** The element type of an array of rows whose rows have element type `row`. */
function rowsOf(row: ElementType): ElementType {
  if (row === 'unknown' || isRank2(row)) return 'unknown';
  if (row === 'number[]') return 'number[][]';
  if (row === 'Float64Array') return 'Float64Array[]';
  return 'ArrayLike<number>[]';
}

/** One element type for a union's constituents: the same one, or the general one of their rank. */
function join(els: readonly ElementType[]): ElementType {
  if (els.length === 0 || els.includes('unknown')) return 'unknown';
  if (els.every((e) => e === els[0])) return els[0]!;
  if (els.every(isRank2)) return 'ArrayLike<number>[]';
  return els.some(isRank2) ? 'unknown' : 'ArrayLike<number>';
}

function isLibSymbol(sym: ts.Symbol | undefined, name: string): boolean {
  return sym?.name === name && (sym.declarations ?? []).some((d) => d.getSourceFile().isDeclarationFile);
}

/** The element type of an array-valued type, as the facts report it. */
export function elementTypeOfType(checker: ts.TypeChecker, type: ts.Type, depth = 0): ElementType {
  if (depth > 6) return 'unknown';
  const t = checker.getNonNullableType(type);
  if ((t.flags & ts.TypeFlags.TypeParameter) !== 0) {
    // `T extends ArrayLike<number>`: the constraint decides.
    const c = checker.getBaseConstraintOfType(t);
    return c && c !== t ? elementTypeOfType(checker, c, depth + 1) : 'unknown';
  }
  const typed = typedArrayName(t);
  if (typed) return typed as ElementType;
  if (t.isUnion()) return join(t.types.map((x) => elementTypeOfType(checker, x, depth + 1)));
  const isArrayLikeIface = isLibSymbol(t.getSymbol(), 'ArrayLike');
  if (checker.isArrayType(t) || checker.isTupleType(t) || isArrayLikeIface) {
    const args = checker.getTypeArguments(t as ts.TypeReference);
    if (args.length === 0) return 'unknown';
    if (args.every(isNumberType)) return isArrayLikeIface ? 'ArrayLike<number>' : 'number[]';
    if (checker.isTupleType(t)) return 'unknown';
    return rowsOf(join(args.map((a) => elementTypeOfType(checker, a, depth + 1))));
  }
  return 'unknown';
}

export function elementTypeOf(checker: ts.TypeChecker, expr: ts.Expression): ElementType {
  return elementTypeOfType(checker, checker.getTypeAtLocation(expr));
}

/** True when `type` is an array or typed array of anything, or a numeric array type (the receiver of a loop method, `.length`). */
export function isArrayLike(checker: ts.TypeChecker, type: ts.Type): boolean {
  const t = checker.getNonNullableType(type);
  return (
    typedArrayName(t) !== undefined ||
    checker.isArrayType(t) ||
    checker.isTupleType(t) ||
    elementTypeOfType(checker, t) !== 'unknown'
  );
}

/** IR dtype, container and rank of a known element type (unions and generics: an f64 `array` container, which takes any of them). */
export function irArrayType(el: KnownElement): { dtype: DType; container: Container; rank?: 2 } {
  switch (el) {
    case 'number[]':
    case 'ArrayLike<number>':
      return { dtype: 'f64', container: 'array' };
    case 'number[][]':
    case 'ArrayLike<number>[]':
      return { dtype: 'f64', container: 'array', rank: 2 };
    case 'Float64Array[]':
      return { dtype: 'f64', container: 'typed', rank: 2 };
    default:
      return { dtype: typedArrays[el] ?? 'f64', container: 'typed' };
  }
}

/** True for element types whose loads are always int32 values (so `let x = a[i]` may be i32). */
export function isInt32Element(el: ElementType): boolean {
  return (
    el === 'Int32Array' ||
    el === 'Int16Array' ||
    el === 'Uint16Array' ||
    el === 'Int8Array' ||
    el === 'Uint8Array' ||
    el === 'Uint8ClampedArray'
  );
}
