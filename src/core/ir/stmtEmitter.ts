// What every statement emitter of a C-like target shares: indented output (`Lines`), if/else
// blocks and the early-exit jumps. Each target (TS, C++, AssemblyScript, WGSL) subclasses
// `StmtEmitter` and supplies its own expressions, stores, loop headers and scopes as hooks.
import type { Expr, Stmt } from './types.js';

/** Indented line collector. */
export class Lines {
  private readonly out: string[] = [];
  private depth = 0;
  constructor(private readonly unit = '  ') {}
  line(text = ''): this {
    this.out.push(text ? this.unit.repeat(this.depth) + text : '');
    return this;
  }
  indent(): this {
    this.depth++;
    return this;
  }
  dedent(): this {
    this.depth--;
    return this;
  }
  block(head: string, body: () => void, tail = '}'): this {
    this.line(`${head} {`).indent();
    body();
    return this.dedent().line(tail);
  }
  text(): string {
    return this.out.join('\n') + '\n';
  }
}

type IfStmt = Extract<Stmt, { kind: 'if' }>;

/** The shared part of the statement emitters of C-like targets. */
export abstract class StmtEmitter {
  /** A condition in the target's syntax (without the surrounding parentheses). */
  protected abstract condition(e: Expr): string;
  /** The statements of a nested block (a target with block scopes opens one here). */
  protected abstract nested(out: Lines, stmts: readonly Stmt[]): void;

  /** `if (c) { … } else { … }`; the else part only when it has statements. */
  protected ifElse(out: Lines, st: IfStmt): void {
    out.line(`if (${this.condition(st.cond)}) {`).indent();
    this.nested(out, st.then);
    out.dedent();
    if (st.else.length) {
      out.line('} else {').indent();
      this.nested(out, st.else);
      out.dedent();
    }
    out.line('}');
  }

  /** `break;` / `continue;` (the innermost loop; the validator puts them only inside loops). */
  protected jump(out: Lines, st: Extract<Stmt, { kind: 'break' | 'continue' }>): void {
    out.line(`${st.kind};`);
  }
}
