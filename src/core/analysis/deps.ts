// Dependence analysis of one lowered loop: which outer scalars are reductions, scans, private
// temporaries or last values; which arrays carry a dependence; whether iterations are independent.
import type { BinOp, Expr, Reduction, Stmt } from '../ir/types.js';
import {
  allExprs,
  assignedNames,
  declaredNames,
  hasLoad,
  readsVar,
  sameExpr,
  someExpr,
  someStmt,
  stmtExprs,
  visitExpr,
  visitStmts,
} from './irUtil.js';
import { reject } from './lowerCtx.js';

export interface LoopDeps {
  readonly reductions: readonly Reduction[];
  /** Scalars updated like a reduction but also read in the loop (prefix sums, compaction counters). */
  readonly scans: readonly string[];
  /** Arrays read at an index other than the one written (out[i] from out[i-1]). */
  readonly carriedArrays: readonly string[];
  /** Scalars only written (last value wins) or conditionally updated companions (argmax index). */
  readonly lastValues: readonly string[];
  /**
   * Scalars carried from one iteration to the next in another way (`s = s * k + a[i]`, a counter
   * stepped under a condition): the loop is sequential, run in order by the targets that run it.
   */
  readonly carriedScalars: readonly string[];
  readonly parallel: boolean;
  /** A float accumulation whose result depends on evaluation order. */
  readonly floatAccum: boolean;
}

type Op = Reduction['op'];

/** `v = v op e` / `v = e op v` / `v = Math.min(v, e)`: the reduction op, or undefined. */
function updateOp(value: Expr, v: string): Op | undefined {
  const isV = (e: Expr): boolean => e.kind === 'var' && e.name === v;
  if (value.kind === 'bin') {
    const { op, left, right } = value;
    if ((op === '+' || op === '-') && isV(left) && !readsVar(right, v)) return 'sum';
    if (op === '+' && isV(right) && !readsVar(left, v)) return 'sum';
    if (op === '*' && isV(left) && !readsVar(right, v)) return 'prod';
    if (op === '*' && isV(right) && !readsVar(left, v)) return 'prod';
  }
  if (value.kind === 'call' && (value.fn === 'min' || value.fn === 'max') && value.args.length === 2) {
    const [a, b] = value.args as [Expr, Expr];
    if ((isV(a) && !readsVar(b, v)) || (isV(b) && !readsVar(a, v))) return value.fn;
  }
  return undefined;
}

/** `if (e > v) v = e` (max) / `if (e < v) v = e` (min): the op, when `s` is such an if for `v`. */
function guardedOp(s: Stmt, v: string): Op | undefined {
  if (s.kind !== 'if' || s.else.length > 0 || s.cond.kind !== 'bin') return undefined;
  const { op, left, right } = s.cond;
  const cmp: Partial<Record<BinOp, 'gt' | 'lt'>> = { '>': 'gt', '>=': 'gt', '<': 'lt', '<=': 'lt' };
  const dir = cmp[op];
  if (!dir) return undefined;
  let e: Expr;
  let flip: boolean;
  if (right.kind === 'var' && right.name === v && !readsVar(left, v)) {
    e = left;
    flip = false;
  } else if (left.kind === 'var' && left.name === v && !readsVar(right, v)) {
    e = right;
    flip = true;
  } else return undefined;
  const upd = s.then.find((t) => t.kind === 'assign' && t.name === v);
  if (!upd || upd.kind !== 'assign' || !sameExpr(upd.value, e)) return undefined;
  if (s.then.filter((t) => t.kind === 'assign' && t.name === v).length !== 1) return undefined;
  return (dir === 'gt') !== flip ? 'max' : 'min';
}

function countReads(exprs: readonly Expr[], v: string): number {
  let n = 0;
  for (const e of exprs)
    visitExpr(e, (x) => {
      if (x.kind === 'var' && x.name === v) n++;
    });
  return n;
}

