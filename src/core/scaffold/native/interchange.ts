// Loop interchange of an FFT-stage nest in a fast copy (versioning.ts proved its accesses in range):
//
//   for (j = j0; j < K; j++) { pre; for (i = j; i < E; i += S) body; post }
//
// runs as a pass of `pre; post` over every j that keeps, per j, the values the body reads from them
// (fili's twiddles `c = cosTable[h]`, `s = sinTable[h]`), then the body block by block:
//
//   for (b = j0; b < E; b += S) for (j = j0; j < K && b + (j - j0) < E; j++) { i = b + (j - j0); body }
//
// The same (j, i) pairs run, each with the same operations in the same order — only the order of
// the pairs changes, so results are equal bit for bit when no two pairs touch one element of an
// array the body stores. That holds when every access to such an array is `i + o` (o fixed during
// the nest) and the offsets, sorted, lie at least K - j0 apart within a window shorter than S
// (`hotloop::blockFree`, checked at run time: fili's {0, k} with K = k, S = 2k), and when the arrays
// the nest stores share no memory with any other array it reads (checked at run time). Scalars the
// body assigns must be its own (set at its top before any read, read nowhere else in the kernel).
// The late FFT stages then walk each array once, contiguously, instead of K strided passes that
// thrash the cache (fili's 8,192-point forward transform: ×1.0 → ×4–5 against its JS).
import type { Expr, Kernel, Stmt } from '../../ir/types.js';
import { exprVars, someExpr, someStmt, stmtExprs, stmtUses, visitExpr, visitStmts } from '../../ir/walk.js';
import { countReads } from './versioning.js';
import type { ForStmt, NestPlan } from './versioning.js';

/** Inner trip counts below which the interchange is skipped (`K - j0 < MIN_BLOCK`: the plain nest). */
export const MIN_BLOCK = 4;

export interface InterchangePlan {
  /** J's statements before the inner loop (lets and assignments). */
  readonly pre: readonly Stmt[];
  /** The inner loop I (`i = j`, a step S and end E fixed during the nest). */
  readonly inner: ForStmt;
  /** J's statements after the inner loop (lets and assignments). */
  readonly post: readonly Stmt[];
  /** Names `pre`/`post` set that the body reads: kept per j by the first pass. */
  readonly snaps: readonly string[];
  /** The offset o of every access `i + o` to an array the body stores (`0` for `a[i]`). */
  readonly offsets: readonly Expr[];
  /** Pairs (array the body stores, another array the nest reads or stores) that must not overlap. */
  readonly disjoint: readonly (readonly [string, string])[];
}

