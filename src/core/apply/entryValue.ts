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

/**
 * True when nothing reads `name` after the loop `stmt` before writing it: its value when the loop ends
 * is dead, so a zero-trip loop handing back NaN for an `undefined` on entry changes nothing anyone
 * sees. Conservative: `name` is a variable of `fn` (declared or a parameter there), no loop of `fn`
 * around the loop names it elsewhere (code before the loop runs again), no nested function names it, nothing after
 * the loop declares it again, and every read after the loop comes after a plain `name = e` on every
 * path (branches and loop bodies may not run; their writes count only inside them).
 */
export function deadAfter(fn: ts.Node, stmt: ts.Statement, name: string): boolean {
  if (!declaredIn(fn, name)) return false;
  // In an enclosing loop, code before the loop runs again after it: that loop must not name it at all.
  for (let n: ts.Node = stmt.parent; n !== fn; n = n.parent)
    if (ts.isIterationStatement(n, false) && namedOutside(n, stmt, name)) return false;
  if (capturedIn(fn, name)) return false;
  const flow = new Flow(name);
  // The statements after the loop, level by level up to the function's body. A write counts on the
  // way up only through blocks and if branches: a switch's `break`, a labelled block's or an
  // exception would skip it.
  let written = false;
  for (let at: ts.Node = stmt; at !== fn && !flow.read; at = at.parent) {
    const parent = at.parent;
    if (!ts.isBlock(parent) && !ts.isSourceFile(parent) && !ts.isIfStatement(parent)) written = false;
    const list =
      ts.isBlock(parent) || ts.isSourceFile(parent) || ts.isCaseClause(parent) || ts.isDefaultClause(parent)
        ? parent.statements
        : undefined;
    if (list)
      for (const s of list.slice(list.indexOf(at as ts.Statement) + 1)) written = flow.visit(s, written);
    // From a try block, an exception leads to the catch and the finally; from the catch, the finally.
    if (ts.isTryStatement(parent) && at !== parent.finallyBlock) {
      if (at === parent.tryBlock && parent.catchClause) flow.visit(parent.catchClause, false);
      if (parent.finallyBlock) flow.visit(parent.finallyBlock, false);
    }
  }
  return !flow.read;
}

/** `name` appears in `outer` outside `inner`. */
function namedOutside(outer: ts.Node, inner: ts.Node, name: string): boolean {
  const visit = (n: ts.Node): boolean =>
    n !== inner &&
    ((ts.isIdentifier(n) && n.text === name) ||
      (ts.forEachChild(n, (c) => (visit(c) ? true : undefined)) ?? false));
  return visit(outer);
}

/** `name` is a parameter of `fn` or declared by a var/let/const of `fn` outside nested functions. */
function declaredIn(fn: ts.Node, name: string): boolean {
  if (ts.isFunctionLike(fn) && fn.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === name))
    return true;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || (n !== fn && ts.isFunctionLike(n))) return;
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name) found = true;
    else n.forEachChild(visit);
  };
  visit(fn);
  return found;
}

/** A function nested in `fn` names `name` (it may read it at any time). */
function capturedIn(fn: ts.Node, name: string): boolean {
  const inner = (n: ts.Node, nested: boolean): boolean => {
    if (ts.isIdentifier(n) && n.text === name && nested) return true;
    const now = nested || (n !== fn && ts.isFunctionLike(n));
    return ts.forEachChild(n, (c) => (inner(c, now) ? true : undefined)) ?? false;
  };
  return inner(fn, false);
}

/** A must-write walk for one variable: `visit(node, written)` is whether it is written after `node`. */
class Flow {
  read = false;
  constructor(private readonly name: string) {}

  visit(n: ts.Node, w: boolean): boolean {
    if (this.read) return w;
    const name = this.name;
    if (ts.isIdentifier(n)) {
      if (n.text === name && !w) this.read = true;
      return w;
    }
    if (ts.isPropertyAccessExpression(n)) return this.visit(n.expression, w);
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name) {
      this.read = true; // declared again after the loop: another variable may shadow it; give up
      return w;
    }
    if (ts.isBinaryExpression(n)) {
      const op = n.operatorToken.kind;
      if (op === ts.SyntaxKind.EqualsToken && ts.isIdentifier(n.left) && n.left.text === name)
        return this.visit(n.right, w) || true;
      if (
        op === ts.SyntaxKind.AmpersandAmpersandToken ||
        op === ts.SyntaxKind.BarBarToken ||
        op === ts.SyntaxKind.QuestionQuestionToken
      ) {
        const left = this.visit(n.left, w);
        this.visit(n.right, left);
        return left;
      }
    }
    if (ts.isConditionalExpression(n)) {
      const c = this.visit(n.condition, w);
      return this.visit(n.whenTrue, c) && this.visit(n.whenFalse, c);
    }
    if (ts.isIfStatement(n)) {
      const c = this.visit(n.expression, w);
      const t = this.visit(n.thenStatement, c);
      return n.elseStatement ? t && this.visit(n.elseStatement, c) : c;
    }
    if (ts.isForStatement(n)) {
      const init = n.initializer ? this.visit(n.initializer, w) : w;
      if (n.condition) this.visit(n.condition, init);
      const body = this.visit(n.statement, init);
      if (n.incrementor) this.visit(n.incrementor, body);
      return init;
    }
    if (ts.isWhileStatement(n) || ts.isDoStatement(n) || ts.isForInStatement(n) || ts.isForOfStatement(n)) {
      const first = ts.isDoStatement(n) ? w : this.visit(n.expression, w);
      const body = this.visit(n.statement, first);
      if (ts.isDoStatement(n)) this.visit(n.expression, body);
      return first;
    }
    if (
      ts.isBlock(n) ||
      ts.isExpressionStatement(n) ||
      ts.isVariableStatement(n) ||
      ts.isVariableDeclarationList(n) ||
      ts.isParenthesizedExpression(n) ||
      ts.isReturnStatement(n)
    ) {
      let now = w;
      n.forEachChild((c) => {
        now = this.visit(c, now);
      });
      return now;
    }
    // Anything else (switch, try, calls, property writes…): its parts are checked, its writes not counted.
    let now = w;
    n.forEachChild((c) => {
      now = this.visit(c, now);
    });
    return ts.isStatement(n) ? w : now;
  }
}
