// The one statement walk every emitter of a C-like target shares: indented output (`Lines`),
// block scopes, the dispatch over statement kinds, if/else blocks, loops (a run-time step evaluated
// once, the header, the body in the index's scope) and the early-exit jumps. Each target (plain JS,
// TS, C++, CUDA, AssemblyScript, WGSL) subclasses `StmtEmitter` and supplies its expressions,
// declarations, stores, loop headers and returns as hooks; a target that replaces some loops (SIMD,
// loop versioning, the worker's shards, GPU launches) overrides `forStmt`.
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
  /** The lines without the final newline. */
  lines(): readonly string[] {
    return this.out;
  }
  text(): string {
    return this.out.join('\n') + '\n';
  }
}

export type IfStmt = Extract<Stmt, { kind: 'if' }>;
export type ForStmt = Extract<Stmt, { kind: 'for' }>;
export type LetStmt = Extract<Stmt, { kind: 'let' }>;
export type AssignStmt = Extract<Stmt, { kind: 'assign' }>;
export type StoreStmt = Extract<Stmt, { kind: 'store' }>;
export type ReturnStmt = Extract<Stmt, { kind: 'return' }>;
export type ThrowStmt = Extract<Stmt, { kind: 'throw' }>;
export type JumpStmt = Extract<Stmt, { kind: 'break' | 'continue' }>;

/** A statement form a target does not lower (the caller declines the kernel with this reason). */
export class NotLowered extends Error {}

/**
 * The shared part of the statement emitters. `T` is what a target records of a name in scope (its
 * type in the target language); targets without typed names use `never`. Each statement kind is a
 * hook; a kind a target does not lower keeps the default, which throws {@link NotLowered}.
 */
export abstract class StmtEmitter<T = never> {
  /** Block scopes, innermost last. */
  protected readonly frames: Map<string, T>[] = [];
  /** The target's name in messages ("native", "WGSL", …). */
  protected readonly target: string = 'this target';

  /** A condition in the target's syntax (without the surrounding parentheses). */
  protected abstract condition(e: Expr): string;

  protected letStmt(_out: Lines, st: LetStmt): void {
    this.notLowered(`'let ${st.name}'`);
  }
  protected assignStmt(_out: Lines, st: AssignStmt): void {
    this.notLowered(`an assignment to '${st.name}'`);
  }
  protected storeStmt(_out: Lines, st: StoreStmt): void {
    this.notLowered(`a store to '${st.array}'`);
  }
  protected returnStmt(_out: Lines, _st: ReturnStmt): void {
    this.notLowered(`'return'`);
  }
  protected throwStmt(_out: Lines, _st: ThrowStmt): void {
    this.notLowered(`'throw'`);
  }
  /** A loop; most targets call {@link emitLoop} with their header, some replace particular loops first. */
  protected forStmt(_out: Lines, st: ForStmt): void {
    this.notLowered(`the loop over '${st.index}'`);
  }

  protected notLowered(what: string): never {
    throw new NotLowered(`${what} is not lowered to ${this.target}`);
  }

  /** What `name` is in the innermost scope that declares it. */
  protected lookup(name: string): T | undefined {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const t = this.frames[i]!.get(name);
      if (t !== undefined) return t;
    }
    return undefined;
  }

  /** True when some scope declares `name`. */
  protected inScope(name: string): boolean {
    return this.frames.some((s) => s.has(name));
  }

  /** Declares a name in the current scope (a loop index or accumulator set up by the caller). */
  declare(name: string, t: T): void {
    this.frames[this.frames.length - 1]!.set(name, t);
  }

  /** Runs `emit` in a scope of its own with `names` declared in it. */
  withScope<R>(names: ReadonlyMap<string, T>, emit: () => R): R {
    this.frames.push(new Map(names));
    try {
      return emit();
    } finally {
      this.frames.pop();
    }
  }

  /** Statements of a nested block (a target with block scopes opens one here with {@link withScope}). */
  protected abstract nested(out: Lines, stmts: readonly Stmt[]): void;

  /** One statement: the walk every target shares. */
  stmt(out: Lines, st: Stmt): void {
    switch (st.kind) {
      case 'let': {
        this.letStmt(out, st);
        return;
      }
      case 'assign': {
        this.assignStmt(out, st);
        return;
      }
      case 'store': {
        this.storeStmt(out, st);
        return;
      }
      case 'if': {
        this.ifElse(out, st);
        return;
      }
      case 'for': {
        this.forStmt(out, st);
        return;
      }
      case 'break':
      case 'continue': {
        this.jump(out, st);
        return;
      }
      case 'return': {
        this.returnStmt(out, st);
        return;
      }
      case 'throw': {
        this.throwStmt(out, st);
        return;
      }
      default: {
        const never: never = st;
        throw new Error(`unknown stmt ${JSON.stringify(never)}`);
      }
    }
  }

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
  protected jump(out: Lines, st: JumpStmt): void {
    out.line(`${st.kind};`);
  }

  /**
   * Opens what a run-time step (`stepExpr`) needs before its loop: the step evaluated once into a
   * variable, in a block or behind a guard the target opens (closed by {@link emitLoop}). Returns the
   * variable's name. Targets without run-time steps keep this default.
   */
  protected openStep(_out: Lines, st: ForStmt): string {
    return this.notLowered(`the run-time step of the loop over '${st.index}'`);
  }

  /**
   * A loop: the run-time step (if any), then `head` — the `for (…)` text, computed in the loop's
   * scope (where it declares the index) from the step variable's name — then the body.
   */
  protected emitLoop(out: Lines, st: ForStmt, head: (step: string | undefined) => string): void {
    const step = st.stepExpr ? this.openStep(out, st) : undefined;
    this.withScope(new Map(), () => {
      out.line(`${head(step)} {`).indent();
      this.body(out, st.body);
      out.dedent().line('}');
    });
    if (step !== undefined) out.dedent().line('}');
  }

  /** A loop's body (in the loop's scope; a target with a scope per block opens one more). */
  protected body(out: Lines, stmts: readonly Stmt[]): void {
    for (const st of stmts) this.stmt(out, st);
  }
}
