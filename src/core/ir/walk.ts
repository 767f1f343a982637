// The one set of read-only walks over Kernel IR trees: visiting expressions and statements, the
// names a statement list reads/assigns/declares, the arrays it touches, its early exits and a rough
// operation count. Analysis, advice and every emitter use these (no second walker).
import type { Expr, Kernel, Stmt } from './types.js';

/** A direct sub-expression; `index` when it stands in an index position (element index, column, row). */
export interface SubExpr {
  readonly e: Expr;
  readonly index: boolean;
}

/** The direct sub-expressions of `e`, in evaluation order. */
export function subExprs(e: Expr): readonly SubExpr[] {
  switch (e.kind) {
    case 'const':
    case 'var':
      return [];
    case 'len':
      return e.row ? [{ e: e.row, index: true }] : [];
    case 'load':
      return e.col
        ? [
            { e: e.index, index: true },
            { e: e.col, index: true },
          ]
        : [{ e: e.index, index: true }];
    case 'bin':
      return [
        { e: e.left, index: false },
        { e: e.right, index: false },
      ];
    case 'un':
      return [{ e: e.arg, index: false }];
    case 'call':
      return e.args.map((a) => ({ e: a, index: false }));
    case 'select':
      return [
        { e: e.cond, index: false },
        { e: e.then, index: false },
        { e: e.else, index: false },
      ];
    default: {
      const never: never = e;
      throw new Error(`unknown expr ${JSON.stringify(never)}`);
    }
  }
}

/** Pre-order visit of an expression and its sub-expressions. */
export function visitExpr(e: Expr, f: (e: Expr) => void): void {
  f(e);
  for (const c of subExprs(e)) visitExpr(c.e, f);
}

/** Expressions directly held by a statement (not those of nested statements), with their positions. */
export function stmtSubExprs(s: Stmt): readonly SubExpr[] {
  const value = (e: Expr): SubExpr => ({ e, index: false });
  const index = (e: Expr): SubExpr => ({ e, index: true });
  switch (s.kind) {
    case 'let':
      return [value(s.init)];
    case 'assign':
      return [value(s.value)];
    case 'store':
      return s.col ? [index(s.index), index(s.col), value(s.value)] : [index(s.index), value(s.value)];
    case 'if':
      return [value(s.cond)];
    case 'for':
      return s.stepExpr ? [index(s.start), index(s.end), index(s.stepExpr)] : [index(s.start), index(s.end)];
    case 'return':
      return s.value ? [value(s.value)] : [];
    case 'break':
    case 'continue':
    case 'throw':
      return [];
    default: {
      const never: never = s;
      throw new Error(`unknown stmt ${JSON.stringify(never)}`);
    }
  }
}

/** Expressions directly held by a statement (not those of nested statements). */
export function stmtExprs(s: Stmt): Expr[] {
  return stmtSubExprs(s).map((c) => c.e);
}

/** Statement lists directly nested in a statement. */
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

/** True when some sub-expression of `e` satisfies `pred`. */
export function someExpr(e: Expr, pred: (x: Expr) => boolean): boolean {
  let hit = false;
  visitExpr(e, (x) => {
    if (pred(x)) hit = true;
  });
  return hit;
}

/** True when some statement of `list` (nested included) satisfies `pred`. */
export function someStmt(list: readonly Stmt[], pred: (s: Stmt) => boolean): boolean {
  let hit = false;
  visitStmts(list, (s) => {
    if (pred(s)) hit = true;
  });
  return hit;
}

export function readsVar(e: Expr, name: string): boolean {
  return someExpr(e, (x) => x.kind === 'var' && x.name === name);
}

export function exprVars(e: Expr, into = new Set<string>()): Set<string> {
  visitExpr(e, (x) => {
    if (x.kind === 'var') into.add(x.name);
  });
  return into;
}

export function hasLoad(e: Expr): boolean {
  return someExpr(e, (x) => x.kind === 'load');
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
  visitStmts(list, (s) => {
    if (s.kind === 'assign') out.add(s.name);
  });
  return out;
}

/** Arrays stored to anywhere in a statement list. */
export function storedArrays(list: readonly Stmt[]): Set<string> {
  const out = new Set<string>();
  visitStmts(list, (s) => {
    if (s.kind === 'store') out.add(s.array);
  });
  return out;
}

/** Every expression in a statement list (each statement's own, nested statements included). */
export function allExprs(list: readonly Stmt[]): Expr[] {
  const out: Expr[] = [];
  visitStmts(list, (s) => {
    out.push(...stmtExprs(s));
  });
  return out;
}

export const v = (name: string): Expr => ({ kind: 'var', name });
export const c = (value: number): Expr => ({ kind: 'const', value });

export interface Uses {
  /** Variables read (scalars, locals, loop indices), including ones declared inside. */
  readonly reads: Set<string>;
  /** Variables assigned with `assign`. */
  readonly assigns: Set<string>;
  /** Names declared inside (`let` and loop indices). */
  readonly declares: Set<string>;
  /** Arrays read (`load`, `len`). */
  readonly loads: Set<string>;
  /** Arrays written (`store`). */
  readonly stores: Set<string>;
}

