// IR → readable, typed TypeScript. The JS operators are the IR's operators, so the generated code
// computes exactly what the interpreter computes; the only rewrites are the ones TypeScript needs to
// type-check (a boolean used as a number becomes `Number(b)`, which JS does implicitly anyway).
import type { Expr, Kernel, Param, Stmt } from '../../ir/types.js';
import { stmtUses } from '../../ir/walk.js';
import { numLitSource } from '../../ir/numLit.js';
import { TYPED_CTOR } from '../../ir/toJs.js';
import { Lines, StmtEmitter } from '../../ir/stmtEmitter.js';

/** TS/JS precedence of each operator (higher binds tighter). */
const PREC: Readonly<Record<string, number>> = {
  '||': 4,
  '&&': 5,
  '|': 6,
  '^': 7,
  '&': 8,
  '===': 9,
  '!==': 9,
  '<': 10,
  '<=': 10,
  '>': 10,
  '>=': 10,
  '<<': 11,
  '>>': 11,
  '>>>': 11,
  '+': 12,
  '-': 12,
  '*': 13,
  '/': 13,
  '%': 13,
  '**': 14,
};
const UNARY = 15;
const ATOM = 20;
const SELECT = 3;

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

/** Expression emitter; `rename` maps IR names to the names used in the output. */
export class TsExprEmitter {
  constructor(private readonly rename: (name: string) => string = (n) => n) {}

  /** The expression as a number-typed TS expression. */
  num(e: Expr): string {
    return asNum(this.expr(e)).text;
  }

  /** The expression in a condition position (numbers are fine there). */
  cond(e: Expr): string {
    return this.expr(e).text;
  }

  expr(e: Expr): Code {
    switch (e.kind) {
      case 'const': {
        const text = numLitSource(e.value);
        return { text, prec: text.startsWith('-') ? UNARY : ATOM, ty: 'num' };
      }
      case 'var':
        return { text: this.rename(e.name), prec: ATOM, ty: 'num' };
      case 'len':
        return {
          text: `${this.rename(e.array)}${e.row ? `[${this.num(e.row)}]` : ''}.length`,
          prec: ATOM,
          ty: 'num',
        };
      case 'load':
        return {
          text: `${this.rename(e.array)}[${this.num(e.index)}]${e.col ? `[${this.num(e.col)}]` : ''}`,
          prec: ATOM,
          ty: 'num',
        };
      case 'call':
        return { text: `Math.${e.fn}(${e.args.map((a) => this.num(a)).join(', ')})`, prec: ATOM, ty: 'num' };
      case 'select': {
        const c = this.expr(e.cond);
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
        const a = this.expr(e.arg);
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
    const p = PREC[op]!;
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
  if (p.kind === 'scalar') return 'number';
  const row = p.container === 'array' ? 'number[]' : TYPED_CTOR[p.dtype];
  return p.rank === 2 ? `${p.container === 'array' ? 'number[]' : row}[]` : row;
}

/** TypeScript return type of the kernel's function. */
export function returnType(k: Kernel): string {
  switch (k.result.kind) {
    case 'void':
      return 'void';
    case 'scalar':
      return 'number';
    case 'array': {
      const name = k.result.name;
      const p = k.params.find((q) => q.name === name);
      return p ? paramType(p) : 'never';
    }
  }
}

export { Lines };

/** Emits IR statements as TS; `onFor` lets a caller replace a loop (the worker shards it). */
export class TsStmtEmitter extends StmtEmitter {
  readonly ex: TsExprEmitter;
  /**
   * `assigned`: names assigned anywhere (their `let`s stay `let`; the others become `const`).
   * `arrayResult`: the array an early `return` of an array kernel gives back.
   */
  constructor(
    private readonly rename: (name: string) => string = (n) => n,
    private readonly assigned: ReadonlySet<string> = new Set(),
    private readonly arrayResult?: string,
  ) {
    super();
    this.ex = new TsExprEmitter(rename);
  }

  protected condition(e: Expr): string {
    return this.ex.cond(e);
  }
  protected nested(out: Lines, stmts: readonly Stmt[]): void {
    this.stmts(out, stmts);
  }

  stmts(
    out: Lines,
    stmts: readonly Stmt[],
    onFor?: (st: Extract<Stmt, { kind: 'for' }>, out: Lines) => boolean,
  ): void {
    for (const st of stmts) this.stmt(out, st, onFor);
  }

  stmt(out: Lines, st: Stmt, onFor?: (st: Extract<Stmt, { kind: 'for' }>, out: Lines) => boolean): void {
    const r = this.rename;
    switch (st.kind) {
      case 'let':
        out.line(`${this.assigned.has(st.name) ? 'let' : 'const'} ${r(st.name)} = ${this.ex.num(st.init)};`);
        break;
      case 'assign':
        out.line(`${r(st.name)} = ${this.ex.num(st.value)};`);
        break;
      case 'store': {
        const col = st.col ? `[${this.ex.num(st.col)}]` : '';
        out.line(`${r(st.array)}[${this.ex.num(st.index)}]${col} = ${this.ex.num(st.value)};`);
        break;
      }
      case 'if':
        this.ifElse(out, st);
        break;
      case 'for': {
        if (onFor?.(st, out)) break;
        this.forLoop(out, st, this.ex.num(st.start), this.ex.num(st.end));
        break;
      }
      case 'break':
      case 'continue':
        this.jump(out, st);
        break;
      case 'return':
        if (st.value) out.line(`return ${this.ex.num(st.value)};`);
        else out.line(this.arrayResult ? `return ${r(this.arrayResult)};` : 'return;');
        break;
      case 'throw':
        out.line(`throw new ${st.error}(${JSON.stringify(st.message)});`);
        break;
    }
  }

  /** `for (let i = start; i < end; i += step) { body }` with the given start/end source (`>` for a descending loop). */
  forLoop(out: Lines, st: Extract<Stmt, { kind: 'for' }>, start: string, end: string): void {
    const i = this.rename(st.index);
    // A run-time step is evaluated once, before the loop (as the IR says), in a block of its own.
    const stepName = st.stepExpr ? `${i}_step` : undefined;
    if (stepName && st.stepExpr)
      out
        .line('{')
        .indent()
        .line(`const ${stepName} = ${this.ex.num(st.stepExpr)};`);
    const inc = stepName
      ? `${i} += ${stepName}`
      : st.step === 1
        ? `${i}++`
        : st.step === -1
          ? `${i}--`
          : `${i} += ${st.step}`;
    out.line(`for (let ${i} = ${start}; ${i} ${st.step > 0 ? '<' : '>'} ${end}; ${inc}) {`).indent();
    this.stmts(out, st.body);
    out.dedent().line('}');
    if (stepName) out.dedent().line('}');
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
  );
  out.block(`export function ${name}(${signatureParams(k)}): ${returnType(k)}`, () => {
    st.stmts(out, k.body);
    if (k.result.kind === 'scalar') out.line(`return ${st.ex.num(k.result.expr)};`);
    else if (k.result.kind === 'array') out.line(`return ${k.result.name};`);
  });
  return out.text();
}
