// Boolean flags (`let found = false; … found = true; … if (!found) …`): a local whose every use is a
// test (an `if`/loop condition, `!`, `&&`/`||` inside one, a ternary's condition) holds only what is
// truthy or not, so `true`/`false` are lowered as 1/0 in its assignments. A flag that is returned,
// stored, compared with `===` or used in arithmetic keeps its JS boolean meaning: refused as before.
// A flag (or a boolean parameter used the same way) that a kernel takes from outside becomes a
// `truthy` scalar parameter: the wrapper passes `value ? 1 : 0`, which is all the kernel can observe.
import { referencesIn } from './infer.js';
import { skipOuter } from './lowerExpr.js';
import type { LowerCtx } from './lowerCtx.js';
import { ts } from './ts.js';

const cache = new WeakMap<LowerCtx, Map<ts.Symbol, boolean>>();

/** Climbs over parentheses and type assertions. */
function up(n: ts.Node): ts.Node {
  let x = n;
  while (
    ts.isParenthesizedExpression(x.parent) ||
    ts.isNonNullExpression(x.parent) ||
    ts.isAsExpression(x.parent)
  )
    x = x.parent;
  return x;
}

/** True when only the truthiness of `n` is used: it is (inside `!`, `&&`, `||`) a condition. */
export function isTested(n: ts.Node): boolean {
  const x = up(n);
  const p = x.parent;
  if (ts.isPrefixUnaryExpression(p) && p.operator === ts.SyntaxKind.ExclamationToken) return isTested(p);
  if (
    ts.isBinaryExpression(p) &&
    (p.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken ||
      p.operatorToken.kind === ts.SyntaxKind.BarBarToken)
  )
    return isTested(p);
  if (ts.isIfStatement(p) || ts.isWhileStatement(p) || ts.isDoStatement(p)) return p.expression === x;
  if (ts.isForStatement(p)) return p.condition === x;
  if (ts.isConditionalExpression(p)) return p.condition === x;
  return false;
}

/** `sym = value` as an expression statement (the flag is set, its old value not read). */
function isPlainSet(id: ts.Node): boolean {
  const x = up(id);
  const p = x.parent;
  return (
    ts.isBinaryExpression(p) &&
    p.left === x &&
    p.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    ts.isExpressionStatement(up(p).parent)
  );
}

/**
 * `flag = flag || other` (or `&&`, `!flag`): the flag's value only flows, through truth-preserving
 * operators, back into itself — what it then holds is still only tested.
 */
function feedsItself(id: ts.Node, sym: ts.Symbol, checker: ts.TypeChecker): boolean {
  let x = up(id);
  for (;;) {
    const p = x.parent;
    const logical =
      ts.isBinaryExpression(p) &&
      (p.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken ||
        p.operatorToken.kind === ts.SyntaxKind.BarBarToken);
    const not = ts.isPrefixUnaryExpression(p) && p.operator === ts.SyntaxKind.ExclamationToken;
    if (!logical && !not) break;
    x = up(p);
  }
  const set = x.parent;
  if (!ts.isBinaryExpression(set) || set.right !== x || set.operatorToken.kind !== ts.SyntaxKind.EqualsToken)
    return false;
  const target = skipOuter(set.left);
  return (
    ts.isIdentifier(target) &&
    checker.getSymbolAtLocation(target) === sym &&
    ts.isExpressionStatement(up(set).parent)
  );
}

/**
 * True when `sym` (a local or a parameter of the kernel's function, or a destructured
 * `const { flag = true } = options`) is a flag: set by statements, read only as a test — in every
 * function that can see it (closures included), so its value is never observed other than as truthy.
 */
export function isFlag(ctx: LowerCtx, sym: ts.Symbol): boolean {
  let m = cache.get(ctx);
  if (!m) cache.set(ctx, (m = new Map<ts.Symbol, boolean>()));
  const known = m.get(sym);
  if (known !== undefined) return known;
  const decl = sym.valueDeclaration;
  let ok = false;
  if (decl && (ts.isVariableDeclaration(decl) || ts.isParameter(decl) || ts.isBindingElement(decl))) {
    let scope: ts.Node = decl;
    while (!ts.isFunctionLike(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
    // The name of a destructured `{ flag = true }` is listed among its references: it is no use.
    const refs = referencesIn(ctx.checker, sym, scope).filter((r) => r !== decl.name);
    ok =
      refs.length > 0 && refs.every((r) => isPlainSet(r) || isTested(r) || feedsItself(r, sym, ctx.checker));
  }
  m.set(sym, ok);
  return ok;
}

/** `true`/`false` as 1/0 when it is the value a flag is declared with or set to; else undefined. */
export function flagLiteral(ctx: LowerCtx, lit: ts.Expression): number | undefined {
  const x = up(lit);
  const p = x.parent;
  let target: ts.Node | undefined;
  if (ts.isVariableDeclaration(p) && p.initializer === x) target = p.name;
  else if (ts.isBinaryExpression(p) && p.right === x && p.operatorToken.kind === ts.SyntaxKind.EqualsToken)
    target = skipOuter(p.left);
  if (!target || !ts.isIdentifier(target)) return undefined;
  const sym = ctx.checker.getSymbolAtLocation(target);
  if (!sym || !isFlag(ctx, sym)) return undefined;
  return lit.kind === ts.SyntaxKind.TrueKeyword ? 1 : 0;
}

/** A boolean type (`boolean`, `true`, `false`), possibly with `undefined`/`null` (an optional flag). */
export function isBooleanType(type: ts.Type): boolean {
  if (type.isUnion())
    return (
      type.types.some((t) => (t.flags & ts.TypeFlags.BooleanLike) !== 0) &&
      type.types.every(
        (t) => (t.flags & (ts.TypeFlags.BooleanLike | ts.TypeFlags.Undefined | ts.TypeFlags.Null)) !== 0,
      )
    );
  return (type.flags & ts.TypeFlags.BooleanLike) !== 0;
}
