// Boolean flags (`let found = false; … found = true; … if (!found) …`): a local whose every use is a
// test (an `if`/loop condition, `!`, `&&`/`||` inside one, a ternary's condition) holds only what is
// truthy or not, so `true`/`false` are lowered as 1/0 in its assignments. A flag that is returned,
// stored, compared with `===` or used in arithmetic keeps its JS boolean meaning: refused as before.
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

/** True when `sym` (a local of the kernel's function) is a flag: set by statements, read only as a test. */
export function isFlag(ctx: LowerCtx, sym: ts.Symbol): boolean {
  let m = cache.get(ctx);
  if (!m) cache.set(ctx, (m = new Map<ts.Symbol, boolean>()));
  const known = m.get(sym);
  if (known !== undefined) return known;
  const decl = sym.valueDeclaration;
  let ok = false;
  if (decl && ts.isVariableDeclaration(decl)) {
    let scope: ts.Node = decl;
    while (!ts.isFunctionLike(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
    const refs = referencesIn(ctx.checker, sym, scope);
    ok = refs.length > 0 && refs.every((r) => isPlainSet(r) || isTested(r));
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