/** True when the first top-level statement touching `v` assigns it without reading it. */
function isPrivate(body: readonly Stmt[], v: string): boolean {
  for (const s of body) {
    const touches = someStmt(
      [s],
      (t) => (t.kind === 'assign' && t.name === v) || stmtExprs(t).some((e) => readsVar(e, v)),
    );
    if (!touches) continue;
    return s.kind === 'assign' && s.name === v && !readsVar(s.value, v);
  }
  return false;
}

/** True when every list that assigns `v` ends with a break/return/throw (nested loops excluded). */
function onlyBeforeExit(list: readonly Stmt[], v: string): boolean {
  const assigns = list.some((s) => s.kind === 'assign' && s.name === v);
  const last = list.at(-1)?.kind;
  if (assigns && last !== 'break' && last !== 'return' && last !== 'throw') return false;
  return list.every((s) =>
    s.kind === 'for'
      ? !assignedNames(s.body).has(v)
      : s.kind !== 'if' || (onlyBeforeExit(s.then, v) && onlyBeforeExit(s.else, v)),
  );
}

function classifyScalar(
  body: readonly Stmt[],
  v: string,
): { kind: 'reduction'; op: Op } | { kind: 'scan' | 'private' | 'last' | 'carried' } {
  const exprs = allExprs(body);
  const reads = countReads(exprs, v);
  if (isPrivate(body, v)) return { kind: 'private' };
  if (reads === 0) {
    // Written only under a condition (the index of an argmin): the last matching iteration wins.
    if (body.some((s) => s.kind === 'assign' && s.name === v)) return { kind: 'last' };
    // Written just before the loop exits (`found = i; break;`): the first match, set once.
    if (onlyBeforeExit(body, v)) return { kind: 'last' };
    // Conditionally updated companions (`if (…) k = i`): the value of the last update wins, in order.
    return { kind: 'last' };
  }
  const ops = new Set<Op>();
  let owned = 0;
  const form = { all: true };
  const guarded = new Set<Stmt>();
  visitStmts(body, (s) => {
    const g = guardedOp(s, v);
    if (g) {
      ops.add(g);
      owned++;
      for (const t of s.kind === 'if' ? s.then : []) if (t.kind === 'assign' && t.name === v) guarded.add(t);
    }
  });
  visitStmts(body, (s) => {
    if (s.kind !== 'assign' || s.name !== v || guarded.has(s)) return;
    const op = updateOp(s.value, v);
    if (op) {
      ops.add(op);
      owned++;
    } else form.all = false;
  });
  if (form.all && ops.size === 1) {
    const op = [...ops][0]!;
    return reads === owned ? { kind: 'reduction', op } : { kind: 'scan' };
  }
  // A recurrence (`s = s * k + a[i]`, `p = p * x + c[i]`, a conditional max with its index): the
  // loop runs in order, which every target that runs it does (workers and the GPU decline it).
  return { kind: 'carried' };
}

/** Top-level `+` terms of an index expression. */
function terms(e: Expr): Expr[] {
  return e.kind === 'bin' && (e.op === '+' || e.op === '-') ? [...terms(e.left), ...terms(e.right)] : [e];
}

function isAffineSafe(index: Expr, i: string, inner: ReadonlySet<string>): boolean {
  if (!readsVar(index, i) || hasLoad(index)) return false;
  if (
    someExpr(
      index,
      (x) =>
        x.kind === 'call' || x.kind === 'select' || (x.kind === 'bin' && !['+', '-', '*'].includes(x.op)),
    )
  )
    return false;
  const ts = terms(index);
  const mentionsInner = ts.some((t) => [...inner].some((n) => readsVar(t, n) && !readsVar(t, i)));
  const bare = ts.some((t) => t.kind === 'var' && t.name === i);
  return !(mentionsInner && bare);
}

/** `base + k` / `base - k` / `base` with a constant `k`: the base and the offset. */
function offsetOf(e: Expr): { base: Expr; k: number } {
  if (e.kind === 'bin' && (e.op === '+' || e.op === '-') && e.right.kind === 'const') {
    const k = typeof e.right.value === 'number' ? e.right.value : NaN;
    return { base: e.left, k: e.op === '+' ? k : -k };
  }
  return { base: e, k: 0 };
}