/** The interchange of the fast loop `J` of `plan`, or undefined when it is not shown legal. */
export function planInterchange(
  J: ForStmt,
  plan: NestPlan,
  kernel: Kernel,
  isConst: (array: string) => boolean,
): InterchangePlan | undefined {
  if (J.step !== 1 || J.stepExpr) return undefined;
  const at = J.body.findIndex((s) => s.kind === 'for');
  if (at < 0 || J.body.slice(at + 1).some((s) => s.kind === 'for')) return undefined;
  const I = J.body[at] as ForStmt;
  const pre = J.body.slice(0, at);
  const post = J.body.slice(at + 1);
  const flat = (list: readonly Stmt[]): boolean => list.every((s) => s.kind === 'let' || s.kind === 'assign');
  if (I.step <= 0 || !flat(pre) || !flat(post) || someStmt(I.body, (s) => s.kind === 'for')) return undefined;
  const resolve = (e: Expr): Expr => substitute(e, plan);
  const start = resolve(I.start);
  if (start.kind !== 'var' || start.name !== J.index) return undefined;
  const nest = stmtUses([J]);
  const varying = new Set([...nest.assigns, ...nest.declares]);
  const fixed = (e: Expr): boolean =>
    !someExpr(e, (x) => x.kind === 'load' || (x.kind === 'var' && varying.has(x.name)));
  if (!fixed(resolve(I.end)) || (I.stepExpr && !fixed(resolve(I.stepExpr)))) return undefined;
  const body = stmtUses(I.body);
  const stored = body.stores;
  if (!stored.size) return undefined;
  const around = stmtUses([...pre, ...post]);
  if ([...around.loads].some((a) => stored.has(a))) return undefined;
  const setAround = new Set([...around.assigns, ...around.declares]);
  for (const n of body.assigns) if (setAround.has(n) || !ownScalar(I.body, n, kernel)) return undefined;
  const snaps = [...body.reads].filter((n) => setAround.has(n) && !body.declares.has(n));
  // Every access to a stored array is i + o; other arrays only must not overlap the stored ones.
  const offsets: Expr[] = [];
  const read = new Set<string>(around.loads);
  const refused = { any: false };
  const access = (array: string, index: Expr): void => {
    if (!stored.has(array)) {
      read.add(array);
      return;
    }
    const o = plan.gathers.has(index) ? undefined : offsetOf(resolve(index), I.index, fixed);
    if (!o) refused.any = true;
    else if (!offsets.some((x) => JSON.stringify(x) === JSON.stringify(o))) offsets.push(o);
  };
  visitStmts(I.body, (st) => {
    if (st.kind === 'store') access(st.array, st.index);
    if (st.kind === 'store' && st.col) refused.any = true;
    for (const e of stmtExprs(st))
      visitExpr(e, (x) => {
        if (x.kind === 'load') {
          if (x.col) refused.any = true;
          access(x.array, x.index);
        }
      });
  });
  if (refused.any) return undefined;
  const disjoint: [string, string][] = [];
  const others = [...new Set([...stored, ...read])].filter((a) => !isConst(a));
  for (const s of stored)
    for (const a of others) if (a !== s && !(stored.has(a) && a < s)) disjoint.push([s, a]);
  return { pre, inner: I, post, snaps, offsets, disjoint };
}

/** `e` with the nest's index lets (and set-once locals) replaced by their values. */
function substitute(e: Expr, plan: NestPlan): Expr {
  if (e.kind === 'var') {
    const k = plan.names.get(e.name);
    return k?.kind === 'let' ? substitute(k.init, plan) : e;
  }
  if (e.kind === 'bin') return { ...e, left: substitute(e.left, plan), right: substitute(e.right, plan) };
  if (e.kind === 'un') return { ...e, arg: substitute(e.arg, plan) };
  return e;
}

/** o when `index` is `i`, `i + o`, `o + i` or `i - o` with o fixed during the nest. */
function offsetOf(index: Expr, i: string, fixed: (e: Expr) => boolean): Expr | undefined {
  const isI = (e: Expr): boolean => e.kind === 'var' && e.name === i;
  if (isI(index)) return { kind: 'const', value: 0 };
  if (index.kind !== 'bin' || (index.op !== '+' && index.op !== '-')) return undefined;
  const { left, right } = index;
  if (isI(left) && fixed(right) && !exprVars(right).has(i))
    return index.op === '+' ? right : { kind: 'un', op: '-', arg: right };
  if (index.op === '+' && isI(right) && fixed(left) && !exprVars(left).has(i)) return left;
  return undefined;
}

/**
 * Whether the body owns scalar `n`: its first mention at the body's top level is an assignment whose
 * value does not read it, and the kernel reads it nowhere outside the body (nor in its result).
 */
function ownScalar(body: readonly Stmt[], n: string, kernel: Kernel): boolean {
  const at = body.findIndex((s) => s.kind === 'assign' && s.name === n);
  if (at < 0 || countReads(body.slice(0, at + 1), n) !== 0) return false;
  if (kernel.result.kind === 'scalar' && exprVars(kernel.result.expr).has(n)) return false;
  return countReads(kernel.body, n) === countReads(body, n);
}
