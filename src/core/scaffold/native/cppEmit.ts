// IR → C++17 for the native target. Every value is a double (a JS number) or a bool (a comparison);
// loop indices that start at an integer and step by an integer are int64 (exact while |i| < 2⁵³,
// as JS's doubles are), so `a[i + 1]` needs no float conversion. Element access goes through the
// prelude's bounds-checked `load`/`store`, which give JS's out-of-bounds behaviour — except in the
// fast copy of a loop nest that versioning.ts proved in range at entry (`versioning` on): there,
// int64 indices and raw pointers, so gcc can vectorise. Reductions keep
// the source's order: results equal the JS ones bit for bit, except for libm calls (sin, exp, …),
// where glibc and V8 may differ in the last ulp (the correctness check's tolerance says so).
import type { DType, Expr, Kernel, MathFn, Param, Stmt } from '../../ir/types.js';
import { numLitValue } from '../../ir/numLit.js';
import { Lines, StmtEmitter } from '../../ir/stmtEmitter.js';
import { unsupportedForm } from '../common/support.js';
import { exitsOf } from '../../ir/walk.js';
import { uncheckableStep } from '../common/guards.js';
import { indexCode, planNest } from './versioning.js';
import type { NestPlan } from './versioning.js';
import { emitFastFor, emitVersioned } from './fastCopy.js';

export type Ty = 'f64' | 'i64' | 'bool';
interface Code {
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

/** Emits one kernel's body as a C++ function over views and doubles. */
export class CppEmitter extends StmtEmitter {
  private readonly scopes: Map<string, Ty>[] = [];
  private readonly arrays = new Map<string, { dtype: DType; cname: string }>();
  /** Replaces a loop (the CUDA host launches parallel loops on the device); return true when handled. */
  onFor?: (st: Extract<Stmt, { kind: 'for' }>, out: Lines) => boolean;
  /** Loop versioning (the native target turns it on; the prelude must have the `Iv` helpers). */
  versioning = false;
  /** Iterations run together by unroll-and-jam in a fast copy (1: off). */
  jam = 4;
  /** The plan of the fast copy being emitted (unchecked access), if any (set by fastCopy.ts). */
  fast?: NestPlan;
  /** Pointers and lengths the fast copy uses (hoisted at its entry). */
  hoisted = new Set<string>();
  /** > 0 while emitting a checked copy (no versioning inside it: code size stays linear). */
  checkedOnly = 0;
  /** The `throw` guards met so far: the kernel sets `hl_thrown` to 1 + the index here and returns. */
  readonly throws: { readonly error: 'Error' | 'RangeError' | 'TypeError'; readonly message: string }[] = [];
  /** A number for unique C++ names within the function. */
  uid = 0;

  constructor(
    readonly kernel: Kernel,
    private readonly constPrefix: string,
  ) {
    super();
    const top = new Map<string, Ty>();
    for (const p of kernel.params) {
      if (p.kind === 'array') this.arrays.set(p.name, { dtype: viewDType(p), cname: cppName(p.name) });
      else top.set(p.name, 'f64');
    }
    for (const c of kernel.consts)
      this.arrays.set(c.name, { dtype: c.dtype, cname: `${constPrefix}${cppName(c.name)}` });
    this.scopes.push(top);
  }

  private ty(name: string): Ty {
    const t = this.tyOf(name);
    if (t) return t;
    throw new Error(`native emitter: '${name}' is not in scope`);
  }

