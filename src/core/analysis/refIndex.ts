// One pass over a function collects the references of every symbol in it; the type inference and the
// liveness checks ask for one symbol's references many times per loop (numeric.js has hundreds of
// loops in functions of dozens of untyped locals), so they read this index instead of walking again.
import { ts } from './ts.js';

type Index = Map<ts.Symbol, ts.Identifier[]>;

/** Per checker (one program), per scope node: the index. Both go when the program goes. */
const indexes = new WeakMap<ts.TypeChecker, WeakMap<ts.Node, Index>>();

function build(checker: ts.TypeChecker, scope: ts.Node): Index {
  const index: Index = new Map();
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n)) {
      const p = n.parent;
      const isDeclName = (ts.isVariableDeclaration(p) || ts.isParameter(p)) && p.name === n;
      if (isDeclName || (ts.isPropertyAccessExpression(p) && p.name === n)) return;
      // `{ s, i }` reads the variables s and i, whose symbols are not the properties' own.
      const sym = ts.isShorthandPropertyAssignment(p)
        ? checker.getShorthandAssignmentValueSymbol(p)
        : checker.getSymbolAtLocation(n);
      if (!sym) return;
      const list = index.get(sym);
      if (list) list.push(n);
      else index.set(sym, [n]);
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(scope);
  return index;
}

/**
 * Every reference to `sym` inside `scope`, in source order: identifiers that are not the name of a
 * variable or parameter declaration nor the name after a dot (a shorthand `{ s }` counts as a read).
 */
export function referencesOf(
  checker: ts.TypeChecker,
  sym: ts.Symbol,
  scope: ts.Node,
): readonly ts.Identifier[] {
  let byScope = indexes.get(checker);
  if (!byScope) indexes.set(checker, (byScope = new WeakMap()));
  let index = byScope.get(scope);
  if (!index) byScope.set(scope, (index = build(checker, scope)));
  return index.get(sym) ?? [];
}
