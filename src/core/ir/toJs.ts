// The kernel as plain JS source: the "original JS" of generated kernels and the plain-JS rewrite in
// benchmarks. Every operator is parenthesised, so the source evaluates exactly what the interpreter
// evaluates (same operators, same order, same coercions).
import type { Expr, Kernel, Stmt } from './types.js';
import { numLitSource } from './numLit.js';
import { TYPED_CTOR, jsAccess, jsForHeader, jsLen } from './jsSyntax.js';
import { Lines, StmtEmitter } from './stmtEmitter.js';
import type { AssignStmt, ForStmt, LetStmt, ReturnStmt, StoreStmt, ThrowStmt } from './stmtEmitter.js';

export { TYPED_CTOR };

export interface KernelToJsOptions {
  /** Function name (default: the kernel's name). */
  readonly name?: string;
  /**
   * Where const tables go: `module` (default) emits `const T = [...];` before the function, like the
   * source it came from; `params` makes them extra parameters after the kernel's own.
   */
  readonly consts?: 'module' | 'params';
  /** Indentation unit (default two spaces). */
  readonly indent?: string;
}

/** JS source of one expression, fully parenthesised. */
export function exprToJs(e: Expr): string {
  switch (e.kind) {
    case 'const': {
      const s = numLitSource(e.value);
      return s.startsWith('-') ? `(${s})` : s;
    }
    case 'var':
      return e.name;
    case 'len':
      return jsLen(e.array, e.row && exprToJs(e.row));
    case 'load':
      return jsAccess(e.array, exprToJs(e.index), e.col && exprToJs(e.col));
    case 'bin':
      return `(${exprToJs(e.left)} ${e.op} ${exprToJs(e.right)})`;
    case 'un':
      return e.op === 'notNull' ? `(${exprToJs(e.arg)} !== null)` : `(${e.op}${exprToJs(e.arg)})`;
    case 'call':
      return `Math.${e.fn}(${e.args.map(exprToJs).join(', ')})`;
    case 'select':
      return `(${exprToJs(e.cond)} ? ${exprToJs(e.then)} : ${exprToJs(e.else)})`;
  }
}

/** The kernel's statements as plain JS. */
class JsStmtEmitter extends StmtEmitter {
  protected override readonly target = 'JS';
  constructor(private readonly k: Kernel) {
    super();
  }
  stmts(out: Lines, stmts: readonly Stmt[]): void {
    for (const st of stmts) this.stmt(out, st);
  }
  protected condition(e: Expr): string {
    return exprToJs(e);
  }
  protected nested(out: Lines, stmts: readonly Stmt[]): void {
    this.stmts(out, stmts);
  }
  protected override letStmt(out: Lines, st: LetStmt): void {
    out.line(`let ${st.name} = ${exprToJs(st.init)};`);
  }
  protected override assignStmt(out: Lines, st: AssignStmt): void {
    out.line(`${st.name} = ${exprToJs(st.value)};`);
  }
  protected override storeStmt(out: Lines, st: StoreStmt): void {
    out.line(
      `${jsAccess(st.array, exprToJs(st.index), st.col && exprToJs(st.col))} = ${exprToJs(st.value)};`,
    );
  }
  /** An early `return`: the value of a scalar kernel, the array of an array kernel. */
  protected override returnStmt(out: Lines, st: ReturnStmt): void {
    if (st.value) out.line(`return ${exprToJs(st.value)};`);
    else out.line(this.k.result.kind === 'array' ? `return ${this.k.result.name};` : 'return;');
  }
  protected override throwStmt(out: Lines, st: ThrowStmt): void {
    out.line(`throw new ${st.error}(${JSON.stringify(st.message)});`);
  }
  protected override forStmt(out: Lines, st: ForStmt): void {
    this.emitLoop(out, st, (step) =>
      jsForHeader(st.index, st.step, exprToJs(st.start), exprToJs(st.end), step),
    );
  }
  /** A run-time step is evaluated once, before the loop, in a block of its own. */
  protected override openStep(out: Lines, st: ForStmt): string {
    const name = `${st.index}_step`;
    out
      .line('{')
      .indent()
      .line(`const ${name} = ${exprToJs(st.stepExpr!)};`);
    return name;
  }
}

/** The kernel as the source of a plain JS function declaration (preceded by its const tables). */
export function kernelToJs(k: Kernel, opts: KernelToJsOptions = {}): string {
  const unit = opts.indent ?? '  ';
  const asParams = opts.consts === 'params';
  const out = new Lines(unit);
  if (!asParams) {
    for (const t of k.consts) {
      const list = `[${t.values.map(numLitSource).join(', ')}]`;
      // f64 tables are `number[]` literals, like the source; others are typed arrays of their dtype.
      out.line(`const ${t.name} = ${t.dtype === 'f64' ? list : `new ${TYPED_CTOR[t.dtype]}(${list})`};`);
    }
  }
  const params = [...k.params.map((p) => p.name), ...(asParams ? k.consts.map((t) => t.name) : [])];
  out.line(`function ${opts.name ?? k.name}(${params.join(', ')}) {`).indent();
  new JsStmtEmitter(k).stmts(out, k.body);
  if (k.result.kind === 'scalar') out.line(`return ${exprToJs(k.result.expr)};`);
  else if (k.result.kind === 'array') out.line(`return ${k.result.name};`);
  out.dedent().line('}');
  return out.text();
}
