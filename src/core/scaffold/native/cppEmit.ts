// IR → C++17 for the native target. Every value is a double (a JS number) or a bool (a comparison);
// loop indices that start at an integer and step by an integer are int64 (exact while |i| < 2⁵³,
// as JS's doubles are), so `a[i + 1]` needs no float conversion. Element access goes through the
// prelude's bounds-checked `load`/`store`, which give JS's out-of-bounds behaviour — except in the
// fast copy of a loop nest that versioning.ts proved in range at entry (`versioning` on): there,
// int64 indices and raw pointers, so gcc can vectorise. Reductions keep
// the source's order: results equal the JS ones bit for bit, except for libm calls (sin, exp, …),
// where glibc and V8 may differ in the last ulp (the correctness check's tolerance says so).
import type { DType, Expr, Kernel, Stmt } from '../../ir/types.js';
import { numLitValue } from '../../ir/numLit.js';
import { StmtEmitter } from '../../ir/stmtEmitter.js';
import type {
  AssignStmt,
  ForStmt,
  LetStmt,
  Lines,
  ReturnStmt,
  StoreStmt,
  ThrowStmt,
} from '../../ir/stmtEmitter.js';
import { asDouble, cppBin, cppCall, cppDouble, cppName, genericParams, viewDType } from './cppOps.js';
import type { Code, Ty } from './cppOps.js';
import { paramStep } from '../common/guards.js';
import { indexCode, planNest } from './versioning.js';
import type { NestPlan } from './versioning.js';
import { emitFastFor, emitVersioned } from './fastCopy.js';

export { C_TYPE, cppDouble, cppName, viewDType } from './cppOps.js';
export type { Ty } from './cppOps.js';