/** `c * i` / `i * c` with a constant `c`: |c|, else 1 (a bare `i`, or anything else: no room between). */
function strideOf(base: Expr, i: string): number {
  if (base.kind !== 'bin' || base.op !== '*') return 1;
  const [c, x] = base.left.kind === 'const' ? [base.left, base.right] : [base.right, base.left];
  if (c.kind !== 'const' || typeof c.value !== 'number' || x.kind !== 'var' || x.name !== i) return 1;
  return Math.abs(c.value);
}

/**
 * True when the distinct write indices of one array can never meet across iterations: one index, or
 * `c*i + k1`, `c*i + k2`… with the same base and offsets less than |c| apart (`re[2*i]`, `re[2*i + 1]`).
 */
function disjointWrites(idx: readonly Expr[], i: string): boolean {
  const distinct = idx.filter((w, n) => idx.findIndex((x) => sameExpr(x, w)) === n);
  if (distinct.length <= 1) return true;
  const parts = distinct.map(offsetOf);
  const base = parts[0]!.base;
  if (!parts.every((p) => sameExpr(p.base, base) && Number.isInteger(p.k))) return false;
  const ks = parts.map((p) => p.k);
  return Math.max(...ks) - Math.min(...ks) < strideOf(base, i);
}

/** Analyses one loop (index `i`, `body`); rejects a loop-carried dependence that is not a reduction. */
export function loopDeps(
  body: readonly Stmt[],
  i: string,
  floatVar: (name: string) => boolean,
  floatArray: (name: string) => boolean,
): LoopDeps {
  const inner = declaredNames(body);
  const outer = [...assignedNames(body)].filter((n) => !inner.has(n));
  if (outer.includes(i)) reject('unsupported-syntax', `the loop index ${i} is modified inside the loop`);
  const reductions: Reduction[] = [];
  const scans: string[] = [];
  const lastValues: string[] = [];
  const carriedScalars: string[] = [];
  let floatAccum = false;
  rejectCompensated(body, outer);
  for (const name of outer) {
    const k = classifyScalar(body, name);
    if (k.kind === 'reduction') {
      reductions.push({ name, op: k.op });
      if ((k.op === 'sum' || k.op === 'prod') && floatVar(name)) floatAccum = true;
    } else if (k.kind === 'scan') {
      scans.push(name);
      if (floatVar(name)) floatAccum = true;
    } else if (k.kind === 'last') lastValues.push(name);
    else if (k.kind === 'carried') {
      carriedScalars.push(name);
      if (floatVar(name)) floatAccum = true;
    }
  }
  const carriedArrays: string[] = [];
  const tainted = taintedLocals(body);
  let arraysSafe = true;
  const writes = new Map<string, Expr[]>();
  const stores: Extract<Stmt, { kind: 'store' }>[] = [];
  visitStmts(body, (s) => {
    if (s.kind !== 'store') return;
    stores.push(s);
    writes.set(s.array, [...(writes.get(s.array) ?? []), s.index]);
  });
  for (const [array, idx] of writes) {
    const reads: Expr[] = [];
    for (const e of allExprs(body))
      visitExpr(e, (x) => {
        if (x.kind === 'load' && x.array === array) reads.push(x.index);
      });
    // Elements other iterations write (`y[i] = c * y[i - 1] + x[i]`), or a scatter to a data-dependent
    // index (`counts[bin[i]]++`): exact when run in order, so the loop is sequential.
    // Two write indices (`a[i]`, `a[i - 1]`) that other iterations' may hit carry a dependence too.
    if (
      reads.some((r) => !idx.some((w) => sameExpr(r, w))) ||
      idx.some((w) => dataDependent(w, tainted)) ||
      !disjointWrites(idx, i)
    ) {
      carriedArrays.push(array);
      if (floatArray(array)) floatAccum = true;
    }
    if (!idx.every((w) => isAffineSafe(w, i, inner))) arraysSafe = false;
    const accumulates = stores.some(
      (s) =>
        s.array === array &&
        !readsVar(s.index, i) &&
        s.value.kind === 'bin' &&
        (s.value.op === '+' || s.value.op === '-' || s.value.op === '*') &&
        readsLoadOf(s.value, array),
    );
    if (accumulates && floatArray(array)) floatAccum = true;
  }
  const parallel =
    scans.length === 0 &&
    lastValues.length === 0 &&
    carriedScalars.length === 0 &&
    carriedArrays.length === 0 &&
    arraysSafe;
  return { reductions, scans, carriedArrays, lastValues, carriedScalars, parallel, floatAccum };
}

