// IR → AssemblyScript. Values are f64 (JS numbers) or bool (comparisons); loop indices with an
// integer start are i32 and index arithmetic on them is exact i64, so `a[i + 1]` costs no
// float conversions. Arrays arrive as (pointer, length) pairs in wasm memory, in their own dtype.
import type { DType, Expr, Kernel, MathFn, Stmt } from '../../ir/types.js';
import { numLitValue } from '../../ir/numLit.js';
import { constArrays } from '../../ir/interpret.js';
import { Lines, StmtEmitter } from '../../ir/stmtEmitter.js';
import type { AssignStmt, ForStmt, LetStmt, ReturnStmt, StoreStmt } from '../../ir/stmtEmitter.js';
import { stmtUses } from '../../ir/walk.js';
import {
  asName,
  bool,
  f64Literal,
  GET,
  integerParams,
  num,
  paren,
  readContexts,
  SET,
  strip,
} from './asSyntax.js';
import type { AsCode, Ty, VarKind } from './asSyntax.js';

export { asName, f64Literal, GET, integerParams, SET, strip } from './asSyntax.js';
export type { AsCode, VarKind } from './asSyntax.js';
import { assertLowerable, touchesRows } from '../common/support.js';
import { JS_MATH_1, JS_MATH_2 } from './prelude.js';
import { trySimdLoop } from './simd.js';

/** Emits expressions and statements of one kernel. */
export class AsEmitter extends StmtEmitter<VarKind> {
  protected override readonly target = 'AssemblyScript';
  /** array name → element dtype (params and const tables). */
  readonly arrays = new Map<string, DType>();
  /** array name → AS names of its pointer and length (of an array of rows: rows' offsets and row count). */
  readonly arrayNames = new Map<string, { ptr: string; len: string; off?: string }>();
  readonly notes: string[] = [];
  /** Set when a SIMD loop reassociates a sum. */
  reassociates = false;

  /** Locals read only as indices and never reassigned: kept as exact i64 integers when their initialiser is one. */
  private readonly indexOnly: Set<string>;

  constructor(
    readonly kernel: Kernel,
    readonly prefix: string,
  ) {
    super();
    const assigned = stmtUses(kernel.body).assigns;
    const ctxs = readContexts(kernel);
    this.indexOnly = new Set([...ctxs.index].filter((n) => !ctxs.value.has(n) && !assigned.has(n)));
    const ints = integerParams(kernel);
    const top = new Map<string, VarKind>();
    for (const p of kernel.params) {
      if (p.kind === 'array') {
        this.arrays.set(p.name, p.container === 'array' ? 'f64' : p.dtype);
        const off = p.rank === 2 ? { off: `${p.name}_off` } : {};
        this.arrayNames.set(p.name, { ptr: `${p.name}_ptr`, len: `${p.name}_len`, ...off });
      } else {
        top.set(p.name, ints.has(p.name) ? 'intParam' : 'f64');
      }
    }
    for (const c of kernel.consts) {
      this.arrays.set(c.name, 'f64');
      this.arrayNames.set(c.name, { ptr: `${prefix}${c.name}_ptr`, len: `${prefix}${c.name}_len` });
    }
    this.frames.push(top);
  }

  kindOf(name: string): VarKind {
    const k = this.lookup(name);
    if (k) return k;
    throw new Error(`wasm emitter: '${name}' is not in scope`);
  }
  /** Opens / closes a scope (the SIMD loop's, around what it emits itself). */
  push(): void {
    this.frames.push(new Map());
  }
  pop(): void {
    this.frames.pop();
  }

  /** The expression as exact i64 integer arithmetic, or undefined when it is not integer-typed. */
  int(e: Expr): string | undefined {
    switch (e.kind) {
      case 'const': {
        const v = numLitValue(e.value);
        return Number.isSafeInteger(v) && !Object.is(v, -0) ? (v < 0 ? `(${v})` : String(v)) : undefined;
      }
      case 'var': {
        const k = this.kindOf(e.name);
        return k === 'f64' ? undefined : `<i64>${asName(e.name)}`;
      }
      case 'len':
        if (e.row) return `<i64>${this.rowLen(e.array, e.row)}`;
        return `<i64>${this.arrayNames.get(e.array)!.len}`;
      case 'bin': {
        if (e.op !== '+' && e.op !== '-' && e.op !== '*') return undefined;
        const l = this.int(e.left);
        const r = this.int(e.right);
        return l !== undefined && r !== undefined ? `(${l} ${e.op} ${r})` : undefined;
      }
      default:
        return undefined;
    }
  }

