// What a live-out variable holds when the extracted loop starts, and whether anything reads it after:
// the call site passes NaN where the value on entry is never used (a native entry rejects the
// `undefined` of a `var` not yet assigned), and `undefined` as NaN where only the loop can read it.
import { ts } from '../analysis/ts.js';

/**
 * True when `name` is `undefined` where the loop starts and dead after it: declared without an
 * initializer (`var offset;`) in the enclosing function `fn`, and named nowhere in `fn` but that
 * declaration and the loop. The call then passes NaN for it — the same in every numeric use of the
 * kernel (a native entry rejects `undefined`), and its result is never read.
 */
export function undefinedAndDead(fn: ts.Node, stmt: ts.Statement, name: string): boolean {
  const seen = { declared: false, elsewhere: false };
  const visit = (n: ts.Node): void => {
    if (seen.elsewhere || n === stmt) return;
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name) {
      if (n.initializer || !ts.isVariableDeclarationList(n.parent)) seen.elsewhere = true;
      else seen.declared = true;
      return;
    }
    if (ts.isIdentifier(n) && n.text === name) seen.elsewhere = true;
    n.forEachChild(visit);
  };
  fn.forEachChild(visit);
  return seen.declared && !seen.elsewhere;
}

/**
 * True when the loop's value of `name` on entry is never read: a `for` whose initializer assigns it
 * (`for (i = t.length; i--;)`, fili's Fft) from an expression that does not name it. The variable
 * may still be `undefined` there (`var i` declared further down), which a native entry rejects.
 */
export function assignedFirst(stmt: ts.Statement, name: string): boolean {
  const loop = ts.isLabeledStatement(stmt) ? stmt.statement : stmt;
  if (!ts.isForStatement(loop) || !loop.initializer || ts.isVariableDeclarationList(loop.initializer))
    return false;
  let e: ts.Expression = loop.initializer;
  // `i = 0, n = a.length`: the comma's left side runs first.
  while (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.CommaToken) {
    if (assigns(e.left, name)) return true;
    if (names(e.left, name)) return false;
    e = e.right;
  }
  return assigns(e, name);
}

/** `name = value` where value does not name `name`. */
function assigns(e: ts.Expression, name: string): boolean {
  return (
    ts.isBinaryExpression(e) &&
    e.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    ts.isIdentifier(e.left) &&
    e.left.text === name &&
    !names(e.right, name)
  );
}

function names(n: ts.Node, name: string): boolean {
  if (ts.isIdentifier(n)) return n.text === name;
  return ts.forEachChild(n, (c) => (names(c, name) ? true : undefined)) ?? false;
}

export { deadAfter } from '../analysis/mustWrite.js';
