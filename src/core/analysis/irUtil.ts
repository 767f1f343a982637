// Small helpers over Kernel IR trees: visiting, collecting names, comparing expressions.
import type { Expr, Stmt } from '../ir/types.js';

export function visitExpr(e: Expr, f: (e: Expr) => void): void {
  f(e);
  switch (e.kind) {
    case 'const': case 'var': case 'len': return;
    case 'load': visitExpr(e.index, f); return;
    case 'bin': visitExpr(e.left, f); visitExpr(e.right, f); return;
    case 'un': visitExpr(e.arg, f); return;
    case 'call': for (const a of e.args) visitExpr(a, f); return;
    case 'select': visitExpr(e.cond, f); visitExpr(e.then, f); visitExpr(e.else, f); return;
    default: { const never: never = e; throw new Error(`unknown expr ${JSON.stringify(never)}`); }
  }
}

/** Expressions directly held by a statement (not those of nested statements). */
export function stmtExprs(s: Stmt): Expr[] {
  switch (s.kind) {
    case 'let': return [s.init];
    case 'assign': return [s.value];
    case 'store': return [s.index, s.value];
    case 'if': return [s.cond];
    case 'for': return [s.start, s.end];
    default: { const never: never = s; throw new Error(`unknown stmt ${JSON.stringify(never)}`); }
  }
}

export function childStmts(s: Stmt): readonly (readonly Stmt[])[] {
  if (s.kind === 'if') return [s.then, s.else];
  if (s.kind === 'for') return [s.body];
  return [];
}

/** Pre-order visit of statements (nested bodies included). */
export function visitStmts(list: readonly Stmt[], f: (s: Stmt) => void): void {
  for (const s of list) {
    f(s);
    for (const c of childStmts(s)) visitStmts(c, f);
  }
}

export function readsVar(e: Expr, name: string): boolean {
  let hit = false;
  visitExpr(e, (x) => { if (x.kind === 'var' && x.name === name) hit = true; });
  return hit;
}

export function exprVars(e: Expr, into = new Set<string>()): Set<string> {
  visitExpr(e, (x) => { if (x.kind === 'var') into.add(x.name); });
  return into;
}

export function hasLoad(e: Expr): boolean {
  let hit = false;
  visitExpr(e, (x) => { if (x.kind === 'load') hit = true; });
  return hit;
}

export function sameExpr(a: Expr, b: Expr): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Names declared (let / for index) anywhere in a statement list. */
export function declaredNames(list: readonly Stmt[]): Set<string> {
  const out = new Set<string>();
  visitStmts(list, (s) => {
    if (s.kind === 'let') out.add(s.name);
    if (s.kind === 'for') out.add(s.index);
  });
  return out;
}

/** Names assigned anywhere in a statement list. */
export function assignedNames(list: readonly Stmt[]): Set<string> {
  const out = new Set<string>();
  visitStmts(list, (s) => { if (s.kind === 'assign') out.add(s.name); });
  return out;
}

/** Arrays stored to anywhere in a statement list. */
export function storedArrays(list: readonly Stmt[]): Set<string> {
  const out = new Set<string>();
  visitStmts(list, (s) => { if (s.kind === 'store') out.add(s.array); });
  return out;
}

/** Every expression in a statement list (each statement's own, nested statements included). */
export function allExprs(list: readonly Stmt[]): Expr[] {
  const out: Expr[] = [];
  visitStmts(list, (s) => { out.push(...stmtExprs(s)); });
  return out;
}

export const v = (name: string): Expr => ({ kind: 'var', name });
export const c = (value: number): Expr => ({ kind: 'const', value });

/** True when some sub-expression of `e` satisfies `pred`. */
export function someExpr(e: Expr, pred: (x: Expr) => boolean): boolean {
  let hit = false;
  visitExpr(e, (x) => { if (pred(x)) hit = true; });
  return hit;
}

/** True when some statement of `list` (nested included) satisfies `pred`. */
export function someStmt(list: readonly Stmt[], pred: (s: Stmt) => boolean): boolean {
  let hit = false;
  visitStmts(list, (s) => { if (pred(s)) hit = true; });
  return hit;
}