  /** The checked element index of `index` in `array` (-1 when JS would miss). */
  index(array: string, index: Expr): string {
    const len = this.arrayNames.get(array)!.len;
    const i = this.int(index);
    if (i !== undefined) return `at(${strip(i)}, ${len})`;
    return `atF(${this.num(index)}, ${len})`;
  }

  /** The element index of [row][col] in an array of rows' elements (-1 outside the row; a missing row traps). */
  private cell(array: string, row: Expr, col: Expr, kind: 1 | 2): string {
    const off = this.arrayNames.get(array)!.off!;
    const c = this.int(col);
    const r = this.index(array, row);
    return c !== undefined
      ? `cellI(${off}, ${r}, ${strip(c)}, ${kind})`
      : `cellF(${off}, ${r}, ${this.num(col)}, ${kind})`;
  }
  private rowLen(array: string, row: Expr): string {
    return `rowLen(${this.arrayNames.get(array)!.off!}, ${this.index(array, row)})`;
  }

  num(e: Expr): string {
    return num(this.expr(e));
  }
  bool(e: Expr): string {
    return bool(this.expr(e));
  }

  expr(e: Expr): AsCode {
    switch (e.kind) {
      case 'const':
        return { text: f64Literal(numLitValue(e.value)), ty: 'f64' };
      case 'var': {
        const k = this.kindOf(e.name);
        return { text: k === 'f64' ? asName(e.name) : `<f64>${asName(e.name)}`, ty: 'f64' };
      }
      case 'len':
        if (e.row) return { text: `<f64>${this.rowLen(e.array, e.row)}`, ty: 'f64' };
        return { text: `<f64>${this.arrayNames.get(e.array)!.len}`, ty: 'f64' };
      case 'load': {
        const names = this.arrayNames.get(e.array)!;
        const at = e.col ? this.cell(e.array, e.index, e.col, 1) : this.index(e.array, e.index);
        return { text: `${GET[this.arrays.get(e.array)!]}(${names.ptr}, ${at})`, ty: 'f64' };
      }
      case 'un': {
        const a = this.expr(e.arg);
        switch (e.op) {
          case '-':
            return { text: `-(${num(a)})`, ty: 'f64' };
          case '+':
            return { text: num(a), ty: 'f64' };
          case '!':
            return { text: `!${paren(bool(a))}`, ty: 'bool' };
          case '~':
            return { text: `<f64>~toInt32(${num(a)})`, ty: 'f64' };
          case 'notNull':
            // The guard let only numbers in (an inferred array's elements are checked): never null.
            return { text: 'true', ty: 'bool' };
        }
        break;
      }
      case 'call':
        return {
          text: this.call(
            e.fn,
            e.args.map((a) => this.num(a)),
          ),
          ty: 'f64',
        };
      case 'select': {
        const t = this.expr(e.then);
        const f = this.expr(e.else);
        const ty: Ty = t.ty === f.ty ? t.ty : 'f64';
        const tt = ty === 'f64' ? num(t) : t.text;
        const ff = ty === 'f64' ? num(f) : f.text;
        return { text: `(${this.bool(e.cond)} ? ${tt} : ${ff})`, ty };
      }
      case 'bin':
        return this.bin(e.op, this.expr(e.left), this.expr(e.right));
    }
    throw new Error('wasm emitter: unknown expression');
  }

