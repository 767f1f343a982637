// IR → readable, typed TypeScript. The JS operators are the IR's operators, so the generated code
// computes exactly what the interpreter computes; the only rewrites are the ones TypeScript needs to
// type-check (a boolean used as a number becomes `Number(b)`, which JS does implicitly anyway).
import type { Expr, Kernel, Param, Stmt } from '../../ir/types.js';
import { stmtUses } from '../../ir/walk.js';
import { numLitSource } from '../../ir/numLit.js';
import { JS_ATOM_PREC, JS_PREC, JS_SELECT_PREC, JS_UNARY_PREC, TYPED_CTOR } from '../../ir/jsSyntax.js';
import { jsAccess, jsForHeader, jsLen } from '../../ir/jsSyntax.js';
import { Lines, StmtEmitter } from '../../ir/stmtEmitter.js';
import type { AssignStmt, ForStmt, LetStmt, ReturnStmt, StoreStmt, ThrowStmt } from '../../ir/stmtEmitter.js';

/** TS/JS precedence: the IR's JS-like printers share the table. */
const PREC = JS_PREC;
const UNARY = JS_UNARY_PREC;
const ATOM = JS_ATOM_PREC;
const SELECT = JS_SELECT_PREC;

type Ty = 'num' | 'bool';
interface Code {
  readonly text: string;
  readonly prec: number;
  readonly ty: Ty;
}

const COMPARE = new Set(['<', '<=', '>', '>=', '===', '!==']);

export { TYPED_CTOR };

function wrap(c: Code, min: number): string {
  return c.prec < min ? `(${c.text})` : c.text;
}

/** The code as a number (a boolean becomes `Number(b)`). */
function asNum(c: Code): Code {
  return c.ty === 'num' ? c : { text: `Number(${c.text})`, prec: ATOM, ty: 'num' };
}

/** The kernel's `truthy` scalar parameters: the source's booleans, which the kernel reads as 1/0. */
export function truthyParams(k: Kernel): ReadonlySet<string> {
  return new Set(k.params.filter((p) => p.kind === 'scalar' && p.truthy).map((p) => p.name));
}

/**
 * The arguments a wrapper passes to the compiled kernel, in order: each parameter's name, a `truthy`
 * one (a boolean of the source, any JS value at run time) as `(name ? 1 : 0)`, exactly its truthiness.
 */
export function kernelArgs(k: Kernel): string {
  return k.params.map((p) => (p.kind === 'scalar' && p.truthy ? `(${p.name} ? 1 : 0)` : p.name)).join(', ');
}

/** The scalar `value` (source) as the kernel's function returns it: `Boolean(value)` for a truthy result. */
export function resultValue(k: Kernel, value: string): string {
  return k.result.kind === 'scalar' && k.result.truthy ? `Boolean(${value})` : value;
}

/**
 * Expression emitter; `rename` maps IR names to the names used in the output; `truthy` names hold the
 * source's booleans (any JS value): read as `(b ? 1 : 0)`, the number the IR says they are.
 */
export class TsExprEmitter {
  constructor(
    private readonly rename: (name: string) => string = (n) => n,
    private readonly truthy: ReadonlySet<string> = new Set(),
  ) {}

  /** The expression as a number-typed TS expression. */
  num(e: Expr): string {
    return asNum(this.expr(e)).text;
  }

  /** The expression in a condition position (numbers are fine there; a truthy name is tested as is). */
  cond(e: Expr): string {
    return this.tested(e).text;
  }

  /** `e` where only its truthiness counts: a truthy name as is (its JS value has the same truthiness). */
  private tested(e: Expr): Code {
    if (e.kind === 'var' && this.truthy.has(e.name))
      return { text: this.rename(e.name), prec: ATOM, ty: 'bool' };
    return this.expr(e);
  }

