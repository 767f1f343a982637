// Names a loop body reads, declares and mutates — syntax only, no type checker: enough to tell a
// loop over independent items from one whose next request needs the previous answer.
import { ts } from '../../analysis/ts.js';

/** Array/Map/Set methods that change their receiver. */
const MUTATORS = new Set([
  'push',
  'pop',
  'shift',
  'unshift',
  'splice',
  'sort',
  'reverse',
  'fill',
  'copyWithin',
  'set',
  'add',
  'delete',
  'clear',
]);

/** Visits `node`'s descendants; `skipFunctions` stops at nested functions. */
export function forEachDescendant(
  node: ts.Node,
  visit: (n: ts.Node) => boolean | undefined,
  skipFunctions = false,
): void {
  const walk = (n: ts.Node): void => {
    if (skipFunctions && ts.isFunctionLike(n)) return;
    if (visit(n) === false) return;
    ts.forEachChild(n, walk);
  };
  ts.forEachChild(node, walk);
}

/** Identifiers bound by a binding name (`x`, `{ a, b: [c] }`). */
export function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  const out: string[] = [];
  for (const el of name.elements) if (!ts.isOmittedExpression(el)) out.push(...bindingNames(el.name));
  return out;
}

/** Every name declared anywhere under `nodes` (variables, functions, classes, parameters, catch clauses). */
export function declaredNames(nodes: readonly ts.Node[]): Set<string> {
  const out = new Set<string>();
  const add = (n: ts.Node): void => {
    if (
      (ts.isVariableDeclaration(n) || ts.isParameter(n) || ts.isBindingElement(n)) &&
      ts.isIdentifier(n.name)
    )
      out.add(n.name.text);
    else if ((ts.isFunctionDeclaration(n) || ts.isClassDeclaration(n)) && n.name) out.add(n.name.text);
  };
  for (const node of nodes) {
    add(node);
    forEachDescendant(node, (n) => {
      add(n);
      return true;
    });
  }
  return out;
}

/** True when `id` is a value reference (not a property name, a declared name or a label). */
function isReference(id: ts.Identifier): boolean {
  const p = id.parent;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return false;
  if (
    (ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isMethodDeclaration(p)) &&
    p.name === id
  )
    return false;
  if ((ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isFunctionDeclaration(p)) && p.name === id)
    return false;
  if (ts.isBindingElement(p) && (p.name === id || p.propertyName === id)) return false;
  if (ts.isLabeledStatement(p) || ts.isBreakOrContinueStatement(p)) return false;
  if (ts.isTypeReferenceNode(p) || ts.isQualifiedName(p) || ts.isTypeQueryNode(p)) return false;
  return true;
}

/** Value references under `nodes` (including in closures), with `node` itself counted; `skip` subtrees left out. */
export function referencedNames(
  nodes: readonly ts.Node[],
  skip: ReadonlySet<ts.Node> = new Set(),
): Set<string> {
  const out = new Set<string>();
  const add = (n: ts.Node): void => {
    if (ts.isIdentifier(n) && isReference(n)) out.add(n.text);
    else if (ts.isShorthandPropertyAssignment(n)) out.add(n.name.text);
    else if (n.kind === ts.SyntaxKind.ThisKeyword) out.add('this');
  };
  for (const node of nodes) {
    if (skip.has(node)) continue;
    add(node);
    forEachDescendant(node, (n) => {
      if (skip.has(n)) return false;
      add(n);
      return true;
    });
  }
  return out;
}

/** The variable an assignment target or receiver chain starts from (`a.b[c].d` → `a`; `this.x` → `this`). */
export function rootName(e: ts.Expression): string | undefined {
  let x: ts.Expression = e;
  for (;;) {
    if (ts.isParenthesizedExpression(x) || ts.isNonNullExpression(x) || ts.isAsExpression(x))
      x = x.expression;
    else if (ts.isPropertyAccessExpression(x) || ts.isElementAccessExpression(x)) x = x.expression;
    else break;
  }
  if (ts.isIdentifier(x)) return x.text;
  if (x.kind === ts.SyntaxKind.ThisKeyword) return 'this';
  return undefined;
}

function targetRoots(target: ts.Expression, out: Set<string>): void {
  if (ts.isArrayLiteralExpression(target)) {
    for (const el of target.elements) targetRoots(ts.isSpreadElement(el) ? el.expression : el, out);
    return;
  }
  if (ts.isObjectLiteralExpression(target)) {
    for (const p of target.properties) {
      if (ts.isShorthandPropertyAssignment(p)) out.add(p.name.text);
      else if (ts.isPropertyAssignment(p)) targetRoots(p.initializer, out);
      else if (ts.isSpreadAssignment(p)) targetRoots(p.expression, out);
    }
    return;
  }
  if (ts.isBinaryExpression(target) && target.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    targetRoots(target.left, out);
    return;
  }
  const r = rootName(target);
  if (r !== undefined) out.add(r);
}

function isAssignment(k: ts.SyntaxKind): boolean {
  return k >= ts.SyntaxKind.FirstAssignment && k <= ts.SyntaxKind.LastAssignment;
}

/** Variables whose value or contents change under `nodes`: assigned, incremented, deleted from, or mutated by a method. */
export function mutatedRoots(nodes: readonly ts.Node[]): Set<string> {
  const out = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (ts.isBinaryExpression(n) && isAssignment(n.operatorToken.kind)) targetRoots(n.left, out);
    else if (
      (ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) &&
      (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)
    )
      targetRoots(n.operand, out);
    else if (ts.isDeleteExpression(n)) targetRoots(n.expression, out);
    else if (
      (ts.isForOfStatement(n) || ts.isForInStatement(n)) &&
      !ts.isVariableDeclarationList(n.initializer)
    )
      targetRoots(n.initializer, out);
    else if (
      ts.isCallExpression(n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      MUTATORS.has(n.expression.name.text)
    ) {
      const r = rootName(n.expression.expression);
      if (r !== undefined) out.add(r);
    }
  };
  for (const node of nodes) {
    visit(node);
    forEachDescendant(node, (n) => {
      visit(n);
      return true;
    });
  }
  return out;
}

/** The awaits under `node` that are not inside a nested function (in source order). */
export function awaitsIn(node: ts.Node, skipLoops = false): ts.AwaitExpression[] {
  const out: ts.AwaitExpression[] = [];
  const visit = (n: ts.Node): boolean => {
    if (skipLoops && ts.isIterationStatement(n, false)) return false;
    if (ts.isAwaitExpression(n)) out.push(n);
    return true;
  };
  if (ts.isAwaitExpression(node)) out.push(node);
  forEachDescendant(node, visit, true);
  return out;
}
