// IR → WGSL for the GPU target: one compute shader per top-level parallel loop. Each invocation
// runs the loop body for a grid-stride range of indices; the loop's reductions are combined as a
// tree in workgroup memory and written as one partial per workgroup (the host combines the
// partials in f64, in order). Values are f32 (WGSL core has no f64) or i32 (indices and integer
// sizes) or bool; the precision loss is stated in the scaffold and checked against the f32
// tolerance. Kernels f32 cannot reproduce (integer arrays, bit operations, Math.imul/fround,
// non-integer powers) are declined with the reason.
import type { Expr, Kernel, MathFn, Reduction, Stmt } from '../../ir/types.js';
import { readsVar } from '../../ir/walk.js';
import { numLitValue } from '../../ir/numLit.js';
import { f32Literal } from './wgslHelpers.js';
import { Lines, StmtEmitter } from '../../ir/stmtEmitter.js';
import type { AssignStmt, ForStmt, LetStmt, StoreStmt } from '../../ir/stmtEmitter.js';
import { WORKGROUP_SIZE, shaderModule } from './wgslModule.js';
import type { LoopShader, PieceEmitter, ShaderParts, Shape } from './wgslModule.js';
import { tiledModule, tiledTexts } from './wgslTiled.js';
import { rowModule, rowTexts } from './wgslRows.js';

export { WORKGROUP_SIZE };
export type { LoopShader, Shape };

type Ty = 'f32' | 'i32' | 'bool';
interface Code {
  readonly text: string;
  readonly ty: Ty;
}

/** A reason the GPU target cannot take a kernel, thrown while emitting. */
export class Declined extends Error {}

/** Emits the shader of one parallel loop. `ints` are the names known to hold integers. */
export class WgslLoopEmitter extends StmtEmitter<Ty> implements PieceEmitter {
  protected override readonly target = 'WGSL';
  private readonly arrays = new Map<string, boolean>();
  private readonly floats = new Set<string>();
  private readonly intScalars = new Set<string>();
  private readonly reductionNames: Set<string>;
  /** The reductions the statements update: the loop's, or in a row reduction the inner loop's. */
  private readonly reductions: readonly Reduction[];

  constructor(
    private readonly kernel: Kernel,
    private readonly loop: ForStmt,
    /** Scalars visible at the loop (params and host lets) that hold integers. */
    private readonly integerScalars: ReadonlySet<string>,
    private readonly shape: Shape = { kind: 'index' },
  ) {
    super();
    this.reductions = shape.kind === 'row' ? [shape.row.acc] : (loop.parallel?.reductions ?? []);
    this.reductionNames = new Set(this.reductions.map((r) => r.name));
  }

  private ty(name: string): Ty {
    const t = this.lookup(name);
    if (t) return t;
    // A scalar from outside the loop: a param or a host-side local, passed as a uniform.
    if (this.kernel.params.some((p) => p.kind === 'array' && p.name === name))
      throw new Declined(`'${name}' used as a scalar`);
    if (this.integerScalars.has(name)) {
      this.intScalars.add(name);
      return 'i32';
    }
    this.floats.add(name);
    return 'f32';
  }

  private varText(name: string): string {
    if (this.inScope(name)) return `v_${name}`;
    return this.integerScalars.has(name) ? `P.i_${name}` : `P.f_${name}`;
  }

  private array(name: string, write: boolean): string {
    const p = this.kernel.params.find((q) => q.name === name);
    const c = this.kernel.consts.find((q) => q.name === name);
    if (!p && !c) throw new Declined(`unknown array '${name}'`);
    if (p?.kind === 'array' && p.container === 'typed' && p.dtype !== 'f64' && p.dtype !== 'f32') {
      throw new Declined(
        `${p.dtype} array '${name}': integer results must be exact and f32 cannot promise that`,
      );
    }
    if (c && write) throw new Declined(`store to the constant table '${name}'`);
    this.arrays.set(name, (this.arrays.get(name) ?? false) || write);
    return `a_${name}`;
  }

  f(e: Expr): string {
    const c = this.expr(e);
    return c.ty === 'f32' ? c.text : `f32(${c.text})`;
  }

  private idx(e: Expr): string {
    const c = this.expr(e);
    if (c.ty === 'i32') return c.text;
    // A float index: JS reads undefined unless it is an integer; -1 makes the access out of bounds.
    return `idx_f(${this.f(e)})`;
  }