  private bin(op: string, l: AsCode, r: AsCode): AsCode {
    switch (op) {
      case '+':
      case '-':
      case '*':
      case '/':
      case '%':
        return { text: `(${num(l)} ${op} ${num(r)})`, ty: 'f64' };
      case '**':
        return { text: `js_pow(${num(l)}, ${num(r)})`, ty: 'f64' };
      case '<':
      case '<=':
      case '>':
      case '>=':
        return { text: `(${num(l)} ${op} ${num(r)})`, ty: 'bool' };
      case '===':
      case '!==': {
        const eq = op === '===' ? '==' : '!=';
        if (l.ty !== r.ty) return { text: op === '===' ? 'false' : 'true', ty: 'bool' };
        return { text: `(${l.text} ${eq} ${r.text})`, ty: 'bool' };
      }
      case '&&':
      case '||':
        if (l.ty === 'bool' && r.ty === 'bool') return { text: `(${l.text} ${op} ${r.text})`, ty: 'bool' };
        return { text: `${op === '&&' ? 'jsAnd' : 'jsOr'}(${num(l)}, ${num(r)})`, ty: 'f64' };
      case '&':
      case '|':
      case '^':
      case '<<':
      case '>>':
        return { text: `<f64>(toInt32(${num(l)}) ${op} toInt32(${num(r)}))`, ty: 'f64' };
      case '>>>':
        return { text: `<f64><u32>(toInt32(${num(l)}) >>> toInt32(${num(r)}))`, ty: 'f64' };
    }
    throw new Error(`wasm emitter: unknown operator ${op}`);
  }

  private call(fn: MathFn, args: string[]): string {
    const [a = 'NaN', b = 'NaN'] = args;
    switch (fn) {
      case 'abs':
      case 'sqrt':
      case 'floor':
      case 'ceil':
      case 'trunc':
        return `${fn}<f64>(${a})`;
      case 'min':
      case 'max':
        if (args.length === 0) return fn === 'min' ? 'Infinity' : '-Infinity';
        return args.slice(1).reduce((acc, x) => `${fn}<f64>(${acc}, ${x})`, args[0]!);
      case 'fround':
        return `<f64><f32>(${a})`;
      case 'sign':
        return `jsSign(${a})`;
      case 'imul':
        return `<f64>(toInt32(${a}) * toInt32(${b}))`;
      case 'hypot':
        return `js_hypot${Math.max(1, args.length)}(${args.length ? args.join(', ') : 'NaN'})`;
      default:
        if ((JS_MATH_1 as readonly string[]).includes(fn)) return `js_${fn}(${a})`;
        if ((JS_MATH_2 as readonly string[]).includes(fn)) return `js_${fn}(${a}, ${b})`;
        throw new Error(`wasm emitter: no lowering for Math.${fn}`);
    }
  }

  stmts(out: Lines, stmts: readonly Stmt[]): void {
    for (const st of stmts) this.stmt(out, st);
  }

  protected override letStmt(out: Lines, st: LetStmt): void {
    const int = this.indexOnly.has(st.name) ? this.int(st.init) : undefined;
    if (int !== undefined) {
      out.line(`let ${asName(st.name)}: i64 = ${strip(int)};`);
      this.declare(st.name, 'intLocal');
    } else {
      out.line(`let ${asName(st.name)}: f64 = ${strip(this.num(st.init))};`);
      this.declare(st.name, 'f64');
    }
  }
  protected override assignStmt(out: Lines, st: AssignStmt): void {
    out.line(`${asName(st.name)} = ${strip(this.num(st.value))};`);
  }
  protected override storeStmt(out: Lines, st: StoreStmt): void {
    const names = this.arrayNames.get(st.array)!;
    const at = st.col ? this.cell(st.array, st.index, st.col, 2) : this.index(st.array, st.index);
    out.line(`${SET[this.arrays.get(st.array)!]}(${names.ptr}, ${at}, ${strip(this.num(st.value))});`);
  }
  /** A loop: SIMD when it vectorises (rows are reached through their offsets, one checked access at a time: no SIMD), else scalar. */
  protected override forStmt(out: Lines, st: ForStmt): void {
    if (!touchesRows([st]) && trySimdLoop(this, out, st)) return;
    this.scalarLoop(out, st);
  }
  protected override returnStmt(out: Lines, st: ReturnStmt): void {
    out.line(st.value ? `return ${strip(this.num(st.value))};` : 'return;');
  }

  protected condition(e: Expr): string {
    return strip(this.bool(e));
  }
  protected nested(out: Lines, stmts: readonly Stmt[]): void {
    this.block(out, stmts);
  }

