// Loop versioning for the native target. A loop nest whose every array index (and every loop
// bound) is an integer polynomial of its loop indices and of values fixed during the nest (scalar
// arguments, outer indices, array lengths) gets a guard at entry: interval arithmetic over the
// nest's index ranges, evaluated at run time, proves every access in range and every intermediate
// an exact integer (|x| ≤ 2⁵²). When it holds, a fast copy of the nest runs with int64 indices and
// unchecked element access (raw pointers, countable loops gcc -O3 can vectorise); otherwise the
// bounds-checked copy runs, with JS's out-of-range behaviour. Nothing is reassociated: the fast
// copy performs the same operations in the same order (unroll-and-jam below keeps each
// accumulator's order and only runs when the arrays it reorders are proven disjoint at run time).
import type { Expr, Stmt } from '../../ir/types.js';
import { numLitValue } from '../../ir/numLit.js';
import { someStmt, stmtExprs, stmtUses, visitExpr, visitStmts } from '../../ir/walk.js';
import { touchesRows } from '../common/support.js';

export type ForStmt = Extract<Stmt, { kind: 'for' }>;

/** How a name that an index expression reads is evaluated in the fast copy. */
export type IndexName =
  | { readonly kind: 'loop' } // an index of a loop of the nest (int64)
  | { readonly kind: 'outer' } // an int64 loop index from outside the nest (fixed during it)
  | { readonly kind: 'inv' } // a double fixed during the nest: checked integral, hoisted to int64
  | { readonly kind: 'let'; readonly init: Expr }; // a nest-local `let` never reassigned: its init, substituted

export interface NestPlan {
  readonly root: ForStmt;
  readonly names: ReadonlyMap<string, IndexName>;
  /** Every loop of the nest, outer ones first. */
  readonly loops: readonly ForStmt[];
  /** Every element access of the nest (loads anywhere, stores) whose index the guard bounds. */
  readonly accesses: readonly { readonly array: string; readonly index: Expr }[];
  /**
   * Index expressions (by identity) of the accesses the guard cannot bound — a gather or scatter
   * through another array (`buffer[reverseTable[i]]`, dsp.js's FFT), a local the loop assigns, a
   * fraction: the fast copy keeps these bounds-checked, all the others unchecked.
   */
  readonly gathers: ReadonlySet<Expr>;
  /** Doubles from outside the nest that index expressions read (guard: integral and small). */
  readonly invariants: readonly string[];
  /**
   * The run-time steps of the nest's loops (`i += dim`, fili's `i += k2`), each reading only values
   * fixed during the nest: read once at its entry, the guard holds each to a whole number ≥ 1, and a
   * root loop with one must run at least {@link MIN_STRIDED_TRIPS} times (a shorter one goes straight
   * to the checked copy: the guard would cost more than it saves). A stepped loop's index interval
   * ends at its last value (`ivLoopStep`), not at end - 1.
   */
  readonly steps: ReadonlyMap<ForStmt, Expr>;
}

/** Iterations below which a loop with a run-time step skips its guard and runs checked. */
export const MIN_STRIDED_TRIPS = 8;

/** Largest magnitude kept for an index or any intermediate: doubles and int64 agree exactly below it. */
export const INDEX_BOUND = 2 ** 52;

/** Whether an expression is an int64 in the checked emitter (int literals, int64 names, + − × of them). */
function isIntExpr(e: Expr, intName: (n: string) => boolean): boolean {
  switch (e.kind) {
    case 'const': {
      const v = numLitValue(e.value);
      return Number.isInteger(v) && Math.abs(v) < 2 ** 31 && !Object.is(v, -0);
    }
    case 'var':
      return intName(e.name);
    case 'bin':
      return (
        (e.op === '+' || e.op === '-' || e.op === '*') &&
        isIntExpr(e.left, intName) &&
        isIntExpr(e.right, intName)
      );
    default:
      return false;
  }
}

/** Every element load in `e` (pre-order), with its index. */
function exprLoads(e: Expr, out: { array: string; index: Expr }[]): void {
  visitExpr(e, (x) => {
    if (x.kind === 'load') out.push({ array: x.array, index: x.index });
  });
}

/**
 * The plan for versioning the nest rooted at `root`, or undefined when some index or bound is not
 * an integer polynomial the guard can bound. `scopeTy` gives the emitter's type of a name visible
 * at the nest's entry (undefined when not visible).
 */
