// Recognising the pattern of a lowered kernel: map, reduce, map-reduce, scan, stencil, gemv, gemm,
// conv or another nest. Heuristics over the IR, documented per case.
import type { Expr, Pattern, Stmt } from '../ir/types.js';
import type { LoopDeps } from './deps.js';
import {
  allExprs,
  assignedNames,
  declaredNames,
  readsVar,
  sameExpr,
  visitExpr,
  visitStmts,
} from './irUtil.js';

type ForStmt = Extract<Stmt, { kind: 'for' }>;

function topLoops(body: readonly Stmt[]): ForStmt[] {
  const out: ForStmt[] = [];
  for (const s of body) {
    if (s.kind === 'for') out.push(s);
    else if (s.kind === 'if') out.push(...topLoops(s.then), ...topLoops(s.else));
  }
  return out;
}

function nestDepth(s: ForStmt): number {
  let d = 0;
  visitStmts(s.body, (t) => {
    if (t.kind === 'for') d = Math.max(d, nestDepth(t));
  });
  return d + 1;
}

function loops(s: ForStmt): ForStmt[] {
  const out: ForStmt[] = [s];
  visitStmts(s.body, (t) => {
    if (t.kind === 'for') out.push(t);
  });
  return out;
}

function loads(list: readonly Stmt[]): { array: string; index: Expr }[] {
  const out: { array: string; index: Expr }[] = [];
  for (const e of allExprs(list))
    visitExpr(e, (x) => {
      if (x.kind === 'load') out.push({ array: x.array, index: x.index });
    });
  return out;
}

function stores(list: readonly Stmt[]): Extract<Stmt, { kind: 'store' }>[] {
  const out: Extract<Stmt, { kind: 'store' }>[] = [];
  visitStmts(list, (s) => {
    if (s.kind === 'store') out.push(s);
  });
  return out;
}

function isProductOfLoads(e: Expr, lets: ReadonlyMap<string, Expr>): { a: Expr; b: Expr } | undefined {
  if (e.kind !== 'bin' || e.op !== '*') return undefined;
  const load = (x: Expr): Expr | undefined => {
    const y = x.kind === 'var' ? lets.get(x.name) : x;
    return y?.kind === 'load' ? y.index : undefined;
  };
  const a = load(e.left);
  const b = load(e.right);
  return a && b ? { a, b } : undefined;
}

function letInits(list: readonly Stmt[]): Map<string, Expr> {
  const out = new Map<string, Expr>();
  visitStmts(list, (s) => {
    if (s.kind === 'let') out.set(s.name, s.init);
  });
  return out;
}

/** A stencil: some store `out[e]` and a load `in[e ± d]` (d loop-invariant, e.g. a constant or the row width). */
function isStencil(top: ForStmt): boolean {
  const varying = new Set([top.index, ...declaredNames(top.body)]);
  const base = (e: Expr): Expr => {
    if (e.kind === 'bin' && (e.op === '+' || e.op === '-') && ![...varying].some((n) => readsVar(e.right, n)))
      return base(e.left);
    return e;
  };
  const st = stores(top.body);
  // A load at exactly some store's index is a copy, not a neighbour read.
  return loads(top.body).some(
    (l) => !st.some((s) => sameExpr(l.index, s.index)) && st.some((s) => sameExpr(base(l.index), s.index)),
  );
}

/** Update terms (`e` of `acc = acc + e` / `out[k] = out[k] + e`) in a statement list. */
function updateTerms(list: readonly Stmt[]): Expr[] {
  const out: Expr[] = [];
  visitStmts(list, (s) => {
    const value = s.kind === 'assign' || s.kind === 'store' ? s.value : undefined;
    if (value?.kind === 'bin' && (value.op === '+' || value.op === '-')) out.push(value.right);
  });
  return out;
}

