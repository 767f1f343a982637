// State shared while lowering one kernel (a function or a loop) to the Kernel IR.
import type { ConstTable, DType, Expr, NumLit, Param, Stmt } from '../ir/types.js';
import type { LoopDeps } from './deps.js';
import type { ts } from './ts.js';
import { irArrayType } from './typeInfo.js';
import type { KnownElement } from './typeInfo.js';
import type { NotTranslatableCode } from './types.js';

/** Thrown while lowering: the loop (or function) is not translatable, for this reason. */
export class Reject extends Error {
  readonly code: NotTranslatableCode;
  readonly reason: string;
  constructor(code: NotTranslatableCode, reason: string) {
    // Rejections are control flow (thousands per file): skip capturing a stack trace.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(reason);
    Error.stackTraceLimit = limit;
    this.code = code;
    this.reason = reason;
  }
}

export function reject(code: NotTranslatableCode, reason: string): never {
  throw new Reject(code, reason);
}

export type Binding =
  | { readonly kind: 'scalar'; readonly name: string; readonly dtype: 'f64' | 'i32' }
  | { readonly kind: 'array'; readonly name: string; readonly el: KnownElement }
  | { readonly kind: 'const-array'; readonly name: string; readonly el: KnownElement }
  | { readonly kind: 'const-scalar'; readonly value: NumLit }
  /** One row of the rank-2 array `name` (`const p = points[i]`, a helper's `a` for `points[i]`). */
  | { readonly kind: 'row'; readonly name: string; readonly row: Expr };

export interface ArrayState {
  readonly name: string;
  readonly el: KnownElement;
  read: boolean;
  written: boolean;
  /** Set when no type said it is a numeric array: inferred from its use. */
  readonly inferred?: true;
}

export interface LowerCtx {
  readonly checker: ts.TypeChecker;
  /** 'function': the kernel is a whole function (no free variables); 'loop': a loop alone. */
  readonly mode: 'function' | 'loop';
  /** The node whose inside declarations are kernel locals (function body or loop statement). */
  readonly region: ts.Node;
  readonly bindings: Map<ts.Symbol, Binding>;
  readonly usedNames: Set<string>;
  /** Array parameters by IR name, in order of first use (function mode: declaration order). */
  readonly arrays: Map<string, ArrayState>;
  /** Free variables that became parameters (loop mode), in order of first use. */
  readonly freeParams: Param[];
  /** Free scalars (loop mode) by IR name: the candidates for the kernel's scalar result. */
  readonly freeScalars: Set<string>;
  /** Free scalars that are variables of the source (not properties): IR name → the variable's name. */
  readonly freeScalarVars: Map<string, string>;
  readonly consts: ConstTable[];
  readonly inlined: string[];
  /** Helper functions being inlined (recursion guard). */
  readonly inlineStack: ts.Node[];
  /** Statements that must run before the statement being lowered (inlined helpers' bodies). */
  pre: Stmt[];
  /** IR names of loop indices (ascending, integer start and step): integer-valued. */
  readonly intVars: Set<string>;
  /** Loops being lowered around the current statement (0: at the kernel's top level). */
  loopDepth: number;
  /** Dependence facts of every lowered `for` (keyed by the IR statement object). */
  readonly deps: Map<Stmt, LoopDeps>;
  /** Object fields read by a loop kernel (`this.n`, `grid.data`), keyed by `<object>.<field>`. */
  readonly fields: Map<string, Binding>;
  /** What the kernel assumed that the code does not state (the verdict's notes). */
  readonly notes: string[];
  /** While inlining a method: the object its `this` stands for (`m` in `m.get(i, j)`). */
  thisObject?: string;
  /**
   * Loop mode: typed arrays allocated just before the loop are ordinary parameters (the caller passes
   * the array it allocated), not fresh outputs; set when the loop also has live-out scalars.
   */
  noFresh?: boolean;
}

export function createCtx(checker: ts.TypeChecker, mode: 'function' | 'loop', region: ts.Node): LowerCtx {
  return {
    checker,
    mode,
    region,
    bindings: new Map(),
    usedNames: new Set(),
    arrays: new Map(),
    freeParams: [],
    freeScalars: new Set(),
    freeScalarVars: new Map(),
    consts: [],
    inlined: [],
    inlineStack: [],
    pre: [],
    intVars: new Set(),
    loopDepth: 0,
    deps: new Map(),
    fields: new Map(),
    notes: [],
  };
}

/** A fresh IR name based on `base` (a valid identifier, unique within the kernel). */
export function uniqueName(ctx: LowerCtx, base: string): string {
  const clean = base.replace(/[^A-Za-z0-9_$]/g, '_') || '_';
  let name = /^[0-9]/.test(clean) ? `_${clean}` : clean;
  for (let k = 2; ctx.usedNames.has(name); k++) name = `${clean}_${k}`;
  ctx.usedNames.add(name);
  return name;
}

/** Binds a declaration's symbol to a new scalar local and returns its IR name. */
export function declareScalar(
  ctx: LowerCtx,
  id: ts.Identifier,
  dtype: 'f64' | 'i32' = 'f64',
  prefix = '',
): string {
  const sym = symbolOf(ctx, id);
  const name = uniqueName(ctx, prefix + id.text);
  ctx.bindings.set(sym, { kind: 'scalar', name, dtype });
  return name;
}

export function symbolOf(ctx: LowerCtx, id: ts.Node): ts.Symbol {
  const sym = ctx.checker.getSymbolAtLocation(id);
  if (!sym) reject('unknown-types', `cannot resolve ${id.getText()}`);
  return sym;
}

/** Marks an array as read or written (for params' `access` and the facts). */
export function touchArray(ctx: LowerCtx, name: string, how: 'read' | 'write'): void {
  const st = ctx.arrays.get(name);
  if (!st) return;
  if (how === 'read') st.read = true;
  else st.written = true;
}

/** The DType of a constant table built from a module-level initializer. */
export function constDType(el: KnownElement): DType {
  return irArrayType(el).dtype;
}

/** Adds a note once. */
export function note(ctx: LowerCtx, text: string): void {
  if (!ctx.notes.includes(text)) ctx.notes.push(text);
}

/** Text of a node for messages, shortened. */
export function short(node: ts.Node): string {
  const t = node.getText().replace(/\s+/g, ' ');
  return t.length > 40 ? `${t.slice(0, 37)}…` : t;
}

export function isInside(node: ts.Node, region: ts.Node): boolean {
  return node.pos >= region.pos && node.end <= region.end && node.getSourceFile() === region.getSourceFile();
}

/** Runs `f` with a fresh pre-statement buffer; returns what it produced and the statements to run first. */
export function withPre<T>(ctx: LowerCtx, f: () => T): { pre: Stmt[]; value: T } {
  const saved = ctx.pre;
  ctx.pre = [];
  try {
    const value = f();
    return { pre: ctx.pre, value };
  } finally {
    ctx.pre = saved;
  }
}
