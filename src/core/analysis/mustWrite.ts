// Is a variable's value dead after a statement? A must-write walk over what can run next: nothing
// reads it before a plain `name = e` on every path. ES5 code reuses one `var i0` for every loop of a
// function (dsp.js's RFFT.forward: seven loops, each starting `for (i0 = ix; …)`), so the value one
// loop leaves is overwritten by the next before anyone reads it — also across the passes of the
// loops around it. The analysis asks it before calling a counter live (a loop with a run-time step
// cannot give its final value) and before making a written variable a result of a loop kernel;
// `hotloop apply` asks it before passing `undefined` to a native entry as NaN.
import { ts } from './ts.js';

/**
 * True when nothing reads `name` after `stmt` (a statement of the function `fn`) before writing it.
 * Conservative: `name` is a variable of `fn` (declared or a parameter there, so no other code sees
 * it), no nested function names it, nothing after the loop declares it again, and every read comes
 * after a plain `name = e` on every path — branches and loop bodies may not run; their writes count
 * only inside them. In an enclosing loop the next pass runs its incrementor, condition and body again
 * (an enclosing loop with a `break` or `continue` outside `stmt` must not name it elsewhere at all).
 */
export function deadAfter(fn: ts.Node, stmt: ts.Statement, name: string): boolean {
  if (!declaredIn(fn, name)) return false;
  if (capturedIn(fn, name)) return false;
  const flow = new Flow(name);
  let written = false;
  for (let at: ts.Node = stmt; at !== fn && !flow.read; at = at.parent) {
    const parent = at.parent;
    if (ts.isIterationStatement(parent, false) && at === parent.statement) {
      if (jumps(parent.statement, stmt)) {
        if (namedOutside(parent, stmt, name)) return false;
        written = false;
        continue;
      }
      // The next pass: the incrementor and condition, then the whole body (this loop included) again;
      // the loop ends after the condition with what was written up to there.
      let w: boolean = written;
      if (ts.isForStatement(parent)) {
        if (parent.incrementor) w = flow.visit(parent.incrementor, w);
        if (parent.condition) w = flow.visit(parent.condition, w);
      } else if (ts.isWhileStatement(parent) || ts.isDoStatement(parent)) {
        w = flow.visit(parent.expression, w);
      }
      flow.visit(parent.statement, w);
      written = w;
      continue;
    }
    // A write counts on the way up only through blocks and if branches: a switch's `break`, a
    // labelled block's or an exception would skip it.
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

/** A `break` or `continue` in `body` outside `inner` (or a labelled one anywhere), not in a nested function. */
function jumps(body: ts.Node, inner: ts.Node): boolean {
  const visit = (n: ts.Node, inInner: boolean): boolean => {
    if (ts.isFunctionLike(n)) return false;
    if (ts.isBreakOrContinueStatement(n) && (!inInner || n.label)) return true;
    const now = inInner || n === inner;
    return ts.forEachChild(n, (c) => (visit(c, now) ? true : undefined)) ?? false;
  };
  return visit(body, body === inner);
}

/** A `continue` in `body` (not in a nested function): the rest of that pass may be skipped. */
function hasContinue(body: ts.Node): boolean {
  const visit = (n: ts.Node): boolean =>
    !ts.isFunctionLike(n) &&
    (ts.isContinueStatement(n) || (ts.forEachChild(n, (c) => (visit(c) ? true : undefined)) ?? false));
  return visit(body);
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
      // `var i0 = e` again is the same variable: a write (ES5 redeclares its counters); a let or const
      // may be another variable that shadows it: give up.
      const isVar =
        ts.isVariableDeclarationList(n.parent) && (n.parent.flags & ts.NodeFlags.BlockScoped) === 0;
      if (!isVar) this.read = true;
      else if (n.initializer) return this.visit(n.initializer, w) || true;
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
    // A body's writes count in the incrementor or the do-while's condition only when no `continue` skips them.
    if (ts.isForStatement(n)) {
      const init = n.initializer ? this.visit(n.initializer, w) : w;
      if (n.condition) this.visit(n.condition, init);
      const body = this.visit(n.statement, init);
      if (n.incrementor) this.visit(n.incrementor, hasContinue(n.statement) ? init : body);
      return init;
    }
    if (ts.isWhileStatement(n) || ts.isDoStatement(n) || ts.isForInStatement(n) || ts.isForOfStatement(n)) {
      const first = ts.isDoStatement(n) ? w : this.visit(n.expression, w);
      const body = this.visit(n.statement, first);
      if (ts.isDoStatement(n)) this.visit(n.expression, hasContinue(n.statement) ? first : body);
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
    // Any other statement (switch, try, labelled…): each part is checked from where it starts, its
    // writes not counted (a later case clause is entered directly). Any other expression (calls,
    // element writes…): its parts in order, its writes counted.
    if (ts.isStatement(n) || ts.isCaseBlock(n) || ts.isCaseOrDefaultClause(n) || ts.isCatchClause(n)) {
      n.forEachChild((c) => void this.visit(c, w));
      return w;
    }
    let now = w;
    n.forEachChild((c) => {
      now = this.visit(c, now);
    });
    return now;
  }
}
