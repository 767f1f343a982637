// Small read-only walks over the IR that several emitters need: which names a statement list
// reads, assigns and declares, which arrays it touches, and a rough operation count.
import type { Expr, Kernel, Stmt } from '../../ir/types.js';

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
  switch (e.kind) {
    case 'const': return;
    case 'var': u.reads.add(e.name); return;
    case 'len': u.loads.add(e.array); return;
    case 'load': u.loads.add(e.array); exprUses(e.index, u); return;
    case 'bin': exprUses(e.left, u); exprUses(e.right, u); return;
    case 'un': exprUses(e.arg, u); return;
    case 'call': for (const a of e.args) exprUses(a, u); return;
    case 'select': exprUses(e.cond, u); exprUses(e.then, u); exprUses(e.else, u); return;
  }
}

export function stmtUses(stmts: readonly Stmt[], u: Uses = emptyUses()): Uses {
  for (const st of stmts) {
    switch (st.kind) {
      case 'let': exprUses(st.init, u); u.declares.add(st.name); break;
      case 'assign': exprUses(st.value, u); u.assigns.add(st.name); break;
      case 'store': exprUses(st.index, u); exprUses(st.value, u); u.stores.add(st.array); break;
      case 'if': exprUses(st.cond, u); stmtUses(st.then, u); stmtUses(st.else, u); break;
      case 'for':
        exprUses(st.start, u); exprUses(st.end, u); u.declares.add(st.index); stmtUses(st.body, u);
        break;
    }
  }
  return u;
}

/** Rough count of elementary operations of an expression. */
export function exprOps(e: Expr): number {
  switch (e.kind) {
    case 'const': case 'var': case 'len': return 0;
    case 'load': return 1 + exprOps(e.index);
    case 'bin': return 1 + exprOps(e.left) + exprOps(e.right);
    case 'un': return 1 + exprOps(e.arg);
    case 'call': return 4 + e.args.reduce((s, a) => s + exprOps(a), 0);
    case 'select': return 1 + exprOps(e.cond) + Math.max(exprOps(e.then), exprOps(e.else));
  }
}

/** Inner loops whose trip count is unknown statically count this many iterations. */
export const ASSUMED_INNER_TRIPS = 64;

/** Rough operations of one pass over `stmts` (inner loops × {@link ASSUMED_INNER_TRIPS}). */
export function stmtOps(stmts: readonly Stmt[]): number {
  let ops = 0;
  for (const st of stmts) {
    switch (st.kind) {
      case 'let': ops += 1 + exprOps(st.init); break;
      case 'assign': ops += 1 + exprOps(st.value); break;
      case 'store': ops += 1 + exprOps(st.index) + exprOps(st.value); break;
      case 'if': ops += 1 + exprOps(st.cond) + Math.max(stmtOps(st.then), stmtOps(st.else)); break;
      case 'for': ops += 2 + ASSUMED_INNER_TRIPS * (2 + stmtOps(st.body)); break;
    }
  }
  return Math.max(1, ops);
}

/** Every name the kernel uses (params, consts, locals, indices): for picking fresh names. */
export function allNames(k: Kernel): Set<string> {
  const u = stmtUses(k.body);
  const names = new Set<string>([...k.params.map((p) => p.name), ...k.consts.map((c) => c.name)]);
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