export function emptyUses(): Uses {
  return { reads: new Set(), assigns: new Set(), declares: new Set(), loads: new Set(), stores: new Set() };
}

export function exprUses(e: Expr, u: Uses): void {
  visitExpr(e, (x) => {
    if (x.kind === 'var') u.reads.add(x.name);
    else if (x.kind === 'len' || x.kind === 'load') u.loads.add(x.array);
  });
}

export function stmtUses(stmts: readonly Stmt[], u: Uses = emptyUses()): Uses {
  visitStmts(stmts, (st) => {
    for (const e of stmtExprs(st)) exprUses(e, u);
    if (st.kind === 'let') u.declares.add(st.name);
    else if (st.kind === 'for') u.declares.add(st.index);
    else if (st.kind === 'assign') u.assigns.add(st.name);
    else if (st.kind === 'store') u.stores.add(st.array);
  });
  return u;
}

/** Rough count of elementary operations of an expression. */
export function exprOps(e: Expr): number {
  switch (e.kind) {
    case 'const':
    case 'var':
      return 0;
    case 'len':
      return e.row ? 1 + exprOps(e.row) : 0;
    case 'load':
      return 1 + exprOps(e.index) + (e.col ? 1 + exprOps(e.col) : 0);
    case 'bin':
      return 1 + exprOps(e.left) + exprOps(e.right);
    case 'un':
      return 1 + exprOps(e.arg);
    case 'call':
      return 4 + e.args.reduce((s, a) => s + exprOps(a), 0);
    case 'select':
      return 1 + exprOps(e.cond) + Math.max(exprOps(e.then), exprOps(e.else));
  }
}

/** Inner loops whose trip count is unknown statically count this many iterations. */
export const ASSUMED_INNER_TRIPS = 64;

/** Rough operations of one pass over `stmts` (inner loops × {@link ASSUMED_INNER_TRIPS}). */
export function stmtOps(stmts: readonly Stmt[]): number {
  let ops = 0;
  for (const st of stmts) {
    const own = stmtExprs(st).reduce((s, e) => s + exprOps(e), 0);
    switch (st.kind) {
      case 'if':
        ops += 1 + own + Math.max(stmtOps(st.then), stmtOps(st.else));
        break;
      case 'for':
        ops += 2 + ASSUMED_INNER_TRIPS * (2 + stmtOps(st.body));
        break;
      default:
        ops += 1 + own;
    }
  }
  return Math.max(1, ops);
}

/** Every name the kernel uses (params, consts, locals, indices): for picking fresh names. */
export function allNames(k: Kernel): Set<string> {
  const u = stmtUses(k.body);
  const names = new Set<string>([...k.params.map((p) => p.name), ...k.consts.map((t) => t.name)]);
  for (const s of [u.reads, u.assigns, u.declares, u.loads, u.stores]) for (const n of s) names.add(n);
  if (k.result.kind === 'scalar') {
    const r = emptyUses();
    exprUses(k.result.expr, r);
    for (const n of r.reads) names.add(n);
  }
  return names;
}

/** `base` or `base_2`, `base_3`… whichever is not in `taken` (and then reserves it). */
export function fresh(base: string, taken: Set<string>): string {
  let name = base;
  for (let k = 2; taken.has(name); k++) name = `${base}_${k}`;
  taken.add(name);
  return name;
}

/** The early exits a statement list holds (nested included). */
export interface Exits {
  readonly break: boolean;
  readonly continue: boolean;
  readonly return: boolean;
  readonly throw: boolean;
}

/** Which early-exit statements occur anywhere in `list`. */
export function exitsOf(list: readonly Stmt[]): Exits {
  const seen = { break: false, continue: false, return: false, throw: false };
  visitStmts(list, (s) => {
    if (s.kind === 'break' || s.kind === 'continue' || s.kind === 'return' || s.kind === 'throw')
      seen[s.kind] = true;
  });
  return seen;
}

/** True when the kernel holds any `break`/`continue`/`return`/`throw`. */
export function hasEarlyExit(k: Kernel): boolean {
  const e = exitsOf(k.body);
  return e.break || e.continue || e.return || e.throw;
}

/** A sentence naming the early exits of `k` (for decline reasons), or undefined when it has none. */
export function earlyExitSummary(k: Kernel): string | undefined {
  const e = exitsOf(k.body);
  const kinds = (['break', 'continue', 'return', 'throw'] as const).filter((x) => e[x]);
  return kinds.length ? kinds.map((x) => `'${x}'`).join(', ') : undefined;
}

/** True when some loop of the kernel has a run-time step (`stepExpr`) or a negative step. */
export function hasUnusualStep(list: readonly Stmt[]): boolean {
  return someStmt(list, (s) => s.kind === 'for' && (s.stepExpr !== undefined || s.step < 0));
}

/** True when the kernel takes a rank-2 array (rows). */
export function hasRank2(k: Kernel): boolean {
  return k.params.some((p) => p.kind === 'array' && p.rank === 2);
}
