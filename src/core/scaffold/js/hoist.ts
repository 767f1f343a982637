// The tuned-JS target's rewrites of a kernel body, each one value-preserving in JS (same operations on
// the same operands in the same order, only evaluated earlier and once): array lengths read once into
// locals, loop-invariant pure subexpressions hoisted in front of their loop (classic LICM), and the
// rows of `a[i][j]` read once per inner loop (`const a_row = a[i]` before the `j` loop).
//
// What may move: an expression that cannot throw, has no side effects and whose operands the loop
// does not change. Loads move only out of loops that store to no array at all (any array argument may
// alias any other, or a view of the same buffer); a `number[]`'s length likewise, since a store past
// its end grows it — except in the typed clone, which runs only when every flat array argument is a
// typed array (fixed length). Row reads `a[i]` never throw (the outer array is an array); `a_row[j]`
// throws exactly where `a[i][j]` did, with the same message, so rows move but loads from rows do not.
// Boolean-valued expressions stay in place (the local would be a number in the generated TS).
import type { Expr, Kernel, KernelResult, Stmt } from '../../ir/types.js';
import { allNames, assignedNames, declaredNames, fresh, storedArrays } from '../../ir/walk.js';

type ForStmt = Extract<Stmt, { kind: 'for' }>;
type LetStmt = Extract<Stmt, { kind: 'let' }>;

/** What the clone may assume about its arguments. */
export interface HoistOptions {
  /** Every flat (rank-1) array argument is a typed array, so no length changes while the kernel runs. */
  readonly typed: boolean;
}

/** The rewritten kernel body (valid to print with the TS emitter; row locals are `load`s without `col`). */
export interface Hoisted {
  readonly body: readonly Stmt[];
  readonly result: KernelResult;
  /** Lengths read once at entry, invariants hoisted, rows hoisted (for the notes). */
  readonly counts: { readonly lengths: number; readonly invariants: number; readonly rows: number };
}

const COMPARE = new Set(['<', '<=', '>', '>=', '===', '!==']);

/** True for an expression the TS emitter types as boolean. */
function isBool(e: Expr): boolean {
  switch (e.kind) {
    case 'bin':
      if (COMPARE.has(e.op)) return true;
      return (e.op === '&&' || e.op === '||') && isBool(e.left) && isBool(e.right);
    case 'un':
      return e.op === '!' || e.op === 'notNull';
    case 'select':
      return isBool(e.then) && isBool(e.else);
    default:
      return false;
  }
}

/** Maps every expression of a statement list (nested statements included) through `f`. */
function mapStmts(list: readonly Stmt[], f: (e: Expr) => Expr, row: (s: StoreStmt) => StoreStmt): Stmt[] {
  return list.map((s): Stmt => {
    switch (s.kind) {
      case 'let':
        return { ...s, init: f(s.init) };
      case 'assign':
        return { ...s, value: f(s.value) };
      case 'store':
        return row({ ...s, index: f(s.index), value: f(s.value), ...(s.col ? { col: f(s.col) } : {}) });
      case 'if':
        return { ...s, cond: f(s.cond), then: mapStmts(s.then, f, row), else: mapStmts(s.else, f, row) };
      case 'for':
        return {
          ...s,
          start: f(s.start),
          end: f(s.end),
          ...(s.stepExpr ? { stepExpr: f(s.stepExpr) } : {}),
          body: mapStmts(s.body, f, row),
        };
      case 'return':
        return s.value ? { ...s, value: f(s.value) } : s;
      case 'break':
      case 'continue':
      case 'throw':
        return s;
    }
  });
}
type StoreStmt = Extract<Stmt, { kind: 'store' }>;

/** Bottom-up map of an expression (children first). */
function mapExpr(e: Expr, f: (e: Expr) => Expr): Expr {
  const m = (x: Expr): Expr => mapExpr(x, f);
  switch (e.kind) {
    case 'const':
    case 'var':
      return f(e);
    case 'len':
      return f(e.row ? { ...e, row: m(e.row) } : e);
    case 'load':
      return f({ ...e, index: m(e.index), ...(e.col ? { col: m(e.col) } : {}) });
    case 'bin':
      return f({ ...e, left: m(e.left), right: m(e.right) });
    case 'un':
      return f({ ...e, arg: m(e.arg) });
    case 'call':
      return f({ ...e, args: e.args.map(m) });
    case 'select':
      return f({ ...e, cond: m(e.cond), then: m(e.then), else: m(e.else) });
  }
}

interface LoopFacts {
  /** Names the loop changes: its index, every name declared or assigned inside. */
  readonly variant: ReadonlySet<string>;
  /** The loop stores to some array. */
  readonly stores: boolean;
}

class Hoister {
  readonly counts = { lengths: 0, invariants: 0, rows: 0 };
  constructor(
    private readonly taken: Set<string>,
    /** Rank-2 parameters (their rows may be hoisted). */
    private readonly rank2: ReadonlySet<string>,
    /** Const tables (never stored). */
    private readonly consts: ReadonlySet<string>,
    /** Locals holding a row (loads from them may throw: never hoisted). */
    private readonly rowLocals = new Set<string>(),
  ) {}

  block(list: readonly Stmt[]): Stmt[] {
    return list.flatMap((s): Stmt[] => {
      if (s.kind === 'for') return this.loop(s);
      if (s.kind === 'if') return [{ ...s, then: this.block(s.then), else: this.block(s.else) }];
      return [s];
    });
  }

