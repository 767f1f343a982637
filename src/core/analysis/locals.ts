// Locals the checker cannot type as numbers or arrays but whose initializer says what they are:
// a row of an array of rows (`const p = points[i]`), a field array (`const d = this.data`), or, in
// untyped code, a value computed from numbers (`var x = xs[i] * 2`).
import type { Expr, Stmt } from '../ir/types.js';
import { resolveField } from './fields.js';
import { lowerExpr, rowOf, skipOuter } from './lowerExpr.js';
import type { LowerCtx } from './lowerCtx.js';
import { declareScalar, note, symbolOf, withPre } from './lowerCtx.js';
import { ts } from './ts.js';
import { isAnyOrUnknown } from './typeInfo.js';

/** Lowers `let name = init` for those locals, or undefined to leave it to the usual rules. */
export function lowerInitializedLocal(
  ctx: LowerCtx,
  d: ts.VariableDeclaration & { name: ts.Identifier },
  type: ts.Type,
): Stmt[] | undefined {
  const init = d.initializer ? skipOuter(d.initializer) : undefined;
  if (init && ts.isElementAccessExpression(init)) {
    const r = withPre(ctx, () => rowOf(ctx, init));
    if (r.value) {
      ctx.bindings.set(symbolOf(ctx, d.name), r.value);
      return r.pre;
    }
  }
  if (init && ts.isPropertyAccessExpression(init) && init.name.text !== 'length') {
    const b = resolveField(ctx, init);
    if (b?.kind === 'array') {
      ctx.bindings.set(symbolOf(ctx, d.name), b);
      return [];
    }
  }
  if (!isAnyOrUnknown(type)) return undefined;
  const { pre, value } = withPre(ctx, (): Expr =>
    init ? lowerExpr(ctx, init) : { kind: 'const', value: 'NaN' },
  );
  const name = declareScalar(ctx, d.name);
  note(ctx, `${d.name.text}: a number inferred from its use (no type)`);
  return [...pre, { kind: 'let', name, dtype: 'f64', init: value }];
}