  cond(e: Expr): string {
    const c = this.expr(e);
    if (c.ty === 'bool') return c.text;
    if (c.ty === 'i32') return `(${c.text} != 0)`;
    return `truthy(${c.text})`;
  }

  expr(e: Expr): Code {
    switch (e.kind) {
      case 'const': {
        const v = numLitValue(e.value);
        if (Number.isInteger(v) && Math.abs(v) < 2 ** 24 && !Object.is(v, -0))
          return { text: `${v}`, ty: 'i32' };
        return { text: f32Literal(v), ty: 'f32' };
      }
      case 'var': {
        if (this.reductionNames.has(e.name) && !this.inScope(e.name))
          throw new Declined(`reads the accumulator '${e.name}' inside the loop`);
        return { text: this.varText(e.name), ty: this.ty(e.name) };
      }
      case 'len':
        return { text: `P.len_${this.array(e.array, false).slice(2)}`, ty: 'i32' };
      case 'load': {
        const a = this.array(e.array, false);
        return { text: `ld_${a.slice(2)}(${this.idx(e.index)})`, ty: 'f32' };
      }
      case 'call':
        return this.call(e.fn, e.args);
      case 'select': {
        const t = this.expr(e.then);
        const f = this.expr(e.else);
        if (t.ty === f.ty) return { text: `select(${f.text}, ${t.text}, ${this.cond(e.cond)})`, ty: t.ty };
        return { text: `select(${this.f(e.else)}, ${this.f(e.then)}, ${this.cond(e.cond)})`, ty: 'f32' };
      }
      case 'un': {
        switch (e.op) {
          case '-': {
            const a = this.expr(e.arg);
            return a.ty === 'i32'
              ? { text: `(-${a.text})`, ty: 'i32' }
              : { text: `(-${this.f(e.arg)})`, ty: 'f32' };
          }
          case '+':
            return { text: this.f(e.arg), ty: 'f32' };
          case '!':
            return { text: `(!${this.cond(e.arg)})`, ty: 'bool' };
          case '~':
            throw new Declined('bit operations (~) need exact integers');
          case 'notNull':
            // The guard let only numbers in (an inferred array's elements are checked): never null.
            return { text: 'true', ty: 'bool' };
        }
        throw new Declined('unknown unary operator');
      }
      case 'bin':
        return this.bin(e.op, e.left, e.right);
    }
  }

  private call(fn: MathFn, args: readonly Expr[]): Code {
    const a = args.map((x) => this.f(x));
    const one = (name: string): Code => ({ text: `${name}(${a[0] ?? '0.0'})`, ty: 'f32' });
    switch (fn) {
      case 'abs':
      case 'sqrt':
      case 'exp':
      case 'log':
      case 'log2':
      case 'sin':
      case 'cos':
      case 'tan':
      case 'asin':
      case 'acos':
      case 'sinh':
      case 'cosh':
      case 'floor':
      case 'ceil':
      case 'trunc':
      case 'sign':
        return one(fn);
      case 'round':
        return one('js_round');
      case 'tanh':
        return one('js_tanh');
      case 'atan':
        return one('js_atan');
      case 'cbrt':
        return one('js_cbrt');
      case 'expm1':
        return one('js_expm1');
      case 'log1p':
        return one('js_log1p');
      case 'log10':
        return { text: `(log2(${a[0] ?? '0.0'}) * 0.30102999566398120)`, ty: 'f32' };
      case 'atan2':
        return { text: `js_atan2(${a[0] ?? '0.0'}, ${a[1] ?? '0.0'})`, ty: 'f32' };
      case 'pow':
        return this.pow(args[0], args[1]);
      case 'hypot':
        if (a.length === 2) return { text: `js_hypot(${a[0]!}, ${a[1]!})`, ty: 'f32' };
        if (a.length === 1) return { text: `abs(${a[0]!})`, ty: 'f32' };
        throw new Declined('Math.hypot with other than 1 or 2 arguments');
      case 'min':
      case 'max': {
        if (a.length === 0) throw new Declined(`Math.${fn}() without arguments`);
        return { text: a.slice(1).reduce((acc, x) => `js_${fn}(${acc}, ${x})`, a[0]!), ty: 'f32' };
      }
      case 'fround':
        return { text: a[0] ?? '0.0', ty: 'f32' };
      case 'imul':
        throw new Declined('Math.imul needs exact 32-bit integers');
    }
  }

