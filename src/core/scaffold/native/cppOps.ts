// The pieces of the IR → C++ lowering that do not depend on the emitter's state: types, names,
// literals and the operators and Math functions with JS semantics (the prelude's helpers).
import type { DType, MathFn, Param, Kernel } from '../../ir/types.js';

export type Ty = 'f64' | 'i64' | 'bool';
export interface Code {
  readonly text: string;
  readonly ty: Ty;
}

/** C element type of each dtype. */
export const C_TYPE: Readonly<Record<DType, string>> = {
  f64: 'double',
  f32: 'float',
  i32: 'int32_t',
  u32: 'uint32_t',
  i16: 'int16_t',
  u16: 'uint16_t',
  i8: 'int8_t',
  u8: 'uint8_t',
  u8c: 'uint8_t',
};

/** The element type a param is viewed as in C++ (`number[]` are converted to doubles). */
export function viewDType(p: Extract<Param, { kind: 'array' }>): DType {
  return p.container === 'array' ? 'f64' : p.dtype;
}

/** C++ source of a double literal that reads back as the same value. */
export function cppDouble(v: number): string {
  if (Number.isNaN(v)) return 'hotloop::kNaN';
  if (v === Infinity) return 'HUGE_VAL';
  if (v === -Infinity) return '(-HUGE_VAL)';
  if (Object.is(v, -0)) return '(-0.0)';
  const s = v.toPrecision(17);
  const t = /[.e]/.test(s) ? s : `${s}.0`;
  return v < 0 ? `(${t})` : t;
}

const STD1: Partial<Record<MathFn, string>> = {
  abs: 'std::fabs',
  sqrt: 'std::sqrt',
  cbrt: 'std::cbrt',
  exp: 'std::exp',
  expm1: 'std::expm1',
  log: 'std::log',
  log1p: 'std::log1p',
  log2: 'std::log2',
  log10: 'std::log10',
  sin: 'std::sin',
  cos: 'std::cos',
  tan: 'std::tan',
  asin: 'std::asin',
  acos: 'std::acos',
  atan: 'std::atan',
  sinh: 'std::sinh',
  cosh: 'std::cosh',
  tanh: 'std::tanh',
  floor: 'std::floor',
  ceil: 'std::ceil',
  trunc: 'std::trunc',
  round: 'hotloop::jsRound',
  sign: 'hotloop::jsSign',
  fround: 'hotloop::jsFround',
};

/** Names C++ would not accept as identifiers (keywords and the names our glue uses). */
const RESERVED = new Set(
  (
    'alignas alignof and and_eq asm auto bitand bitor bool break case catch char char16_t char32_t class compl const ' +
    'constexpr const_cast continue decltype default delete do double dynamic_cast else enum explicit export extern ' +
    'false float for friend goto if inline int long mutable namespace new noexcept not not_eq nullptr operator or ' +
    'or_eq private protected public register reinterpret_cast return short signed sizeof static static_assert ' +
    'static_cast struct switch template this thread_local throw true try typedef typeid typename union unsigned ' +
    'using virtual void volatile wchar_t while xor xor_eq info env result hotloop std napi Napi NaN'
  ).split(' '),
);

/** A safe C++ identifier for an IR name. */
export function cppName(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9_]/g, '_');
  return RESERVED.has(safe) || safe.startsWith('hl_') ? `v_${safe}` : safe;
}

/** `Math.fn(…)` on arguments already lowered to doubles. */
export function cppCall(fn: MathFn, a: readonly string[]): Code {
  const std = STD1[fn];
  if (std) return { text: `${std}(${a[0] ?? 'hotloop::kNaN'})`, ty: 'f64' };
  switch (fn) {
    case 'atan2':
      return { text: `std::atan2(${a[0] ?? 'hotloop::kNaN'}, ${a[1] ?? 'hotloop::kNaN'})`, ty: 'f64' };
    case 'pow':
      return { text: `hotloop::jsPow(${a[0] ?? 'hotloop::kNaN'}, ${a[1] ?? 'hotloop::kNaN'})`, ty: 'f64' };
    case 'imul':
      return { text: `hotloop::jsImul(${a[0] ?? '0.0'}, ${a[1] ?? '0.0'})`, ty: 'f64' };
    case 'min':
    case 'max': {
      if (a.length === 0) return { text: fn === 'min' ? 'HUGE_VAL' : '(-HUGE_VAL)', ty: 'f64' };
      const f = fn === 'min' ? 'hotloop::jsMin' : 'hotloop::jsMax';
      // Math.min(x) is ToNumber(x): one argument passes through (jsMin(x, +Inf) would turn -0… into -0 anyway).
      return { text: a.slice(1).reduce((acc, x) => `${f}(${acc}, ${x})`, a[0]!), ty: 'f64' };
    }
    case 'hypot': {
      if (a.length === 0) return { text: '0.0', ty: 'f64' };
      if (a.length === 1) return { text: `std::fabs(${a[0]!})`, ty: 'f64' };
      if (a.length <= 3) return { text: `std::hypot(${a.join(', ')})`, ty: 'f64' };
      throw new Error('native emitter: Math.hypot with more than 3 arguments');
    }
    default:
      throw new Error(`native emitter: Math.${fn} is not supported`);
  }
}

