// Assignments inside expressions (`e[i] = q[i] = 0`, `sum += (lengths[j] = data[offset])`): the value
// goes to a fresh local, the store runs just before the expression, and the local is the value — where
// that is the order JS runs them in (see when below).
import type { Expr } from '../ir/types.js';
import { compoundOps, lowerExpr, skipOuter } from './lowerExpr.js';
import { countRefs, fullExpression } from './increments.js';
import type { LowerCtx } from './lowerCtx.js';
import { reject, short, touchArray, uniqueName } from './lowerCtx.js';
import { assignTarget } from './lowerStmt.js';
import { ts } from './ts.js';

/** `Math.f(…)`: pure, it changes nothing the expression reads. */
function isMathCall(x: ts.CallExpression): boolean {
  const callee = skipOuter(x.expression);
  return (
    ts.isPropertyAccessExpression(callee) &&
    ts.isIdentifier(callee.expression) &&
    callee.expression.text === 'Math'
  );
}

/** True when `n` assigns, increments or decrements something, or calls anything but `Math` (at any depth). */
function hasSideEffect(n: ts.Node): boolean {
  let hit = false;
  const visit = (x: ts.Node): void => {
    if (hit) return;
    if (
      (ts.isBinaryExpression(x) &&
        x.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
        x.operatorToken.kind <= ts.SyntaxKind.LastAssignment) ||
      ((ts.isPrefixUnaryExpression(x) || ts.isPostfixUnaryExpression(x)) &&
        (x.operator === ts.SyntaxKind.PlusPlusToken || x.operator === ts.SyntaxKind.MinusMinusToken)) ||
      (ts.isCallExpression(x) && !isMathCall(x))
    )
      hit = true;
    else ts.forEachChild(x, visit);
  };
  visit(n);
  return hit;
}

/** The variable or array an assignment target names (`x`, `a` of `a[i]`), or undefined. */
function targetRoot(t: ts.Expression): ts.Identifier | undefined {
  const x = skipOuter(t);
  if (ts.isIdentifier(x)) return x;
  if (ts.isElementAccessExpression(x)) {
    const base = skipOuter(x.expression);
    return ts.isIdentifier(base) ? base : undefined;
  }
  return undefined;
}

/**
 * `(target = value)` / `(target op= value)` inside an expression, as `let t = value; target = t` run
 * before the whole expression, and `t` as its value. Only when that is JS's order whatever the values:
 * the value and the target's index assign nothing and call nothing (so evaluating the index after the
 * value reads the same), no `&&`/`||`/`?:` decides whether the assignment runs, and nothing else in the
 * whole expression names the assigned variable or array (so reading it before or after is the same).
 */
export function lowerAssignExpr(ctx: LowerCtx, e: ts.BinaryExpression): Expr {
  const what = `assignment inside an expression: ${short(e)}`;
  const k = e.operatorToken.kind;
  const op = k === ts.SyntaxKind.EqualsToken ? undefined : compoundOps[k];
  if (k !== ts.SyntaxKind.EqualsToken && !op) reject('unsupported-syntax', what);
  const root = targetRoot(e.left);
  const sym = root && ctx.checker.getSymbolAtLocation(root);
  const top = fullExpression(e);
  if (!root || !sym || !top || hasSideEffect(e.right)) reject('unsupported-syntax', what);
  const left = skipOuter(e.left);
  if (ts.isElementAccessExpression(left) && hasSideEffect(left.argumentExpression))
    reject('unsupported-syntax', what);
  if (countRefs(top, sym, ctx.checker) !== countRefs(e, sym, ctx.checker)) reject('unsupported-syntax', what);
  const rhs = lowerExpr(ctx, e.right);
  const t = uniqueName(ctx, 'assigned');
  // `x op= v` is `x = x op v`, whose value is the new `x`.
  let value: Expr = rhs;
  const store = assignTarget(ctx, e.left, (cur) => {
    if (op) value = { kind: 'bin', op, left: cur, right: rhs };
    return { kind: 'var', name: t };
  });
  if (op && store.kind === 'store') touchArray(ctx, store.array, 'read');
  ctx.pre.push({ kind: 'let', name: t, dtype: 'f64', init: value }, store);
  return { kind: 'var', name: t };
}
