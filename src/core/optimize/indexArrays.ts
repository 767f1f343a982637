// Arrays whose values index other arrays (`idx = idxs[i]; sum[idx][h] += …`, `out[perm[i]] = …`): a
// replayed benchmark must fill them with whole numbers in range, or the original itself reads
// `undefined` (and throws on a row) where the program never does. Found from the IR: a parameter's
// element, loaded bare (or through locals that only copy it), standing alone as an index.
import { allExprs, visitExpr, visitStmts } from '../ir/walk.js';
import type { ArgSpec } from '../bench/types.js';
import type { Expr, Kernel, Stmt } from '../ir/types.js';

/** Where an index array's values are used: as the element index (or row) of `array`, or as its column. */
export interface IndexUse {
  readonly array: string;
  readonly axis: 'index' | 'col';
}

/** Locals that are only ever a bare load of one array parameter (or a copy of such a local). */
function aliases(k: Kernel, arrays: ReadonlySet<string>): Map<string, string> {
  const from = new Map<string, string>();
  const spoiled = new Set<string>();
  const sourceOf = (e: Expr): string | undefined =>
    e.kind === 'load' && !e.col && arrays.has(e.array)
      ? e.array
      : e.kind === 'var'
        ? from.get(e.name)
        : undefined;
  const bind = (name: string, value: Expr): void => {
    const src = sourceOf(value);
    const prev = from.get(name);
    if (!src || (prev && prev !== src)) {
      spoiled.add(name);
      return;
    }
    from.set(name, src);
  };
  visitStmts(k.body, (s: Stmt) => {
    if (s.kind === 'let') bind(s.name, s.init);
    else if (s.kind === 'assign') bind(s.name, s.value);
  });
  for (const n of spoiled) from.delete(n);
  return from;
}

/** Index arrays of kernel `k`: parameter name → the arrays (and axes) its values index. */
export function indexArrays(k: Kernel): Map<string, IndexUse[]> {
  const arrays = new Set(k.params.filter((p) => p.kind === 'array').map((p) => p.name));
  const alias = aliases(k, arrays);
  const source = (e: Expr): string | undefined =>
    e.kind === 'load' && !e.col && arrays.has(e.array)
      ? e.array
      : e.kind === 'var'
        ? alias.get(e.name)
        : undefined;
  const out = new Map<string, IndexUse[]>();
  const note = (idx: Expr, array: string, axis: IndexUse['axis']): void => {
    const src = source(idx);
    if (!src || src === array) return;
    const list = out.get(src) ?? [];
    if (!list.some((u) => u.array === array && u.axis === axis)) list.push({ array, axis });
    out.set(src, list);
  };
  const onAccess = (array: string, index: Expr, col: Expr | undefined): void => {
    note(index, array, 'index');
    if (col) note(col, array, 'col');
  };
  for (const top of allExprs(k.body))
    visitExpr(top, (e) => {
      if (e.kind === 'load') onAccess(e.array, e.index, e.col);
    });
  visitStmts(k.body, (s) => {
    if (s.kind === 'store') onAccess(s.array, s.index, s.col);
  });
  return out;
}

/**
 * `args` with every index array's values made whole numbers in [0, the shortest length it indexes), so
 * the original reads only real elements; an index array whose targets are empty is left as it is.
 */
export function fitIndexArrays(k: Kernel, args: readonly ArgSpec[], n: number): ArgSpec[] {
  const uses = indexArrays(k);
  if (uses.size === 0) return [...args];
  const at = new Map(k.params.map((p, i) => [p.name, i]));
  const extent = (u: IndexUse): number | undefined => {
    const a = args[at.get(u.array)!];
    if (!a || a.kind !== 'array') return undefined;
    return u.axis === 'col' ? a.rowLength : (a.values?.length ?? a.length ?? n);
  };
  return args.map((a, i) => {
    const uses1 = uses.get(k.params[i]!.name);
    if (!uses1 || a.kind !== 'array' || a.values) return a;
    const bounds = uses1.map(extent);
    if (bounds.some((b) => b === undefined)) return a;
    const bound = Math.min(...(bounds as number[]));
    return bound > 0 ? { ...a, integer: true, min: 0, max: bound } : a;
  });
}