export function planNest(
  root: ForStmt,
  scopeTy: (name: string) => 'f64' | 'i64' | 'bool' | undefined,
): NestPlan | undefined {
  const loops: ForStmt[] = [];
  const lets = new Map<string, Expr>();
  const declared = new Map<string, number>();
  const accesses: { array: string; index: Expr }[] = [];
  const assigned = stmtUses([root]).assigns;
  const declare = (n: string): void => {
    declared.set(n, (declared.get(n) ?? 0) + 1);
  };
  visitStmts([root], (st) => {
    switch (st.kind) {
      case 'for':
        loops.push(st);
        declare(st.index);
        exprLoads(st.start, accesses);
        exprLoads(st.end, accesses);
        break;
      case 'let':
        declare(st.name);
        lets.set(st.name, st.init);
        exprLoads(st.init, accesses);
        break;
      case 'assign':
        exprLoads(st.value, accesses);
        break;
      case 'store':
        accesses.push({ array: st.array, index: st.index });
        exprLoads(st.index, accesses);
        exprLoads(st.value, accesses);
        break;
      case 'if':
        exprLoads(st.cond, accesses);
        break;
    }
  });
  // Rows of rank-2 arrays are reached through their checked views (no hoisted pointer per row).
  if (touchesRows([root])) return undefined;
  // A nest that exits early keeps its one checked copy (the fast copy assumes every iteration runs).
  if (
    someStmt(
      [root],
      (s) => s.kind === 'break' || s.kind === 'continue' || s.kind === 'return' || s.kind === 'throw',
    )
  )
    return undefined;
  // A name declared twice in the nest, or shadowing a visible one, is ambiguous: never an index operand.
  const unique = (n: string): boolean => declared.get(n) === 1 && scopeTy(n) === undefined;
  const names = new Map<string, IndexName>();
  for (const l of loops) {
    // Ascending loops; a run-time step is read once at the nest's entry, before the guard.
    if (!unique(l.index) || !Number.isInteger(l.step) || l.step <= 0 || l.step > 2 ** 20) return undefined;
    names.set(l.index, { kind: 'loop' });
  }
  const invariants: string[] = [];
  const resolve = (n: string, seen: Set<string>): boolean => {
    if (names.has(n)) return true;
    if (declared.has(n)) {
      const init = lets.get(n);
      if (!unique(n) || assigned.has(n) || !init || seen.has(n)) return false;
      seen.add(n);
      const ok = indexable(init, seen);
      seen.delete(n);
      if (ok) names.set(n, { kind: 'let', init });
      return ok;
    }
    const ty = scopeTy(n);
    // A variable of outside the nest that one statement sets at the top of a loop body, read only
    // after it in that body (fili's `ik = i + k` before `re[ik]`): where an index reads it, its value
    // expression stands for it, as a let's does (the assignment itself still runs).
    const once = ty === 'f64' && !seen.has(n) ? setOnceBeforeReads(root, n, assigned) : undefined;
    if (once) {
      seen.add(n);
      const ok = indexable(once, seen);
      seen.delete(n);
      if (ok) names.set(n, { kind: 'let', init: once });
      return ok;
    }
    if (!ty || ty === 'bool' || assigned.has(n)) return false;
    names.set(n, { kind: ty === 'i64' ? 'outer' : 'inv' });
    if (ty === 'f64') invariants.push(n);
    return true;
  };
  const indexable = (e: Expr, seen: Set<string> = new Set()): boolean => {
    switch (e.kind) {
      case 'const': {
        const v = numLitValue(e.value);
        return Number.isInteger(v) && Math.abs(v) <= INDEX_BOUND;
      }
      case 'var':
        return resolve(e.name, seen);
      case 'len':
        return true;
      case 'bin':
        return (
          (e.op === '+' || e.op === '-' || e.op === '*') &&
          indexable(e.left, seen) &&
          indexable(e.right, seen)
        );
      case 'un':
        return (e.op === '-' || e.op === '+') && indexable(e.arg, seen);
      default:
        return false;
    }
  };
  // Loops must be int64 loops of the checked emitter (so both copies count the same way); a run-time
  // step's loop is one there when its start and step are whole (the guard checks both). Its step reads
  // only values fixed during the nest (not an index of it, nothing it assigns or declares).
  const intName = (n: string): boolean => names.get(n)?.kind === 'loop' || scopeTy(n) === 'i64';
  const stepOk = (e: Expr): boolean =>
    [...stmtUses([{ kind: 'assign', name: '', value: e }]).reads].every(
      (n) => !assigned.has(n) && !declared.has(n) && scopeTy(n) !== undefined && scopeTy(n) !== 'bool',
    );
  const steps = new Map<ForStmt, Expr>();
  for (const l of loops) {
    if (!l.stepExpr) continue;
    if (!stepOk(l.stepExpr)) return undefined;
    steps.set(l, l.stepExpr);
  }
  for (const l of loops) {
    if (!(l.stepExpr || isIntExpr(l.start, intName)) || !indexable(l.start) || !indexable(l.end))
      return undefined;
    // A bound reads only names fixed before the loop starts (not its own index, nothing inside it).
    const inside = stmtUses([l]).declares;
    const reads = stmtUses([
      { kind: 'assign', name: '', value: { kind: 'bin', op: '+', left: l.start, right: l.end } },
    ]).reads;
    if ([...reads].some((n) => inside.has(n))) return undefined;
  }
  // An index the guard cannot bound — one that reads an array element (a gather), a local the loop
  // assigns (`j = twiddle[i]; re[j]`, fili's Fft.inverse), a fraction (`a[i / 2]`) — stays checked
  // in the fast copy: the same exact f64 access as the checked copy (undefined → NaN, a store past
  // the end or at a fraction writes nothing); the guard proves the others.
  const gathers = new Set<Expr>();
  const proven: { array: string; index: Expr }[] = [];
  for (const a of accesses) {
    if (indexable(a.index)) proven.push(a);
    else gathers.add(a.index);
  }
  return {
    root,
    names,
    loops,
    accesses: proven,
    invariants,
    gathers,
    steps,
  };
}

