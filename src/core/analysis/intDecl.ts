// Integer values proven from a declaration: a loop kernel's free scalar `n` declared above the loop as
// `var n = x.length` (or `| 0`, `Math.floor(…)`, sums of such) and never assigned again is an integer
// wherever the loop reads it, which the `i !== n` bounds of numeric.js-style loops need.
import { reassigned } from './liveness.js';
import { ts } from './ts.js';

const intMath = new Set(['floor', 'ceil', 'round', 'trunc', 'imul', 'sign', 'clz32']);
const bitOps = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.BarToken,
  ts.SyntaxKind.AmpersandToken,
  ts.SyntaxKind.CaretToken,
  ts.SyntaxKind.LessThanLessThanToken,
  ts.SyntaxKind.GreaterThanGreaterThanToken,
  ts.SyntaxKind.GreaterThanGreaterThanGreaterThanToken,
]);
const ringOps = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.PlusToken,
  ts.SyntaxKind.MinusToken,
  ts.SyntaxKind.AsteriskToken,
]);

/** True when `e` always evaluates to an integer (or NaN/±Infinity), by its syntax alone. */
function intSyntax(checker: ts.TypeChecker, node: ts.Expression, depth: number): boolean {
  let e = node;
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  if (ts.isNumericLiteral(e)) return Number.isInteger(Number(e.text.replace(/_/g, '')));
  if (ts.isPrefixUnaryExpression(e))
    return (
      e.operator === ts.SyntaxKind.TildeToken ||
      ((e.operator === ts.SyntaxKind.MinusToken || e.operator === ts.SyntaxKind.PlusToken) &&
        intSyntax(checker, e.operand, depth))
    );
  if (ts.isPropertyAccessExpression(e)) return e.name.text === 'length';
  if (ts.isBinaryExpression(e)) {
    const k = e.operatorToken.kind;
    if (bitOps.has(k)) return true;
    return ringOps.has(k) && intSyntax(checker, e.left, depth) && intSyntax(checker, e.right, depth);
  }
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) {
    const { expression: obj, name } = e.expression;
    return ts.isIdentifier(obj) && obj.text === 'Math' && intMath.has(name.text);
  }
  if (ts.isIdentifier(e) && depth < 4) {
    const sym = checker.getSymbolAtLocation(e);
    return sym !== undefined && intByDeclaration(checker, sym, depth + 1);
  }
  return false;
}

/**
 * True when the variable `sym` is declared with an integer initializer and never assigned, incremented
 * or decremented anywhere else in its function.
 */
export function intByDeclaration(checker: ts.TypeChecker, sym: ts.Symbol, depth = 0): boolean {
  const decl = sym.valueDeclaration;
  if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer || !ts.isIdentifier(decl.name))
    return false;
  return !reassigned(decl, sym, checker) && intSyntax(checker, decl.initializer, depth);
}