  /** x ** k for a small integer constant k as multiplications (WGSL pow is undefined for x < 0). */
  private pow(base: Expr | undefined, exp: Expr | undefined): Code {
    if (!base || !exp || exp.kind !== 'const') throw new Declined('a power with a non-constant exponent');
    const k = numLitValue(exp.value);
    if (!Number.isInteger(k) || k < 0 || k > 8) {
      if (k === 0.5) return { text: `sqrt(${this.f(base)})`, ty: 'f32' };
      throw new Declined(`x ** ${k}: only small integer powers are exact enough in f32`);
    }
    if (k === 0) return { text: '1.0', ty: 'f32' };
    const b = this.f(base);
    return { text: `pow_i(${b}, ${k})`, ty: 'f32' };
  }

  private bin(op: string, le: Expr, re: Expr): Code {
    const l = this.expr(le);
    const r = this.expr(re);
    const ints = l.ty === 'i32' && r.ty === 'i32';
    switch (op) {
      case '+':
      case '-':
      case '*':
        return ints
          ? { text: `(${l.text} ${op} ${r.text})`, ty: 'i32' }
          : { text: `(${this.f(le)} ${op} ${this.f(re)})`, ty: 'f32' };
      case '/':
        return { text: `(${this.f(le)} / ${this.f(re)})`, ty: 'f32' };
      case '%':
        return { text: `(${this.f(le)} % ${this.f(re)})`, ty: 'f32' };
      case '**':
        return this.pow(le, re);
      case '<':
      case '<=':
      case '>':
      case '>=':
        return ints
          ? { text: `(${l.text} ${op} ${r.text})`, ty: 'bool' }
          : { text: `(${this.f(le)} ${op} ${this.f(re)})`, ty: 'bool' };
      case '===':
      case '!==': {
        if ((l.ty === 'bool') !== (r.ty === 'bool'))
          return { text: op === '===' ? 'false' : 'true', ty: 'bool' };
        const c = op === '===' ? '==' : '!=';
        if (l.ty === 'bool' || ints) return { text: `(${l.text} ${c} ${r.text})`, ty: 'bool' };
        return { text: `(${this.f(le)} ${c} ${this.f(re)})`, ty: 'bool' };
      }
      case '&&':
      case '||':
        if (l.ty === 'bool' && r.ty === 'bool') return { text: `(${l.text} ${op} ${r.text})`, ty: 'bool' };
        throw new Declined(`'${op}' on numbers (yields an operand, not a boolean)`);
      default:
        throw new Declined(`bit operation '${op}' needs exact 32-bit integers`);
    }
  }

  protected condition(e: Expr): string {
    return this.cond(e);
  }
  protected nested(out: Lines, stmts: readonly Stmt[]): void {
    this.stmts(out, stmts);
  }

  private stmts(out: Lines, list: readonly Stmt[]): void {
    this.withScope(new Map(), () => {
      for (const st of list) this.stmt(out, st);
    });
  }

  protected override letStmt(out: Lines, st: LetStmt): void {
    const c = this.expr(st.init);
    // Locals are f32: a JS local holds any number, so an integer start does not make it an int.
    out.line(`var v_${st.name}: f32 = ${c.ty === 'f32' ? c.text : `f32(${c.text})`};`);
    this.declare(st.name, 'f32');
  }

  protected override assignStmt(out: Lines, st: AssignStmt): void {
    const red = this.reductions.find((r) => r.name === st.name);
    if (red && !this.inScope(st.name)) {
      out.line(`r_${st.name} = ${this.reductionStep(red, st.value)};`);
      return;
    }
    if (!this.inScope(st.name))
      throw new Declined(`assigns '${st.name}', declared outside the loop, without a recognised reduction`);
    if (this.ty(st.name) !== 'f32') throw new Declined(`assigns the loop index '${st.name}'`);
    out.line(`v_${st.name} = ${this.f(st.value)};`);
  }

  protected override storeStmt(out: Lines, st: StoreStmt): void {
    const a = this.array(st.array, true);
    out.line(`st_${a.slice(2)}(${this.idx(st.index)}, ${this.f(st.value)});`);
  }