/**
 * The value of `n` when the nest sets it with one `assign` at the top level of a loop body and reads
 * it only after that statement in the same body (any depth), the value reading neither `n` nor
 * anything the nest assigns; undefined otherwise.
 */
function setOnceBeforeReads(root: ForStmt, n: string, assigned: ReadonlySet<string>): Expr | undefined {
  let found: { body: readonly Stmt[]; at: number } | undefined;
  let count = 0;
  visitStmts([root], (st) => {
    if (st.kind === 'assign' && st.name === n) count++;
    if (st.kind !== 'for') return;
    const at = st.body.findIndex((x) => x.kind === 'assign' && x.name === n);
    if (at >= 0) found = { body: st.body, at };
  });
  if (count !== 1 || !found) return undefined;
  const { body, at } = found;
  const value = (body[at] as Extract<Stmt, { kind: 'assign' }>).value;
  const valueReads = stmtUses([{ kind: 'assign', name: '', value }]).reads;
  if ([...valueReads].some((x) => assigned.has(x))) return undefined;
  // Every read comes after the statement in its body (one before it, in its own value or outside
  // that body would see the previous value).
  return countReads([root], n) === countReads(body.slice(at + 1), n) ? value : undefined;
}

/** How many times the statements read the name `n` (in expressions, at any depth). */
export function countReads(list: readonly Stmt[], n: string): number {
  let k = 0;
  visitStmts(list, (st) => {
    for (const e of stmtExprs(st))
      visitExpr(e, (x) => {
        if (x.kind === 'var' && x.name === n) k++;
      });
  });
  return k;
}

/** Index arithmetic of an indexable expression, as int64 C++ (exact: the guard bounded every intermediate). */
export function indexCode(
  e: Expr,
  plan: NestPlan,
  name: (n: string) => string,
  len: (array: string) => string,
): string {
  const rec = (x: Expr): string => indexCode(x, plan, name, len);
  switch (e.kind) {
    case 'const':
      return `INT64_C(${numLitValue(e.value) || 0})`;
    case 'var': {
      const k = plan.names.get(e.name);
      if (k?.kind === 'let') return rec(k.init);
      if (k?.kind === 'inv') return invName(e.name, name);
      return name(e.name);
    }
    case 'len':
      return `static_cast<int64_t>(${len(e.array)})`;
    case 'bin':
      return `(${rec(e.left)} ${e.op} ${rec(e.right)})`;
    case 'un':
      return e.op === '-' ? `(-${rec(e.arg)})` : rec(e.arg);
    default:
      throw new Error(`native emitter: ${e.kind} is not an index expression`);
  }
}

/** The hoisted int64 copy of an invariant double. */
export function invName(n: string, name: (n: string) => string): string {
  return `hl_n_${name(n)}`;
}