  expr(e: Expr): Code {
    switch (e.kind) {
      case 'const': {
        const text = numLitSource(e.value);
        return { text, prec: text.startsWith('-') ? UNARY : ATOM, ty: 'num' };
      }
      case 'var':
        if (this.truthy.has(e.name))
          return { text: `(${this.rename(e.name)} ? 1 : 0)`, prec: ATOM, ty: 'num' };
        return { text: this.rename(e.name), prec: ATOM, ty: 'num' };
      case 'len':
        return { text: jsLen(this.rename(e.array), e.row && this.num(e.row)), prec: ATOM, ty: 'num' };
      case 'load': {
        const text = jsAccess(this.rename(e.array), this.num(e.index), e.col && this.num(e.col));
        return { text, prec: ATOM, ty: 'num' };
      }
      case 'call':
        return { text: `Math.${e.fn}(${e.args.map((a) => this.num(a)).join(', ')})`, prec: ATOM, ty: 'num' };
      case 'select': {
        const c = this.tested(e.cond);
        let t = this.expr(e.then);
        let f = this.expr(e.else);
        if (t.ty !== f.ty) {
          t = asNum(t);
          f = asNum(f);
        }
        return {
          text: `${wrap(c, SELECT + 1)} ? ${wrap(t, SELECT)} : ${wrap(f, SELECT)}`,
          prec: SELECT,
          ty: t.ty,
        };
      }
      case 'un': {
        if (e.op === 'notNull') {
          const x = this.expr(e.arg);
          return { text: `${wrap(x, PREC['!=='] + 1)} !== null`, prec: PREC['!=='], ty: 'bool' };
        }
        const a = e.op === '!' ? this.tested(e.arg) : this.expr(e.arg);
        if (e.op === '!') return { text: `!${wrap(a, UNARY)}`, prec: UNARY, ty: 'bool' };
        const n = asNum(a);
        // `- -x` would read as `--x`: parenthesise a unary operand of a unary minus/plus.
        const inner = n.prec <= UNARY ? `(${n.text})` : n.text;
        return { text: `${e.op}${inner}`, prec: UNARY, ty: 'num' };
      }
      case 'bin':
        return this.bin(e.op, this.expr(e.left), this.expr(e.right));
    }
  }

  private bin(op: string, l: Code, r: Code): Code {
    const p = PREC[op as keyof typeof PREC];
    if (op === '===' || op === '!==') {
      // Strict equality of a boolean and a number is constant in JS; say so rather than emit a type error.
      if (l.ty !== r.ty) return { text: op === '===' ? 'false' : 'true', prec: ATOM, ty: 'bool' };
      return { text: `${wrap(l, p)} ${op} ${wrap(r, p + 1)}`, prec: p, ty: 'bool' };
    }
    if (op === '&&' || op === '||') {
      if (l.ty !== r.ty) {
        l = asNum(l);
        r = asNum(r);
      }
      return { text: `${wrap(l, p)} ${op} ${wrap(r, p + 1)}`, prec: p, ty: l.ty };
    }
    const ln = asNum(l);
    const rn = asNum(r);
    // `**` is right-associative and its left operand may not be a unary expression.
    const left = op === '**' ? wrap(ln, UNARY + 1) : wrap(ln, p);
    const right = op === '**' ? wrap(rn, p) : wrap(rn, p + 1);
    return { text: `${left} ${op} ${right}`, prec: p, ty: COMPARE.has(op) ? 'bool' : 'num' };
  }
}

/** TypeScript type of a parameter as the original function takes it. */
export function paramType(p: Param): string {
  if (p.kind === 'scalar') return p.truthy ? 'boolean' : 'number';
  const row = p.container === 'array' ? 'number[]' : TYPED_CTOR[p.dtype];
  return p.rank === 2 ? `${p.container === 'array' ? 'number[]' : row}[]` : row;
}

/** TypeScript return type of the kernel's function. */
export function returnType(k: Kernel): string {
  switch (k.result.kind) {
    case 'void':
      return 'void';
    case 'scalar':
      return k.result.truthy ? 'boolean' : 'number';
    case 'array': {
      const name = k.result.name;
      const p = k.params.find((q) => q.name === name);
      return p ? paramType(p) : 'never';
    }
  }
}

export { Lines };

/** A caller's replacement for a top-level loop (the worker shards it, the GPU host launches it): true when it emitted the loop. */
export type LoopHook = (st: ForStmt, out: Lines) => boolean;

/** Emits IR statements as TS. */
export class TsStmtEmitter extends StmtEmitter {
  protected override readonly target = 'TypeScript';
  readonly ex: TsExprEmitter;
  /**
   * `assigned`: names assigned anywhere (their `let`s stay `let`; the others become `const`).
   * `arrayResult`: the array an early `return` of an array kernel gives back.
   */
  constructor(
    private readonly rename: (name: string) => string = (n) => n,
    private readonly assigned: ReadonlySet<string> = new Set(),
    private readonly arrayResult?: string,
    truthy: ReadonlySet<string> = new Set(),
    private readonly truthyResult = false,
  ) {
    super();
    this.ex = new TsExprEmitter(rename, truthy);
  }