  /**
   * An inner loop, in a block of its own: the index is declared before the loop so that the
   * condition can be checked again after it. A loop that ends while its condition holds was cut
   * short by the driver's loop limiter (there is no break here): the shader raises the flag.
   */
  protected override forStmt(out: Lines, st: ForStmt): void {
    if (st.stepExpr) this.notLowered(`the run-time step of the loop over '${st.index}'`);
    out.line('{').indent();
    this.withScope(new Map(), () => {
      const start = this.expr(st.start);
      if (start.ty !== 'i32' || !Number.isInteger(st.step))
        throw new Declined('an inner loop that does not start at an integer');
      this.declare(st.index, 'i32');
      const end = this.expr(st.end);
      const i = `v_${st.index}`;
      const cond = end.ty === 'i32' ? `${i} < ${end.text}` : `f32(${i}) < ${this.f(st.end)}`;
      out.line(`var ${i}: i32 = ${start.text};`);
      out.line(`for (; ${cond}; ${i} += ${st.step}) {`).indent();
      this.body(out, st.body);
      out.dedent().line('}');
      out.line(`if (${cond}) { limit_hit(); }`);
    });
    out.dedent().line('}');
  }

  protected override notLowered(what: string): never {
    throw new Declined(`${what} is not lowered to WGSL`);
  }

  /** A loop body: in a scope of its own, like every block. */
  protected override body(out: Lines, stmts: readonly Stmt[]): void {
    this.stmts(out, stmts);
  }

  /** The accumulator update: `acc = acc + term` becomes `r_acc + term` etc.; anything else is declined. */
  private reductionStep(r: Reduction, value: Expr): string {
    const isAcc = (e: Expr): boolean => e.kind === 'var' && e.name === r.name;
    const acc = `r_${r.name}`;
    return this.withScope(new Map([[r.name, 'f32']]), () => {
      if (value.kind === 'bin' && (value.op === '+' || value.op === '*')) {
        const want = r.op === 'sum' ? '+' : r.op === 'prod' ? '*' : '';
        if (value.op === want && isAcc(value.left) && !readsVar(value.right, r.name))
          return `${acc} ${want} ${this.f(value.right)}`;
        if (value.op === want && isAcc(value.right) && !readsVar(value.left, r.name))
          return `${this.f(value.left)} ${want} ${acc}`;
      }
      if (value.kind === 'call' && value.fn === r.op && value.args.length === 2) {
        const [x, y] = value.args as [Expr, Expr];
        if (isAcc(x) && !readsVar(y, r.name)) return `js_${r.op}(${acc}, ${this.f(y)})`;
        if (isAcc(y) && !readsVar(x, r.name)) return `js_${r.op}(${this.f(x)}, ${acc})`;
      }
      throw new Declined(`the update of '${r.name}' is not a plain ${r.op} reduction`);
    });
  }

  exprIn(indices: readonly string[], e: Expr): string {
    return this.withScope(new Map(indices.map((n) => [n, 'i32'])), () => this.f(e));
  }

  stmtsIn(indices: readonly string[], locals: readonly string[], list: readonly Stmt[]): string {
    const out = new Lines();
    const names = new Map<string, Ty>([
      ...indices.map((n) => [n, 'i32'] as const),
      ...locals.map((n) => [n, 'f32'] as const),
    ]);
    this.withScope(names, () => {
      this.stmts(out, list);
    });
    return out.text();
  }

  /** The whole shader. */
  emit(): LoopShader {
    const { shape, loop } = this;
    let body = '';
    const inner = shape.kind === 'pair' ? shape.inner : undefined;
    let make: (parts: ShaderParts) => string = shaderModule;
    if (shape.kind === 'tile') {
      const texts = tiledTexts(this, shape.gemm);
      make = (parts) => tiledModule(texts, parts);
    } else if (shape.kind === 'row') {
      const texts = rowTexts(this, shape.row);
      make = (parts) => rowModule(texts, parts);
    } else {
      const text = this.stmtsIn(inner ? [loop.index, inner.index] : [loop.index], [], (inner ?? loop).body);
      body = text.replace(/^(?=.)/gm, '    '); // inside main and the grid-stride loop
    }
    const reductions = shape.kind === 'row' ? [] : this.reductions;
    const arrays = [...this.arrays].map(([name, write]) => ({ name, write }));
    const floats = [...this.floats].filter((n) => !this.reductionNames.has(n));
    const ints = [...this.intScalars];
    const wgsl = make({
      index: loop.index,
      ...(inner ? { index2: inner.index } : {}),
      body,
      arrays,
      floats,
      ints,
      reductions,
    });
    return { wgsl, arrays, floats, ints, reductions, layout: shape.kind };
  }
}