/** Emits one kernel's body as a C++ function over views and doubles. */
export class CppEmitter extends StmtEmitter<Ty> {
  protected override readonly target = 'C++';
  private readonly arrays = new Map<string, { dtype: DType; cname: string }>();
  /** Loop versioning (the native target turns it on; the prelude must have the `Iv` helpers). */
  versioning = false;
  /** Iterations run together by unroll-and-jam in a fast copy (1: off). */
  jam = 4;
  /** Loop interchange of FFT-stage nests in a fast copy (interchange.ts). */
  interchange = true;
  /** Fission of a running arg-max from its loop in a fast copy (fission.ts). */
  fission = true;
  /** The plan of the fast copy being emitted (unchecked access), if any (set by fastCopy.ts). */
  fast?: NestPlan;
  /** In a fast copy: the int64 name of a loop's run-time step (read and checked by the guard). */
  fastSteps = new Map<ForStmt, string>();
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
    this.frames.push(top);
  }

  private ty(name: string): Ty {
    const t = this.lookup(name);
    if (t) return t;
    throw new Error(`native emitter: '${name}' is not in scope`);
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

  /** Whether `name` is one of the kernel's constant tables (not a parameter's memory). */
  isConst(name: string): boolean {
    return this.kernel.consts.some((c) => c.name === name);
  }

  /** Whether a double stored to the array reads back unchanged (a double view, never a Float32Array instance). */
  exactStore(name: string): boolean {
    return (
      this.arrays.get(name)?.dtype === 'f64' &&
      !this.isConst(name) &&
      !genericParams(this.kernel).includes(name)
    );
  }

  arr(name: string): { dtype: DType; cname: string } {
    const a = this.arrays.get(name);
    if (!a) throw new Error(`native emitter: '${name}' is not an array`);
    return a;
  }

  /** An element or row index: exact int64 when it is one, else a double (the prelude checks it). */
  private idx(e: Expr): string {
    // In a fast copy, an index read from an integer array (a gather's `reverseTable[i]`) is exact as
    // int64: the checked load of the gathered array then takes the integer overload.
    if (this.fast && e.kind === 'load' && !e.col && !this.fast.gathers.has(e.index)) {
      const dt = this.arr(e.array).dtype;
      if (dt !== 'f64' && dt !== 'f32')
        return `static_cast<int64_t>(${this.ptr(e.array)}[${this.index(e.index)}])`;
    }
    const c = this.expr(e);
    return c.ty === 'i64' ? c.text : asDouble(c);
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
        if (e.row)
          return { text: `hotloop::len2(${this.arr(e.array).cname}, ${this.idx(e.row)})`, ty: 'f64' };
        if (this.fast) return { text: `static_cast<double>(${this.lenOf(e.array)})`, ty: 'f64' };
        return { text: `hotloop::len(${this.arr(e.array).cname})`, ty: 'f64' };
      case 'load': {
        // A row of a rank-2 array: bounds-checked; a missing row unwinds with JS's TypeError (prelude).
        if (e.col)
          return {
            text: `hotloop::load2(${this.arr(e.array).cname}, ${this.idx(e.index)}, ${this.idx(e.col)})`,
            ty: 'f64',
          };
        if (this.fast && !this.fast.gathers.has(e.index)) {
          // Widened unless a double: a number[] parameter's compute is also instantiated for a
          // Float32Array in place (HL_T = float), where `p[i] + p[j]` would otherwise add in float
          // (dsp.js's MIX rounded every sum to float precision), as an int32 sum would overflow.
          const v = `${this.ptr(e.array)}[${this.index(e.index)}]`;
          const double = this.arr(e.array).dtype === 'f64' && !genericParams(this.kernel).includes(e.array);
          return { text: double ? v : `static_cast<double>(${v})`, ty: 'f64' };
        }
        return { text: `hotloop::load(${this.arr(e.array).cname}, ${this.idx(e.index)})`, ty: 'f64' };
      }
      case 'call':
        return cppCall(
          e.fn,
          e.args.map((x) => this.num(x)),
        );
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
          case 'notNull':
            // The entry reads numbers only (an inferred array's elements are checked): never null.
            return { text: 'true', ty: 'bool' };
        }
        throw new Error('native emitter: unknown unary operator');
      }
      case 'bin':
        return cppBin(e.op, this.expr(e.left), this.expr(e.right));
    }
  }

  protected condition(e: Expr): string {
    return this.cond(e);
  }
  protected nested(out: Lines, stmts: readonly Stmt[]): void {
    this.stmts(out, stmts);
  }

  /** Statements in a scope of their own. */
  stmts(out: Lines, list: readonly Stmt[]): void {
    this.withScope(new Map(), () => {
      this.topLevel(out, list);
    });
  }

  /** Statements declared into the current (top) scope, so the result expression sees the body's lets. */
  topLevel(out: Lines, list: readonly Stmt[]): void {
    for (const st of list) this.stmt(out, st);
  }

  protected override letStmt(out: Lines, st: LetStmt): void {
    out.line(`double ${cppName(st.name)} = ${this.num(st.init)};`);
    // In a fast copy an index let is substituted where it indexes: it may have no other use.
    if (this.fast?.names.get(st.name)?.kind === 'let') out.line(`static_cast<void>(${cppName(st.name)});`);
    this.declare(st.name, 'f64');
  }

  protected override assignStmt(out: Lines, st: AssignStmt): void {
    const t = this.ty(st.name);
    if (t === 'i64') throw new Error(`native emitter: assignment to loop index '${st.name}'`);
    out.line(`${cppName(st.name)} = ${this.num(st.value)};`);
  }

  protected override storeStmt(out: Lines, st: StoreStmt): void {
    const a = this.arr(st.array);
    if (this.fast && !this.fast.gathers.has(st.index)) {
      const p = this.ptr(st.array);
      const v =
        a.dtype === 'u8c'
          ? `hotloop::toUint8Clamp(${this.num(st.value)})`
          : `hotloop::conv(${p}, ${this.num(st.value)})`;
      out.line(`${p}[${this.index(st.index)}] = ${v};`);
      return;
    }
    const fn = a.dtype === 'u8c' ? 'hotloop::storeClamped' : 'hotloop::store';
    const at = st.col ? `${this.idx(st.index)}, ${this.idx(st.col)}` : this.idx(st.index);
    out.line(`${fn}${st.col ? '2' : ''}(${a.cname}, ${at}, ${this.num(st.value)});`);
  }

  /** A loop: the fast copy's unchecked form, a versioned nest, or the checked loop. */
  protected override forStmt(out: Lines, st: ForStmt): void {
    if (this.fast) {
      emitFastFor(this, out, st);
      return;
    }
    const plan = this.versioning && !this.checkedOnly ? planNest(st, (n) => this.lookup(n)) : undefined;
    if (plan) emitVersioned(this, out, plan);
    else this.checkedFor(out, st);
  }

  protected override returnStmt(out: Lines, st: ReturnStmt): void {
    if (!st.value) {
      out.line('return;');
      return;
    }
    const v = this.expr(st.value);
    if (v.ty === 'bool')
      throw new Error('an early return of a comparison result (true/false) is not lowered to C++');
    out.line(`return ${asDouble(v)};`);
  }

  protected override throwStmt(out: Lines, st: ThrowStmt): void {
    // The glue writes copied arrays back, then throws this error class and message in JS.
    this.throws.push({ error: st.error, message: st.message });
    out.line(
      `hl_thrown = ${this.throws.length}; // ${st.error}: ${JSON.stringify(st.message).replace(/\*\//g, '* /')}`,
    );
    out.line(this.kernel.result.kind === 'scalar' ? 'return {};' : 'return;');
  }

  /**
   * A run-time step, evaluated once; the wrapper checked it is a non-zero integer of the loop's
   * direction (a direct call with another value skips the loop instead of spinning).
   */
  protected override openStep(out: Lines, st: ForStmt): string {
    const s = `${cppName(st.index)}_step`;
    out.line(`const double ${s} = ${this.num(st.stepExpr!)};`);
    const dir = st.step > 0 ? '>' : '<';
    out.line(`if (${s} == std::trunc(${s}) && ${s} ${dir} 0 && std::fabs(${s}) < 9.0e15) {`).indent();
    return s;
  }

  /** A loop body: a scope of its own, like every block. */
  protected override body(out: Lines, stmts: readonly Stmt[]): void {
    this.stmts(out, stmts);
  }

  /** The loop exactly as JS runs it (end re-evaluated every iteration; `>` for a descending loop). */
  protected checkedFor(out: Lines, st: ForStmt): void {
    if (st.stepExpr && !paramStep(this.kernel, st)) {
      this.localStepFor(out, st);
      return;
    }
    this.emitLoop(out, st, (runtimeStep) => {
      const start = this.expr(st.start);
      const i = cppName(st.index);
      const intLoop = start.ty === 'i64' && Number.isInteger(st.step);
      const step =
        runtimeStep === undefined
          ? intLoop
            ? String(st.step)
            : cppDouble(st.step)
          : intLoop
            ? `static_cast<int64_t>(${runtimeStep})`
            : runtimeStep;
      this.declare(st.index, intLoop ? 'i64' : 'f64');
      const end = this.expr(st.end);
      const lt = st.step > 0 ? '<' : '>';
      const cond =
        intLoop && end.ty === 'i64'
          ? `${i} ${lt} ${end.text}`
          : `${intLoop ? `static_cast<double>(${i})` : i} ${lt} ${asDouble(end)}`;
      const decl = intLoop ? `int64_t ${i} = ${start.text}` : `double ${i} = ${asDouble(start)}`;
      return `for (${decl}; ${cond}; ${i} += ${step})`;
    });
  }

  /**
   * A loop whose run-time step reads locals of the kernel (fili's `i += k2`, k2 doubling in the loop
   * around it): no wrapper can check it before the call, so the kernel tests it here. A whole start and
   * a whole step of the loop's direction (below 2^52) run with an int64 index — exact, since JS's
   * doubles hold those sums exactly, and its loads then take the integer overload — anything else
   * (a fractional or zero step, NaN) runs in doubles, as JS runs it.
   */
  private localStepFor(out: Lines, st: ForStmt): void {
    const i = cppName(st.index);
    const step = `${i}_step`;
    const start = `${i}_start`;
    out.line(`const double ${step} = ${this.num(st.stepExpr!)};`);
    out.line(`const double ${start} = ${this.num(st.start)};`);
    const lt = st.step > 0 ? '<' : '>';
    const whole = (x: string): string => `${x} == std::trunc(${x}) && std::fabs(${x}) < 4.5e15`;
    out.line(`if (${whole(start)} && ${whole(step)} && ${step} ${st.step > 0 ? '>' : '<'} 0) {`).indent();
    const copy = (ty: 'i64' | 'f64'): void => {
      this.withScope(new Map(), () => {
        this.declare(st.index, ty);
        const end = asDouble(this.expr(st.end));
        out.line(
          ty === 'i64'
            ? `for (int64_t ${i} = static_cast<int64_t>(${start}); static_cast<double>(${i}) ${lt} ${end}; ${i} += static_cast<int64_t>(${step})) {`
            : `for (double ${i} = ${start}; ${i} ${lt} ${end}; ${i} += ${step}) {`,
        );
        out.indent();
        this.body(out, st.body);
        out.dedent().line('}');
      });
    };
    copy('i64');
    out.dedent().line('} else {').indent();
    copy('f64');
    out.dedent().line('}');
  }

  /** The result expression (after the body, in the body's scope), as a double or bool. */
  result(): Code | undefined {
    return this.kernel.result.kind === 'scalar' ? this.expr(this.kernel.result.expr) : undefined;
  }
}
