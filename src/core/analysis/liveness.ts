// Is a loop counter's value read after its loop? ES5 code reuses `var i` for every loop of a function
// (`for (i = 0; …)` again and again): a later loop that assigns it first does not read the old value.
import { deadAfter } from './mustWrite.js';
import { referencesOf } from './refIndex.js';
import { ts } from './ts.js';

function enclosingScope(n: ts.Node): ts.Node {
  let scope: ts.Node = n.parent;
  while (!ts.isFunctionLike(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
  return scope;
}

/** References of `sym` in `scope` (not its declaration's name), in source order. */
function references(scope: ts.Node, sym: ts.Symbol, checker: ts.TypeChecker): readonly ts.Identifier[] {
  return referencesOf(checker, sym, scope);
}

/** `x = e` where `e` does not read `x`: the old value of `x` is dead here. */
function isPureWrite(id: ts.Identifier, sym: ts.Symbol, checker: ts.TypeChecker): boolean {
  const p = id.parent;
  if (!ts.isBinaryExpression(p) || p.left !== id || p.operatorToken.kind !== ts.SyntaxKind.EqualsToken)
    return false;
  let reads = false;
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n) && checker.getSymbolAtLocation(n) === sym) reads = true;
    ts.forEachChild(n, visit);
  };
  visit(p.right);
  return !reads;
}

const inside = (n: ts.Node, outer: ts.Node): boolean => n.pos >= outer.pos && n.end <= outer.end;

/**
 * True when the value `sym` holds after `loop` may be read: the next reference after the loop is not a
 * plain assignment, or an enclosing loop reads it before this loop (the value comes round again).
 */
export function liveAfter(loop: ts.Node, sym: ts.Symbol, checker: ts.TypeChecker): boolean {
  if (!liveByNextUse(loop, sym, checker)) return false;
  // The next use reads it, or a loop around comes back to it: dead all the same when every path
  // writes it before a read (RFFT.forward's `i0`, every loop of which starts `for (i0 = ix; …)`).
  const scope = enclosingScope(loop);
  return !(ts.isFunctionLike(scope) && ts.isStatement(loop) && deadAfter(scope, loop, sym.name));
}

function liveByNextUse(loop: ts.Node, sym: ts.Symbol, checker: ts.TypeChecker): boolean {
  const scope = enclosingScope(loop);
  const refs = references(scope, sym, checker).filter((r) => !inside(r, loop));
  for (let a: ts.Node = loop.parent; a !== scope; a = a.parent) {
    if (!ts.isIterationStatement(a, false)) continue;
    if (refs.some((r) => inside(r, a) && r.pos < loop.pos && !isPureWrite(r, sym, checker))) return true;
  }
  // Declared outside the function (a closure's or module variable): whoever reads it later is unknown.
  const decl = sym.valueDeclaration;
  if (!decl || !inside(decl, scope)) return true;
  const next = refs.find((r) => r.pos >= loop.end);
  // `var i = 0` again after the loop (ES5 code redeclares its counters) sets it like `i = 0`.
  const redeclared = (sym.declarations ?? []).some(
    (d) =>
      ts.isVariableDeclaration(d) &&
      d.initializer !== undefined &&
      d.pos >= loop.end &&
      (next === undefined || d.end <= next.pos) &&
      !readsSym(d.initializer, sym, checker),
  );
  if (redeclared) return false;
  return next !== undefined && !isPureWrite(next, sym, checker);
}

function readsSym(e: ts.Node, sym: ts.Symbol, checker: ts.TypeChecker): boolean {
  let reads = false;
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n) && checker.getSymbolAtLocation(n) === sym) reads = true;
    ts.forEachChild(n, visit);
  };
  visit(e);
  return reads;
}

/** True when `sym` (declared by `decl`) is assigned, incremented or decremented anywhere in its function. */
export function reassigned(decl: ts.Node, sym: ts.Symbol, checker: ts.TypeChecker): boolean {
  return references(enclosingScope(decl), sym, checker).some((r) => {
    const p = r.parent;
    if (ts.isBinaryExpression(p) && p.left === r) {
      const k = p.operatorToken.kind;
      return k >= ts.SyntaxKind.FirstAssignment && k <= ts.SyntaxKind.LastAssignment;
    }
    return (
      (ts.isPrefixUnaryExpression(p) || ts.isPostfixUnaryExpression(p)) &&
      (p.operator === ts.SyntaxKind.PlusPlusToken || p.operator === ts.SyntaxKind.MinusMinusToken)
    );
  });
}