  protected condition(e: Expr): string {
    return this.ex.cond(e);
  }
  protected nested(out: Lines, stmts: readonly Stmt[]): void {
    this.stmts(out, stmts);
  }

  /** The statements; `onLoop` may take over each top-level loop. */
  stmts(out: Lines, stmts: readonly Stmt[], onLoop?: LoopHook): void {
    for (const st of stmts) if (!(st.kind === 'for' && onLoop?.(st, out))) this.stmt(out, st);
  }

  protected override letStmt(out: Lines, st: LetStmt): void {
    const r = this.rename;
    out.line(`${this.assigned.has(st.name) ? 'let' : 'const'} ${r(st.name)} = ${this.ex.num(st.init)};`);
  }
  protected override assignStmt(out: Lines, st: AssignStmt): void {
    out.line(`${this.rename(st.name)} = ${this.ex.num(st.value)};`);
  }
  protected override storeStmt(out: Lines, st: StoreStmt): void {
    const target = jsAccess(this.rename(st.array), this.ex.num(st.index), st.col && this.ex.num(st.col));
    out.line(`${target} = ${this.ex.num(st.value)};`);
  }
  protected override returnStmt(out: Lines, st: ReturnStmt): void {
    if (st.value) {
      const v = this.ex.num(st.value);
      out.line(`return ${this.truthyResult ? `Boolean(${v})` : v};`);
    } else out.line(this.arrayResult ? `return ${this.rename(this.arrayResult)};` : 'return;');
  }
  protected override throwStmt(out: Lines, st: ThrowStmt): void {
    out.line(`throw new ${st.error}(${JSON.stringify(st.message)});`);
  }
  protected override forStmt(out: Lines, st: ForStmt): void {
    this.forLoop(out, st, this.ex.num(st.start), this.ex.num(st.end));
  }
  /** A run-time step is evaluated once, before the loop (as the IR says), in a block of its own. */
  protected override openStep(out: Lines, st: ForStmt): string {
    const name = `${this.rename(st.index)}_step`;
    out
      .line('{')
      .indent()
      .line(`const ${name} = ${this.ex.num(st.stepExpr!)};`);
    return name;
  }

  /** `for (let i = start; i < end; i += step) { body }` with the given start/end source (`>` for a descending loop). */
  forLoop(out: Lines, st: ForStmt, start: string, end: string): void {
    this.emitLoop(out, st, (step) => jsForHeader(this.rename(st.index), st.step, start, end, step));
  }
}

/** Parameter list of the original signature: `xs: Float64Array, n: number`. */
export function signatureParams(k: Kernel): string {
  return k.params.map((p) => `${p.name}: ${paramType(p)}`).join(', ');
}

/** Module-level const tables as TS declarations (the source's `const T = [...]`). */
export function constTables(k: Kernel): string[] {
  return k.consts.map((t) => {
    const vals = t.values.map((v) => numLitSource(v)).join(', ');
    return t.dtype === 'f64'
      ? `const ${t.name}: readonly number[] = [${vals}];`
      : `const ${t.name} = ${TYPED_CTOR[t.dtype]}.from([${vals}]);`;
  });
}

/** The whole kernel as one exported TS function (the `original.ts` of a scaffold). */
export function kernelToTs(k: Kernel, name = k.name): string {
  const out = new Lines();
  for (const c of constTables(k)) out.line(c);
  if (k.consts.length) out.line();
  const st = new TsStmtEmitter(
    (n) => n,
    stmtUses(k.body).assigns,
    k.result.kind === 'array' ? k.result.name : undefined,
    truthyParams(k),
    k.result.kind === 'scalar' && k.result.truthy === true,
  );
  out.block(`export function ${name}(${signatureParams(k)}): ${returnType(k)}`, () => {
    st.stmts(out, k.body);
    if (k.result.kind === 'scalar') out.line(`return ${resultValue(k, st.ex.num(k.result.expr))};`);
    else if (k.result.kind === 'array') out.line(`return ${k.result.name};`);
  });
  return out.text();
}