/** Interval arithmetic of an indexable expression, as a `hotloop::Iv` C++ expression over doubles. */
export function intervalCode(
  e: Expr,
  plan: NestPlan,
  name: (n: string) => string,
  loopIv: (n: string) => string,
  len: (array: string) => string,
): string {
  const rec = (x: Expr): string => intervalCode(x, plan, name, loopIv, len);
  switch (e.kind) {
    case 'const':
      return `hotloop::ivPoint(${numLitValue(e.value) || 0}.0)`;
    case 'var': {
      const k = plan.names.get(e.name);
      if (k?.kind === 'let') return rec(k.init);
      if (k?.kind === 'loop') return loopIv(e.name);
      if (k?.kind === 'outer') return `hotloop::ivPoint(static_cast<double>(${name(e.name)}))`;
      return `hotloop::ivPoint(${name(e.name)})`;
    }
    case 'len':
      return `hotloop::ivPoint(static_cast<double>(${len(e.array)}))`;
    case 'bin': {
      const f = e.op === '+' ? 'ivAdd' : e.op === '-' ? 'ivSub' : 'ivMul';
      return `hotloop::${f}(${rec(e.left)}, ${rec(e.right)})`;
    }
    case 'un':
      return e.op === '-' ? `hotloop::ivSub(hotloop::ivPoint(0.0), ${rec(e.arg)})` : rec(e.arg);
    default:
      throw new Error(`native emitter: ${e.kind} is not an index expression`);
  }
}

/**
 * Unroll-and-jam of a fast loop L whose body is `lets; for P { lets/assigns }; lets/assigns/stores`
 * (gemm's j loop over a dot product, gemv's row loop): U consecutive iterations run together, each
 * with its own copy of the per-iteration locals, so the U independent accumulations (each in its
 * own, unchanged order) fill the pipeline and vectorise across iterations. Legal when nothing
 * before the stores writes memory, the stores' arrays are not read before them (by name, and by
 * memory: checked at run time), and no scalar flows from one iteration to the next.
 */
export interface JamPlan {
  readonly pre: readonly Extract<Stmt, { kind: 'let' }>[];
  readonly inner: ForStmt;
  readonly post: readonly Stmt[];
  /** Pairs (stored array, array read before the stores) whose data must not overlap. */
  readonly disjoint: readonly (readonly [string, string])[];
}

export function planJam(loop: ForStmt): JamPlan | undefined {
  const body = loop.body;
  const at = body.findIndex((s) => s.kind === 'for');
  if (at < 0 || body.slice(at + 1).some((s) => s.kind === 'for')) return undefined;
  const pre = body.slice(0, at);
  const inner = body[at] as ForStmt;
  const post = body.slice(at + 1);
  if (loop.step <= 0 || loop.stepExpr || inner.step <= 0 || inner.stepExpr) return undefined;
  if (!pre.every((s) => s.kind === 'let')) return undefined;
  if (!inner.body.every((s) => s.kind === 'let' || s.kind === 'assign')) return undefined;
  if (!post.every((s) => s.kind === 'let' || s.kind === 'assign' || s.kind === 'store')) return undefined;
  const preNames = new Set(pre.map((s) => (s as { name: string }).name));
  const innerUses = stmtUses(inner.body);
  const postUses = stmtUses(post);
  // Scalars assigned must be this iteration's own locals.
  for (const n of innerUses.assigns) if (!preNames.has(n) && !innerUses.declares.has(n)) return undefined;
  for (const n of postUses.assigns) if (!preNames.has(n) && !postUses.declares.has(n)) return undefined;
  // The inner loop's range is the same for every jammed iteration.
  const bounds = stmtUses([
    {
      kind: 'let',
      name: '',
      dtype: 'f64',
      init: { kind: 'bin', op: '+', left: inner.start, right: inner.end },
    },
  ]);
  if (bounds.reads.has(loop.index) || [...preNames].some((n) => bounds.reads.has(n))) return undefined;
  const before = stmtUses(pre);
  stmtUses([inner], before);
  const stored = postUses.stores;
  if (!stored.size || !innerUses.assigns.size) return undefined;
  const disjoint: [string, string][] = [];
  for (const s of stored) {
    for (const r of before.loads) {
      if (r === s) return undefined;
      disjoint.push([s, r]);
    }
  }
  return { pre: pre, inner, post, disjoint };
}