  /** Pure, non-throwing and unchanged by the loop. */
  private invariant(e: Expr, l: LoopFacts): boolean {
    switch (e.kind) {
      case 'const':
        return true;
      case 'var':
        return !l.variant.has(e.name);
      case 'len':
        if (e.row || this.rowLocals.has(e.array)) return false;
        return this.consts.has(e.array) || this.rank2.has(e.array) || !l.stores;
      case 'load':
        if (e.col || this.rowLocals.has(e.array) || this.rank2.has(e.array)) return false;
        return (this.consts.has(e.array) || !l.stores) && this.invariant(e.index, l);
      case 'bin':
        return this.invariant(e.left, l) && this.invariant(e.right, l);
      case 'un':
        return this.invariant(e.arg, l);
      case 'call':
        return e.args.every((a) => this.invariant(a, l));
      case 'select':
        return this.invariant(e.cond, l) && this.invariant(e.then, l) && this.invariant(e.else, l);
    }
  }

  private loop(st: ForStmt): Stmt[] {
    const facts: LoopFacts = {
      variant: new Set([st.index, ...declaredNames(st.body), ...assignedNames(st.body)]),
      stores: storedArrays(st.body).size > 0,
    };
    const pre: LetStmt[] = [];
    const memo = new Map<string, string>();
    const hoist = (e: Expr, base: string): string => {
      const key = JSON.stringify(e);
      let name = memo.get(key);
      if (!name) {
        name = fresh(base, this.taken);
        memo.set(key, name);
        pre.push({ kind: 'let', name, dtype: 'f64', init: e });
      }
      return name;
    };
    const rowOf = (array: string, index: Expr): string | undefined => {
      if (!this.rank2.has(array) || !this.invariant(index, facts)) return undefined;
      const before = pre.length;
      const name = hoist({ kind: 'load', array, index }, `${array}_row`);
      if (pre.length > before) {
        this.rowLocals.add(name);
        this.counts.rows++;
      }
      return name;
    };
    // Top-down: the largest invariant subexpression moves, its parts with it.
    const rewrite = (e: Expr): Expr => {
      if (e.kind === 'load' && e.col) {
        const row = rowOf(e.array, e.index);
        if (row) return { kind: 'load', array: row, index: rewrite(e.col) };
      }
      if (e.kind === 'len' && e.row) {
        const row = rowOf(e.array, e.row);
        if (row) return { kind: 'len', array: row };
      }
      if (e.kind !== 'const' && e.kind !== 'var' && !isBool(e) && this.invariant(e, facts)) {
        const before = pre.length;
        const name = hoist(e, 'inv');
        if (pre.length > before) this.counts.invariants++;
        return { kind: 'var', name };
      }
      return mapChildren(e, rewrite);
    };
    const storeRow = (s: StoreStmt): StoreStmt => {
      if (!s.col) return s;
      const row = rowOf(s.array, s.index);
      return row ? { kind: 'store', array: row, index: s.col, value: s.value } : s;
    };
    // The loop's own start and step are evaluated once: only its end (each iteration) and body count.
    const body = mapStmts(st.body, rewrite, storeRow);
    const loop: ForStmt = { ...st, end: rewrite(st.end), body: this.block(body) };
    return [...pre, loop];
  }
}

/** The direct children of `e` mapped through `f` (no recursion of its own). */
function mapChildren(e: Expr, f: (e: Expr) => Expr): Expr {
  switch (e.kind) {
    case 'const':
    case 'var':
      return e;
    case 'len':
      return e.row ? { ...e, row: f(e.row) } : e;
    case 'load':
      return { ...e, index: f(e.index), ...(e.col ? { col: f(e.col) } : {}) };
    case 'bin':
      return { ...e, left: f(e.left), right: f(e.right) };
    case 'un':
      return { ...e, arg: f(e.arg) };
    case 'call':
      return { ...e, args: e.args.map(f) };
    case 'select':
      return { ...e, cond: f(e.cond), then: f(e.then), else: f(e.else) };
  }
}

/**
 * The kernel's body and result with lengths read once at entry (every flat array's in the typed
 * clone; in the other clone only when the kernel stores to no array), loop invariants and rows hoisted.
 */
export function hoistKernel(k: Kernel, opts: HoistOptions): Hoisted {
  const taken = allNames(k);
  const rank2 = new Set(k.params.filter((p) => p.kind === 'array' && p.rank === 2).map((p) => p.name));
  const noStores = storedArrays(k.body).size === 0;
  const lens = new Map<string, string>();
  for (const p of k.params) {
    if (p.kind !== 'array') continue;
    // The outer array of rows is never stored to; a flat array's length is fixed when typed.
    if (p.rank === 2 || opts.typed || noStores) lens.set(p.name, fresh(`${p.name}_len`, taken));
  }
  const entry = (e: Expr): Expr =>
    mapExpr(e, (x) =>
      x.kind === 'len' && !x.row && lens.has(x.array) ? { kind: 'var', name: lens.get(x.array)! } : x,
    );
  const used = new Set<string>();
  const body = mapStmts(
    k.body,
    (e) => {
      const out = entry(e);
      collectVars(out, used);
      return out;
    },
    (s) => s,
  );
  const result: KernelResult =
    k.result.kind === 'scalar' ? { kind: 'scalar', expr: entry(k.result.expr) } : k.result;
  if (result.kind === 'scalar') collectVars(result.expr, used);
  const lets: Stmt[] = [...lens]
    .filter(([, name]) => used.has(name))
    .map(([array, name]) => ({ kind: 'let', name, dtype: 'i32', init: { kind: 'len', array } }));
  const h = new Hoister(taken, rank2, new Set(k.consts.map((c) => c.name)));
  const hoisted = h.block(body);
  return { body: [...lets, ...hoisted], result, counts: { ...h.counts, lengths: lets.length } };
}

function collectVars(e: Expr, into: Set<string>): void {
  mapExpr(e, (x) => {
    if (x.kind === 'var') into.add(x.name);
    return x;
  });
}