/** A binary operator on two lowered operands. */
export function cppBin(op: string, l: Code, r: Code): Code {
  const intArith = l.ty === 'i64' && r.ty === 'i64';
  switch (op) {
    case '+':
    case '-':
    case '*':
      return intArith
        ? { text: `(${l.text} ${op} ${r.text})`, ty: 'i64' }
        : { text: `(${asDouble(l)} ${op} ${asDouble(r)})`, ty: 'f64' };
    case '/':
      return { text: `(${asDouble(l)} / ${asDouble(r)})`, ty: 'f64' };
    case '%':
      return { text: `hotloop::jsMod(${asDouble(l)}, ${asDouble(r)})`, ty: 'f64' };
    case '**':
      return { text: `hotloop::jsPow(${asDouble(l)}, ${asDouble(r)})`, ty: 'f64' };
    case '<':
    case '<=':
    case '>':
    case '>=':
      return intArith
        ? { text: `(${l.text} ${op} ${r.text})`, ty: 'bool' }
        : { text: `(${asDouble(l)} ${op} ${asDouble(r)})`, ty: 'bool' };
    case '===':
    case '!==': {
      // Strict equality of a boolean and a number is constant in JS.
      if ((l.ty === 'bool') !== (r.ty === 'bool'))
        return { text: op === '===' ? 'false' : 'true', ty: 'bool' };
      const c = op === '===' ? '==' : '!=';
      if (l.ty === 'bool') return { text: `(${l.text} ${c} ${r.text})`, ty: 'bool' };
      return intArith
        ? { text: `(${l.text} ${c} ${r.text})`, ty: 'bool' }
        : { text: `(${asDouble(l)} ${c} ${asDouble(r)})`, ty: 'bool' };
    }
    case '&&':
    case '||':
      if (l.ty === 'bool' && r.ty === 'bool') return { text: `(${l.text} ${op} ${r.text})`, ty: 'bool' };
      return {
        text: `hotloop::${op === '&&' ? 'andV' : 'orV'}(${asDouble(l)}, ${asDouble(r)})`,
        ty: 'f64',
      };
    case '&':
      return { text: `hotloop::jsAnd(${asDouble(l)}, ${asDouble(r)})`, ty: 'f64' };
    case '|':
      return { text: `hotloop::jsOr(${asDouble(l)}, ${asDouble(r)})`, ty: 'f64' };
    case '^':
      return { text: `hotloop::jsXor(${asDouble(l)}, ${asDouble(r)})`, ty: 'f64' };
    case '<<':
      return { text: `hotloop::jsShl(${asDouble(l)}, ${asDouble(r)})`, ty: 'f64' };
    case '>>':
      return { text: `hotloop::jsShr(${asDouble(l)}, ${asDouble(r)})`, ty: 'f64' };
    case '>>>':
      return { text: `hotloop::jsUshr(${asDouble(l)}, ${asDouble(r)})`, ty: 'f64' };
    default:
      throw new Error(`native emitter: unknown operator '${op}'`);
  }
}

/** The code as a double. */
export function asDouble(c: Code): string {
  if (c.ty === 'f64') return c.text;
  return `static_cast<double>(${c.text})`;
}

/**
 * The read-only number[] parameters whose element type is a template parameter of the kernel (at
 * most 2: 4 instantiations), so that a Float32Array given for them is read in place as well as a
 * Float64Array (JS reads a Float32Array element as the same double the C++ float promotes to).
 */
export function genericParams(k: Kernel): string[] {
  return k.params
    .filter((p) => p.kind === 'array' && p.container === 'array' && p.rank !== 2 && p.access === 'read')
    .slice(0, 2)
    .map((p) => p.name);
}
