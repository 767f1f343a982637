// Increments inside expressions (`hull[j++] = id`, `y = data[i++]`, `while (n--)`): lowered to
// statements that run just before the expression, where that is the order JS runs them in.
import type { Expr } from '../ir/types.js';
import type { LowerCtx } from './lowerCtx.js';
import { reject, short, uniqueName } from './lowerCtx.js';
import { resolveIdentifier } from './resolve.js';
import { ts } from './ts.js';

type Increment = ts.PrefixUnaryExpression | ts.PostfixUnaryExpression;

const one: Expr = { kind: 'const', value: 1 };

const { SyntaxKind } = ts;
/** Expressions an increment may sit in and still run exactly once, whatever the values. */
const transparent = new Set<ts.SyntaxKind>([
  SyntaxKind.ParenthesizedExpression,
  SyntaxKind.ElementAccessExpression,
  SyntaxKind.PropertyAccessExpression,
  SyntaxKind.CallExpression,
  SyntaxKind.PrefixUnaryExpression,
  SyntaxKind.PostfixUnaryExpression,
  SyntaxKind.AsExpression,
  SyntaxKind.NonNullExpression,
  SyntaxKind.TypeAssertionExpression,
  SyntaxKind.BinaryExpression,
]);
const shortCircuit = new Set<ts.SyntaxKind>([
  SyntaxKind.AmpersandAmpersandToken,
  SyntaxKind.BarBarToken,
  SyntaxKind.QuestionQuestionToken,
  SyntaxKind.CommaToken,
]);

/** The whole expression around `e` (up to its statement), or undefined when a branch decides whether `e` runs. */
export function fullExpression(e: ts.Node): ts.Node | undefined {
  let top = e;
  for (let p = e.parent; transparent.has(p.kind); p = p.parent) {
    if (ts.isBinaryExpression(p) && shortCircuit.has(p.operatorToken.kind)) return undefined;
    top = p;
  }
  return ts.isConditionalExpression(top.parent) ? undefined : top;
}

export function countRefs(node: ts.Node, sym: ts.Symbol, checker: ts.TypeChecker): number {
  let n = 0;
  const visit = (x: ts.Node): void => {
    if (ts.isIdentifier(x) && checker.getSymbolAtLocation(x) === sym) n++;
    ts.forEachChild(x, visit);
  };
  visit(node);
  return n;
}

/**
 * `x++`/`x--` (the old value) and `++x`/`--x` (the new one) on a scalar inside an expression:
 * `let x_old = x; x = x_old ± 1` run before the expression. Only when nothing else in the whole
 * expression reads or writes `x` (so before and after are the same to it) and no `&&`, `||`, `?:`
 * or comma decides whether the increment runs.
 */
export function lowerIncrement(ctx: LowerCtx, e: Increment): Expr {
  const what = `increment inside an expression: ${short(e)}`;
  const operand = e.operand;
  if (!ts.isIdentifier(operand)) reject('unsupported-syntax', what);
  const sym = ctx.checker.getSymbolAtLocation(operand);
  const top = fullExpression(e);
  if (!sym || !top || countRefs(top, sym, ctx.checker) !== 1) reject('unsupported-syntax', what);
  const b = resolveIdentifier(ctx, operand);
  if (b.kind !== 'scalar') reject('unsupported-syntax', what);
  const op = e.operator === SyntaxKind.PlusPlusToken ? '+' : '-';
  const cur: Expr = { kind: 'var', name: b.name };
  if (ts.isPrefixUnaryExpression(e)) {
    ctx.pre.push({ kind: 'assign', name: b.name, value: { kind: 'bin', op, left: cur, right: one } });
    return cur;
  }
  const old = uniqueName(ctx, `${b.name}_old`);
  if (ctx.intVars.has(b.name)) ctx.intVars.add(old);
  ctx.pre.push(
    { kind: 'let', name: old, dtype: 'f64', init: cur },
    {
      kind: 'assign',
      name: b.name,
      value: { kind: 'bin', op, left: { kind: 'var', name: old }, right: one },
    },
  );
  return { kind: 'var', name: old };
}
