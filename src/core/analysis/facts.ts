// Loop facts that do not need the lowering: range, trip count, arrays with their element types.
import { ts } from './ts.js';
import { elementTypeOf } from './typeInfo.js';
import type { ArrayUse, ElementType, Range } from './types.js';

export function rangeOf(sf: ts.SourceFile, node: ts.Node): Range {
  return spanRange(sf, node.getStart(sf), node.end);
}

export function spanRange(sf: ts.SourceFile, start: number, end: number): Range {
  const s = sf.getLineAndCharacterOfPosition(start);
  const e = sf.getLineAndCharacterOfPosition(end);
  return { start: { line: s.line, character: s.character }, end: { line: e.line, character: e.character } };
}

const text = (e: ts.Node): string => e.getText().replace(/\s+/g, ' ');

function stripParens(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  return e;
}

/** Source text of the trip count where it can be stated. */
export function tripCountOf(node: ts.IterationStatement | ts.CallExpression): string | undefined {
  if (ts.isCallExpression(node)) {
    return ts.isPropertyAccessExpression(node.expression)
      ? `${text(node.expression.expression)}.length`
      : undefined;
  }
  if (ts.isForOfStatement(node)) return `${text(node.expression)}.length`;
  if (!ts.isForStatement(node) || !node.initializer || !ts.isVariableDeclarationList(node.initializer))
    return undefined;
  const decl = node.initializer.declarations[0];
  const cond = node.condition ? stripParens(node.condition) : undefined;
  if (!decl?.initializer || !ts.isIdentifier(decl.name) || !cond || !ts.isBinaryExpression(cond))
    return undefined;
  if (!ts.isIdentifier(cond.left) || cond.left.text !== decl.name.text) return undefined;
  const start = text(decl.initializer);
  const bound = text(cond.right);
  const inc = node.incrementor ? text(node.incrementor) : '';
  const minus = (a: string, b: string): string => (b === '0' ? a : `${a} - ${b}`);
  switch (cond.operatorToken.kind) {
    case ts.SyntaxKind.LessThanToken:
      return /^(\+\+\w+|\w+\+\+)$/.test(inc) ? minus(bound, start) : undefined;
    case ts.SyntaxKind.LessThanEqualsToken:
      return /^(\+\+\w+|\w+\+\+)$/.test(inc) ? `${minus(bound, start)} + 1` : undefined;
    case ts.SyntaxKind.GreaterThanEqualsToken:
      return /^(--\w+|\w+--)$/.test(inc) ? `${minus(start, bound)} + 1` : undefined;
    case ts.SyntaxKind.GreaterThanToken:
      return /^(--\w+|\w+--)$/.test(inc) ? minus(start, bound) : undefined;
    default:
      return undefined;
  }
}

function isWriteTarget(node: ts.Expression): { read: boolean; written: boolean } {
  const p = node.parent;
  if (ts.isBinaryExpression(p) && p.left === node) {
    const k = p.operatorToken.kind;
    if (k === ts.SyntaxKind.EqualsToken) return { read: false, written: true };
    if (k >= ts.SyntaxKind.FirstCompoundAssignment && k <= ts.SyntaxKind.LastCompoundAssignment)
      return { read: true, written: true };
  }
  if (
    (ts.isPrefixUnaryExpression(p) || ts.isPostfixUnaryExpression(p)) &&
    (p.operator === ts.SyntaxKind.PlusPlusToken || p.operator === ts.SyntaxKind.MinusMinusToken)
  )
    return { read: true, written: true };
  return { read: true, written: false };
}

/** Arrays a loop indexes, iterates or calls array methods on, with element types from the checker. */
export function arraysOf(checker: ts.TypeChecker, node: ts.Node): ArrayUse[] {
  const uses = new Map<string, { name: string; elementType: ElementType; read: boolean; written: boolean }>();
  const note = (base: ts.Expression, how: { read: boolean; written: boolean }): void => {
    const name = text(base);
    let u = uses.get(name);
    if (!u) {
      u = { name, elementType: elementTypeOf(checker, base), read: false, written: false };
      uses.set(name, u);
    }
    u.read ||= how.read;
    u.written ||= how.written;
  };
  const visit = (n: ts.Node): void => {
    if (ts.isElementAccessExpression(n)) note(n.expression, isWriteTarget(n));
    else if (ts.isForOfStatement(n)) note(n.expression, { read: true, written: false });
    else if (
      ts.isCallExpression(n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      ['map', 'reduce', 'forEach', 'filter'].includes(n.expression.name.text)
    ) {
      const t = checker.getTypeAtLocation(n.expression.expression);
      if (checker.isArrayType(t) || elementTypeOf(checker, n.expression.expression) !== 'unknown')
        note(n.expression.expression, { read: true, written: false });
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return [...uses.values()];
}