/** The value of each local the body defines exactly once (`let t = s + y`), by name. */
function definitions(body: readonly Stmt[]): Map<string, Expr> {
  const defs = new Map<string, Expr>();
  const count = new Map<string, number>();
  visitStmts(body, (s) => {
    if (s.kind === 'let' || s.kind === 'assign') {
      const name = s.name;
      count.set(name, (count.get(name) ?? 0) + 1);
      defs.set(name, s.kind === 'let' ? s.init : s.value);
    }
  });
  for (const [name, n] of count) if (n > 1 || readsVar(defs.get(name)!, name)) defs.delete(name);
  return defs;
}

/** The operands of `e` as a sum or difference, looking through single definitions. */
function sumOperands(e: Expr, defs: ReadonlyMap<string, Expr>): Expr[] {
  const x = e.kind === 'var' ? (defs.get(e.name) ?? e) : e;
  return x.kind === 'bin' && (x.op === '+' || x.op === '-') ? [x.left, x.right] : [];
}

/**
 * Compensated (Kahan, Neumaier, TwoSum) summation: a carried scalar computed from `(s + y) - s`-like
 * differences, whose value is the rounding error of a sum. It is exact only as written, and one
 * reassociating compiler flag or vector lane away from silently becoming a plain sum: refused.
 */
function rejectCompensated(body: readonly Stmt[], outer: readonly string[]): void {
  const defs = definitions(body);
  const isErrorTerm = (x: Expr): boolean => {
    if (x.kind !== 'bin' || x.op !== '-') return false;
    const { left, right } = x;
    if (left.kind === 'const' || right.kind === 'const') return false;
    return (
      sumOperands(left, defs).some((o) => sameExpr(o, right)) ||
      sumOperands(right, defs).some((o) => sameExpr(o, left))
    );
  };
  visitStmts(body, (s) => {
    if (s.kind !== 'assign' || !outer.includes(s.name)) return;
    if (
      someExpr(s.value, isErrorTerm) ||
      (s.value.kind === 'var' && someExpr(defs.get(s.value.name) ?? s.value, isErrorTerm))
    )
      reject(
        'loop-carried',
        `compensated summation: ${s.name} carries the rounding error of a sum, which only the exact order of operations keeps`,
      );
  });
}

function readsLoadOf(e: Expr, array: string): boolean {
  let hit = false;
  visitExpr(e, (x) => {
    if (x.kind === 'load' && x.array === array) hit = true;
  });
  return hit;
}

/** Locals whose value depends on array contents (directly or through other locals). */
function taintedLocals(body: readonly Stmt[]): Set<string> {
  const out = new Set<string>();
  for (let changed = true; changed;) {
    changed = false;
    visitStmts(body, (s) => {
      const target = s.kind === 'let' ? s.name : s.kind === 'assign' ? s.name : undefined;
      const value = s.kind === 'let' ? s.init : s.kind === 'assign' ? s.value : undefined;
      if (target && value && !out.has(target) && dataDependent(value, out)) {
        out.add(target);
        changed = true;
      }
    });
  }
  return out;
}

function dataDependent(e: Expr, tainted: ReadonlySet<string>): boolean {
  let hit = false;
  visitExpr(e, (x) => {
    if (x.kind === 'load' || (x.kind === 'var' && tainted.has(x.name))) hit = true;
  });
  return hit;
}