  private tyOf(name: string): Ty | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const t = this.scopes[i]!.get(name);
      if (t) return t;
    }
    return undefined;
  }

  /** In a fast copy: the hoisted data pointer / length of an array. */
  private ptr(array: string): string {
    const n = `hl_p_${this.arr(array).cname}`;
    this.hoisted.add(array);
    return n;
  }
  private lenOf(array: string): string {
    this.hoisted.add(array);
    return `hl_l_${this.arr(array).cname}`;
  }
  /** In a fast copy: an index as exact int64 arithmetic. */
  index(e: Expr): string {
    return indexCode(e, this.fast!, cppName, (a) => this.lenOf(a));
  }

  arr(name: string): { dtype: DType; cname: string } {
    const a = this.arrays.get(name);
    if (!a) throw new Error(`native emitter: '${name}' is not an array`);
    return a;
  }

  /** The code as a double. */
  num(e: Expr): string {
    return asDouble(this.expr(e));
  }

  /** The code as a C++ condition (JS truthiness). */
  cond(e: Expr): string {
    const c = this.expr(e);
    if (c.ty === 'bool') return c.text;
    if (c.ty === 'i64') return `(${c.text} != 0)`;
    return `hotloop::truthy(${c.text})`;
  }

  expr(e: Expr): Code {
    switch (e.kind) {
      case 'const': {
        const v = numLitValue(e.value);
        return Number.isInteger(v) && Math.abs(v) < 2 ** 31 && !Object.is(v, -0)
          ? { text: `INT64_C(${v})`, ty: 'i64' }
          : { text: cppDouble(v), ty: 'f64' };
      }
      case 'var':
        return { text: cppName(e.name), ty: this.ty(e.name) };
      case 'len':
        if (this.fast) return { text: `static_cast<double>(${this.lenOf(e.array)})`, ty: 'f64' };
        return { text: `hotloop::len(${this.arr(e.array).cname})`, ty: 'f64' };
      case 'load': {
        if (this.fast) {
          const v = `${this.ptr(e.array)}[${this.index(e.index)}]`;
          return { text: this.arr(e.array).dtype === 'f64' ? v : `static_cast<double>(${v})`, ty: 'f64' };
        }
        const idx = this.expr(e.index);
        const i = idx.ty === 'i64' ? idx.text : asDouble(idx);
        return { text: `hotloop::load(${this.arr(e.array).cname}, ${i})`, ty: 'f64' };
      }
      case 'call':
        return this.call(e.fn, e.args);
      case 'select': {
        const t = this.expr(e.then);
        const f = this.expr(e.else);
        const both = t.ty === f.ty && t.ty !== 'i64';
        const tt = both ? t.text : asDouble(t);
        const ft = both ? f.text : asDouble(f);
        return { text: `(${this.cond(e.cond)} ? ${tt} : ${ft})`, ty: both ? t.ty : 'f64' };
      }
      case 'un': {
        const a = this.expr(e.arg);
        switch (e.op) {
          case '-':
            return { text: `(-${asDouble(a)})`, ty: 'f64' };
          case '+':
            return { text: asDouble(a), ty: 'f64' };
          case '!':
            return { text: `(!${this.cond(e.arg)})`, ty: 'bool' };
          case '~':
            return { text: `hotloop::jsNot(${asDouble(a)})`, ty: 'f64' };
        }
        throw new Error('native emitter: unknown unary operator');
      }
      case 'bin':
        return this.bin(e.op, this.expr(e.left), this.expr(e.right));
    }
  }

  private call(fn: MathFn, args: readonly Expr[]): Code {
    const a = args.map((x) => this.num(x));
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

  private bin(op: string, l: Code, r: Code): Code {
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
        return { text: `std::fmod(${asDouble(l)}, ${asDouble(r)})`, ty: 'f64' };
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

  protected condition(e: Expr): string {
    return this.cond(e);
  }
  protected nested(out: Lines, stmts: readonly Stmt[]): void {
    this.stmts(out, stmts);
  }

  stmts(out: Lines, list: readonly Stmt[]): void {
    this.scopes.push(new Map());
    for (const st of list) this.stmt(out, st);
    this.scopes.pop();
  }

  /** Declares a name in the current scope (a loop index or accumulator set up by the caller). */
  override declare(name: string, ty: 'f64' | 'i64'): void {
    this.scopes[this.scopes.length - 1]!.set(name, ty);
  }

  /** Statements declared into the current (top) scope, so the result expression sees the body's lets. */
  topLevel(out: Lines, list: readonly Stmt[]): void {
    for (const st of list) this.stmt(out, st);
  }

  /** Statements in a scope of their own, with these names declared in it (the fast copy's loops). */
  scoped(out: Lines, names: ReadonlyMap<string, Ty>, emit: () => void): void {
    this.scopes.push(new Map(names));
    emit();
    this.scopes.pop();
  }

  override stmt(out: Lines, st: Stmt): void {
    const scope = this.scopes[this.scopes.length - 1]!;
    switch (st.kind) {
      case 'let':
        out.line(`double ${cppName(st.name)} = ${this.num(st.init)};`);
        // In a fast copy an index let is substituted where it indexes: it may have no other use.
        if (this.fast?.names.get(st.name)?.kind === 'let')
          out.line(`static_cast<void>(${cppName(st.name)});`);
        scope.set(st.name, 'f64');
        return;
      case 'assign': {
        const t = this.ty(st.name);
        if (t === 'i64') throw new Error(`native emitter: assignment to loop index '${st.name}'`);
        out.line(`${cppName(st.name)} = ${this.num(st.value)};`);
        return;
      }
      case 'store': {
        const a = this.arr(st.array);
        if (this.fast) {
          const p = this.ptr(st.array);
          const v =
            a.dtype === 'u8c'
              ? `hotloop::toUint8Clamp(${this.num(st.value)})`
              : `hotloop::conv(${p}, ${this.num(st.value)})`;
          out.line(`${p}[${this.index(st.index)}] = ${v};`);
          return;
        }
        const idx = this.expr(st.index);
        const i = idx.ty === 'i64' ? idx.text : asDouble(idx);
        const fn = a.dtype === 'u8c' ? 'hotloop::storeClamped' : 'hotloop::store';
        out.line(`${fn}(${a.cname}, ${i}, ${this.num(st.value)});`);
        return;
      }
      case 'if':
        this.ifElse(out, st);
        return;
      case 'for': {
        if (this.onFor?.(st, out)) return;
        if (this.fast) {
          emitFastFor(this, out, st);
          return;
        }
        const plan = this.versioning && !this.checkedOnly ? planNest(st, (n) => this.tyOf(n)) : undefined;
        if (plan) {
          emitVersioned(this, out, plan);
          return;
        }
        this.checkedFor(out, st);
        return;
      }
      case 'break':
      case 'continue':
        this.jump(out, st);
        return;
      case 'return': {
        if (!st.value) {
          out.line('return;');
          return;
        }
        const v = this.expr(st.value);
        if (v.ty === 'bool')
          throw new Error('an early return of a comparison result (true/false) is not lowered to C++');
        out.line(`return ${asDouble(v)};`);
        return;
      }
      case 'throw': {
        // The glue writes copied arrays back, then throws this error class and message in JS.
        this.throws.push({ error: st.error, message: st.message });
        out.line(
          `hl_thrown = ${this.throws.length}; // ${st.error}: ${JSON.stringify(st.message).replace(/\*\//g, '* /')}`,
        );
        out.line(this.kernel.result.kind === 'scalar' ? 'return {};' : 'return;');
        return;
      }
    }
  }

  /** The loop exactly as JS runs it (end re-evaluated every iteration; `>` for a descending loop). */
  private checkedFor(out: Lines, st: Extract<Stmt, { kind: 'for' }>): void {
    const start = this.expr(st.start);
    const i = cppName(st.index);
    const intLoop = start.ty === 'i64' && Number.isInteger(st.step);
    let step = intLoop ? String(st.step) : cppDouble(st.step);
    const guarded = st.stepExpr !== undefined;
    if (st.stepExpr) {
      // A run-time step, evaluated once; the wrapper checked it is a non-zero integer of the loop's
      // direction (a direct call with another value skips the loop instead of spinning).
      const s = `${i}_step`;
      out.line(`const double ${s} = ${this.num(st.stepExpr)};`);
      out
        .line(
          `if (${s} == std::trunc(${s}) && ${s} ${st.step > 0 ? '>' : '<'} 0 && std::fabs(${s}) < 9.0e15) {`,
        )
        .indent();
      step = intLoop ? `static_cast<int64_t>(${s})` : s;
    }
    this.scopes.push(new Map([[st.index, intLoop ? 'i64' : 'f64']]));
    const end = this.expr(st.end);
    const lt = st.step > 0 ? '<' : '>';
    const cond =
      intLoop && end.ty === 'i64'
        ? `${i} ${lt} ${end.text}`
        : `${intLoop ? `static_cast<double>(${i})` : i} ${lt} ${asDouble(end)}`;
    const decl = intLoop ? `int64_t ${i} = ${start.text}` : `double ${i} = ${asDouble(start)}`;
    out.line(`for (${decl}; ${cond}; ${i} += ${step}) {`).indent();
    this.stmts(out, st.body);
    this.scopes.pop();
    out.dedent().line('}');
    if (guarded) out.dedent().line('}');
  }

  /** The result expression (after the body, in the body's scope), as a double or bool. */
  result(): Code | undefined {
    return this.kernel.result.kind === 'scalar' ? this.expr(this.kernel.result.expr) : undefined;
  }
}

function asDouble(c: Code): string {
  if (c.ty === 'f64') return c.text;
  return `static_cast<double>(${c.text})`;
}

/** C++ declarations of the kernel's constant tables (file-level statics). */
export function cppConstTables(k: Kernel, prefix: string): string[] {
  return k.consts.map((t) => {
    const ct = C_TYPE[t.dtype];
    const vals = t.values.map((v) => cppDouble(numLitValue(v)));
    const name = `${prefix}${cppName(t.name)}`;
    // A JS const array literal converts to the typed array's type on construction, as `T.from([...])` does.
    const conv =
      t.dtype === 'f64'
        ? vals
        : vals.map((v) =>
            t.dtype === 'u8c'
              ? `hotloop::toUint8Clamp(${v})`
              : `static_cast<${ct}>(hotloop::conv(static_cast<${ct}*>(nullptr), ${v}))`,
          );
    return [
      `static const ${ct} ${name}_data[${Math.max(1, vals.length)}] = {${conv.join(', ') || '0'}};`,
      `static const hotloop::View<const ${ct}> ${name}{${name}_data, ${vals.length}};`,
    ].join('\n');
  });
}

/** The kernel as `static <ret> <fn>(views…, doubles…)`; `ret` is double, bool or void. */
export function cppKernelFunction(
  k: Kernel,
  fnName: string,
  constPrefix: string,
  opts: { versioning?: boolean; jam?: number } = {},
): { source: string; resultTy: 'double' | 'bool' | 'void'; throws: CppEmitter['throws'] } {
  const form = unsupportedForm(k, 'native', {
    breakContinue: true,
    return: true,
    throw: true,
    steps: true,
    rank2: false,
  });
  if (form) throw new Error(form);
  const step = uncheckableStep(k, 'native');
  if (step) throw new Error(step);
  const em = new CppEmitter(k, constPrefix);
  em.versioning = opts.versioning ?? true;
  em.jam = opts.jam ?? em.jam;
  const params = k.params.map((p) =>
    p.kind === 'array'
      ? `hotloop::View<${C_TYPE[viewDType(p)]}>& ${cppName(p.name)}`
      : `double ${cppName(p.name)}`,
  );
  if (exitsOf(k.body).throw) params.push('int& hl_thrown');
  const out = new Lines();
  let resultTy: 'double' | 'bool' | 'void' = 'void';
  const body = new Lines();
  body.indent();
  // The body's top-level scope is shared with the result expression.
  em.topLevel(body, k.body);
  const r = em.result();
  if (r) {
    if (r.ty === 'bool' && exitsOf(k.body).return)
      throw new Error(
        'a kernel that returns a comparison result (true/false) and exits early is not lowered to C++',
      );
    resultTy = r.ty === 'bool' ? 'bool' : 'double';
    body.line(`return ${r.ty === 'bool' ? r.text : asDouble(r)};`);
  }
  out.line(`static ${resultTy} ${fnName}(${params.join(', ')}) {`);
  const text = body.text().replace(/\n$/, '');
  if (text.trim()) out.line(text);
  out.line('}');
  return { source: out.text(), resultTy, throws: em.throws };
}
