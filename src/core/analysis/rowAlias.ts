// A variable that names a row of an array of rows, assigned as a statement (`Ai = A[i]`, the ES5 habit
// of declaring `var Ai` at the top of a function and pointing it at row after row), lowered as a row
// index: `let Ai_r = i`, and `Ai[k]` reads `A[Ai_r][k]`. The variable must be used only after the
// assignment, in the rest of the statement list that holds it (so every read sees a row the kernel
// picked), and not after a loop kernel; later assignments of rows of the same array update the index.
import type { Stmt } from '../ir/types.js';
import { referencesIn } from './infer.js';
import { liveAfter } from './liveness.js';
import { rowOf, skipOuter } from './lowerExpr.js';
import type { Binding, LowerCtx } from './lowerCtx.js';
import { reject, uniqueName, withPre } from './lowerCtx.js';
import { ts } from './ts.js';

/** The row indices this file made, per kernel: only those may be reassigned. */
const ownRows = new WeakMap<LowerCtx, Set<string>>();

function own(ctx: LowerCtx): Set<string> {
  let s = ownRows.get(ctx);
  if (!s) ownRows.set(ctx, (s = new Set()));
  return s;
}

/** `id = rows[e]` as a statement: the identifier and the element access, or undefined. */
function rowAssignment(s: ts.Statement): { id: ts.Identifier; rhs: ts.ElementAccessExpression } | undefined {
  if (!ts.isExpressionStatement(s)) return undefined;
  const e = skipOuter(s.expression);
  if (!ts.isBinaryExpression(e) || e.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return undefined;
  const id = skipOuter(e.left);
  const rhs = skipOuter(e.right);
  if (!ts.isIdentifier(id) || !ts.isElementAccessExpression(rhs)) return undefined;
  return { id, rhs };
}

/** What lowering a row assignment gave: its statements and the binding to undo after the list. */
export interface RowAssign {
  readonly stmts: Stmt[];
  /** Restores the symbol's binding from before the list (undefined when it was kept). */
  readonly restore?: () => void;
}

/**
 * Lowers `list[k]` when it is `Ai = A[e]` on an array of rows `A` (see the file comment), or returns
 * undefined to leave it to the usual rules.
 */
export function lowerRowAssign(
  ctx: LowerCtx,
  list: readonly ts.Statement[],
  k: number,
): RowAssign | undefined {
  const m = rowAssignment(list[k]!);
  if (!m) return undefined;
  const sym = ctx.checker.getSymbolAtLocation(m.id);
  if (!sym) return undefined;
  const bound = ctx.bindings.get(sym);
  const mine = bound?.kind === 'row' && bound.row.kind === 'var' && own(ctx).has(bound.row.name);
  if (bound && !mine && bound.kind !== 'scalar') return undefined;
  const r = withPre(ctx, () => rowOf(ctx, m.rhs));
  const row = r.value;
  if (row?.kind !== 'row') return undefined;
  if (mine) {
    if (bound.name !== row.name)
      reject(
        'unsupported-syntax',
        `${m.id.text} names a row of ${bound.name}, then of ${row.name} (one array of rows per variable)`,
      );
    return {
      stmts: [...r.pre, { kind: 'assign', name: (bound.row as { name: string }).name, value: row.row }],
    };
  }
  // A new row variable: every use of it in the kernel must come after this statement, in this list.
  const first = list[k]!;
  const last = list.at(-1)!;
  const refs = referencesIn(ctx.checker, sym, ctx.region);
  const inRest = (n: ts.Node): boolean =>
    n.pos >= first.pos && n.end <= last.end && !(n.pos >= m.rhs.pos && n.end <= m.rhs.end);
  if (!refs.every(inRest)) return undefined;
  if (ctx.mode === 'loop' && liveAfter(ctx.region, sym, ctx.checker))
    reject('unsupported-syntax', `the row ${m.id.text} is read after the loop`);
  const name = uniqueName(ctx, `${m.id.text}_r`);
  own(ctx).add(name);
  const binding: Binding = { kind: 'row', name: row.name, row: { kind: 'var', name } };
  ctx.bindings.set(sym, binding);
  return {
    stmts: [...r.pre, { kind: 'let', name, dtype: 'f64', init: row.row }],
    restore: () => {
      if (bound) ctx.bindings.set(sym, bound);
      else ctx.bindings.delete(sym);
    },
  };
}