  /** Statements in a scope of their own. */
  block(out: Lines, stmts: readonly Stmt[]): void {
    this.withScope(new Map(), () => {
      this.stmts(out, stmts);
    });
  }

  /**
   * A run-time step, evaluated once; the wrapper checked it is a non-zero integer of the loop's
   * direction (and a direct call with another value skips the loop instead of spinning).
   */
  protected override openStep(out: Lines, st: ForStmt): string {
    const s = `${asName(st.index)}_step`;
    out.line(`const ${s}: f64 = ${strip(this.num(st.stepExpr!))};`);
    const dir = st.step > 0 ? '>' : '<';
    out.line(`if (${s} == Math.trunc(${s}) && ${s} ${dir} 0 && Math.abs(${s}) < 2147483648.0) {`).indent();
    return s;
  }

  /** The loop exactly as JS runs it (end re-evaluated every iteration). */
  scalarLoop(out: Lines, st: ForStmt): void {
    this.emitLoop(out, st, (runtimeStep) => {
      const i = asName(st.index);
      const start = this.int(st.start);
      const intStart = Number.isInteger(st.step) ? start : undefined;
      const intLoop = intStart !== undefined;
      const step =
        runtimeStep === undefined
          ? intLoop
            ? String(st.step)
            : f64Literal(st.step)
          : intLoop
            ? `<i32>${runtimeStep}`
            : runtimeStep;
      this.declare(st.index, intLoop ? 'index' : 'f64');
      const lt = st.step > 0 ? '<' : '>';
      if (intStart !== undefined) {
        const endInt = this.int(st.end);
        const cond =
          endInt !== undefined ? `<i64>${i} ${lt} ${strip(endInt)}` : `<f64>${i} ${lt} ${this.num(st.end)}`;
        const init = /^-?\d+$/.test(strip(intStart)) ? strip(intStart) : `<i32>${paren(strip(intStart))}`;
        return `for (let ${i}: i32 = ${init}; ${cond}; ${i} += ${step})`;
      }
      return `for (let ${i}: f64 = ${strip(this.num(st.start))}; ${i} ${lt} ${this.num(st.end)}; ${i} += ${step})`;
    });
  }
}

/** Const tables as static data: `const <prefix>T_ptr = memory.data<f64>([...])`. */
function constData(k: Kernel, em: AsEmitter, out: Lines): void {
  const tables = constArrays(k);
  k.consts.forEach((c, n) => {
    const names = em.arrayNames.get(c.name)!;
    const vals = Array.from(tables[n]!, (v) => f64Literal(v));
    out.line(`const ${names.ptr}: usize = ${vals.length ? `memory.data<f64>([${vals.join(', ')}])` : '0'};`);
    out.line(`const ${names.len}: i32 = ${vals.length};`);
  });
  if (k.consts.length) out.line();
}

/** The kernel's exported AssemblyScript function (with its const tables), named `exportName`. */
export function kernelToAs(
  k: Kernel,
  exportName: string,
  constPrefix: string,
): { source: string; notes: string[]; reassociates: boolean } {
  assertLowerable(k, 'wasm', { breakContinue: true, return: true, throw: false, steps: true, rank2: true });
  const em = new AsEmitter(k, constPrefix);
  const out = new Lines();
  constData(k, em, out);
  const params = k.params.flatMap((p) => {
    if (p.kind === 'array') {
      const n = em.arrayNames.get(p.name)!;
      return n.off
        ? [`${n.ptr}: usize`, `${n.off}: usize`, `${n.len}: i32`]
        : [`${n.ptr}: usize`, `${n.len}: i32`];
    }
    return [`${asName(p.name)}: f64`];
  });
  const ret = k.result.kind === 'scalar' ? 'f64' : 'void';
  out.line(`export function ${exportName}(${params.join(', ')}): ${ret} {`).indent();
  em.stmts(out, k.body);
  if (k.result.kind === 'scalar') out.line(`return ${strip(em.num(k.result.expr))};`);
  out.dedent().line('}');
  return { source: out.text(), notes: em.notes, reassociates: em.reassociates };
}