function nestPattern(top: ForStmt, depth: number): Pattern {
  const ls = loops(top);
  const idx = ls.map((l) => l.index);
  const all = loads(top.body);
  // A sliding window: an index adding two loop indices directly (`x[i + k]`, `(y + ky) * w + (x + kx)`).
  const bareIndex = (e: Expr): string | undefined => {
    if (e.kind === 'var' && idx.includes(e.name)) return e.name;
    if (e.kind === 'bin' && (e.op === '+' || e.op === '-') && e.right.kind === 'const')
      return bareIndex(e.left);
    return undefined;
  };
  const window = all.some((l) => {
    let mixed = false;
    visitExpr(l.index, (x) => {
      if (x.kind === 'bin' && (x.op === '+' || x.op === '-')) {
        const a = bareIndex(x.left);
        const b = bareIndex(x.right);
        if (a && b && a !== b) mixed = true;
      }
    });
    return mixed;
  });
  const lets = letInits(top.body);
  const products = updateTerms(top.body)
    .map((t) => isProductOfLoads(t, lets))
    .filter((p) => p !== undefined);
  const mentions = (e: Expr): string[] => idx.filter((n) => readsVar(e, n));
  if (window && products.length > 0) return 'conv';
  if (
    depth === 2 &&
    products.some((p) => {
      const [ma, mb] = [mentions(p.a), mentions(p.b)];
      return (ma.length === 2 && mb.length === 1) || (ma.length === 1 && mb.length === 2);
    })
  )
    return 'gemv';
  if (
    depth === 3 &&
    products.some(
      (p) =>
        mentions(p.a).length === 2 &&
        mentions(p.b).length === 2 &&
        mentions(p.a).some((n) => !mentions(p.b).includes(n)),
    )
  )
    return 'gemm';
  if (isStencil(top)) return 'stencil';
  return 'nested';
}

function loopPattern(top: ForStmt, deps: ReadonlyMap<Stmt, LoopDeps>): Pattern {
  const ls = loops(top);
  if (
    ls.some((l) => {
      const d = deps.get(l);
      // A recurrence that feeds stores (`y[i] = c * prev + x[i]`) is a scan; one folded into a
      // scalar alone (Horner's `p = p * x + c[i]`) is a (sequential) reduce.
      return (
        d !== undefined &&
        (d.scans.length > 0 ||
          d.carriedArrays.length > 0 ||
          (d.carriedScalars.length > 0 && stores(l.body).length > 0))
      );
    })
  )
    return 'scan';
  const depth = nestDepth(top);
  if (depth > 1) return nestPattern(top, depth);
  const st = stores(top.body);
  const reductions = deps.get(top)?.reductions ?? [];
  if (st.length > 0 && isStencil(top)) return 'stencil';
  if (st.length > 0 && reductions.length > 0) return 'map-reduce';
  if (st.length > 0) return 'map';
  return 'reduce';
}

/** The pattern of a kernel body and whether its result depends on float evaluation order. */
export function classify(
  body: readonly Stmt[],
  deps: ReadonlyMap<Stmt, LoopDeps>,
): { pattern: Pattern; orderSensitive: boolean } {
  let orderSensitive = false;
  for (const d of deps.values()) if (d.floatAccum) orderSensitive = true;
  const tops = topLoops(body);
  const pats = tops.map((t) => loopPattern(t, deps));
  if (pats.length <= 1) return { pattern: pats[0] ?? 'map', orderSensitive };
  const nest = pats.find((p) => p === 'gemv' || p === 'gemm' || p === 'conv' || p === 'nested');
  if (nest) return { pattern: nest, orderSensitive };
  for (const p of ['scan', 'stencil'] as const) if (pats.includes(p)) return { pattern: p, orderSensitive };
  if (pats.every((p) => p === 'map')) return { pattern: 'map', orderSensitive };
  if (pats.every((p) => p === 'reduce')) {
    // Mean then squared deviations: a later loop reads what an earlier one accumulated.
    return { pattern: chained(body) ? 'map-reduce' : 'reduce', orderSensitive };
  }
  return { pattern: 'map-reduce', orderSensitive };
}

/** True when a later top-level loop reads a value an earlier loop produced (directly or via a let). */
function chained(body: readonly Stmt[]): boolean {
  const derived = new Set<string>();
  for (const s of body) {
    if (s.kind === 'for') {
      if ([...derived].some((n) => allExprs(s.body).some((e) => readsVar(e, n)))) return true;
      for (const n of assignedNames(s.body)) derived.add(n);
    } else if (s.kind === 'let' && [...derived].some((n) => readsVar(s.init, n))) derived.add(s.name);
  }
  return false;
}
