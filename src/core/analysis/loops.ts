// Finding loops: every for/for-of/for-in/while/do-while statement and every map/reduce/forEach/filter
// call over an array, with its enclosing function path, per-function ordinal, depth and parent.
import { ts } from './ts.js';
import type { LoopKind } from './types.js';

export type FunctionNode = ts.SourceFile | ts.FunctionLikeDeclaration;

export interface FoundFunction {
  readonly node: FunctionNode;
  /** `<module>`, `name`, `Class.method`, `outer.inner`, `<anonymous>`, `<anonymous:2>`… */
  readonly path: string;
  readonly loops: FoundLoop[];
}

export interface FoundLoop {
  readonly node: ts.IterationStatement | ts.CallExpression;
  readonly kind: LoopKind;
  readonly fn: FoundFunction;
  readonly ordinal: number;
  readonly depth: number;
  readonly parent?: FoundLoop;
  readonly children: FoundLoop[];
}

// A Map, not an object literal: `x.toString()` or `o.hasOwnProperty(k)` must not find Object.prototype's members.
const arrayMethods: ReadonlyMap<string, LoopKind> = new Map([
  ['map', 'map'],
  ['reduce', 'reduce'],
  ['forEach', 'forEach'],
  ['filter', 'filter'],
]);

/** `xs.map(cb)`-style calls that iterate an array, or undefined. `isArray` decides the receiver. */
export function arrayLoopKind(
  node: ts.Node,
  isArray: (receiver: ts.Expression) => boolean,
): LoopKind | undefined {
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return undefined;
  const kind = arrayMethods.get(node.expression.name.text);
  if (!kind || node.arguments.length === 0) return undefined;
  return isArray(node.expression.expression) ? kind : undefined;
}

const statementKinds = new Map<ts.SyntaxKind, LoopKind>([
  [ts.SyntaxKind.ForStatement, 'for'],
  [ts.SyntaxKind.ForOfStatement, 'for-of'],
  [ts.SyntaxKind.ForInStatement, 'for-in'],
  [ts.SyntaxKind.WhileStatement, 'while'],
  [ts.SyntaxKind.DoStatement, 'do-while'],
]);
const CallExpression = ts.SyntaxKind.CallExpression;
// Hot path (every node of the file): read the compiler's functions once.
const { forEachChild, isFunctionLike } = ts;
const skipped = new Set([
  ts.SyntaxKind.InterfaceDeclaration,
  ts.SyntaxKind.TypeAliasDeclaration,
  ts.SyntaxKind.ImportDeclaration,
  ts.SyntaxKind.TypeReference,
  ts.SyntaxKind.TypeLiteral,
  ts.SyntaxKind.Identifier,
  ts.SyntaxKind.NumericLiteral,
  ts.SyntaxKind.StringLiteral,
]);

function statementKind(node: ts.Node): LoopKind | undefined {
  return statementKinds.get(node.kind);
}

function propName(name: ts.PropertyName | ts.BindingName | ts.MemberName): string | undefined {
  if (
    ts.isIdentifier(name) ||
    ts.isPrivateIdentifier(name) ||
    ts.isStringLiteral(name) ||
    ts.isNumericLiteral(name)
  )
    return name.text;
  return undefined;
}

/** The local name of a function-like node (without its parents). */
function ownName(node: ts.FunctionLikeDeclaration): string | undefined {
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  if (node.name) return propName(node.name);
  const p = node.parent;
  if (ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p))
    return propName(p.name);
  if (
    ts.isBinaryExpression(p) &&
    p.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    ts.isPropertyAccessExpression(p.left)
  ) {
    return p.left.name.text;
  }
  return undefined;
}

function className(node: ts.Node): string | undefined {
  const p = node.parent;
  if (ts.isClassDeclaration(p) || ts.isClassExpression(p)) return p.name?.text ?? '<class>';
  return undefined;
}

/** Finds every loop of a source file, grouped by enclosing function. */
export function findLoops(sf: ts.SourceFile, isArray: (receiver: ts.Expression) => boolean): FoundFunction[] {
  const functions: FoundFunction[] = [];
  const moduleFn: FoundFunction = { node: sf, path: '<module>', loops: [] };
  functions.push(moduleFn);
  const usedNames = new Map<FoundFunction, Map<string, number>>();
  const transparent = new Set<ts.Node>();

  const childFunction = (parent: FoundFunction, node: ts.FunctionLikeDeclaration): FoundFunction => {
    const base = ownName(node) ?? '<anonymous>';
    const cls = className(node);
    let local = cls ? `${cls}.${base}` : base;
    const used = usedNames.get(parent) ?? new Map<string, number>();
    usedNames.set(parent, used);
    const seen = (used.get(local) ?? 0) + 1;
    used.set(local, seen);
    if (seen > 1) local = `${local}:${seen}`;
    const path = parent.node === sf ? local : `${parent.path}.${local}`;
    const fn: FoundFunction = { node, path, loops: [] };
    functions.push(fn);
    return fn;
  };

  const visit = (
    node: ts.Node,
    fn: FoundFunction,
    parentLoop: FoundLoop | undefined,
    depth: number,
  ): void => {
    if (skipped.has(node.kind)) return;
    if (isFunctionLike(node) && !transparent.has(node) && 'body' in node && node.body) {
      const inner = childFunction(fn, node);
      forEachChild(node, (c) => {
        visit(c, inner, undefined, 0);
      });
      return;
    }
    const kind =
      statementKind(node) ?? (node.kind === CallExpression ? arrayLoopKind(node, isArray) : undefined);
    if (kind) {
      const loop: FoundLoop = {
        node: node as ts.IterationStatement | ts.CallExpression,
        kind,
        fn,
        ordinal: fn.loops.length,
        depth,
        children: [],
        ...(parentLoop ? { parent: parentLoop } : {}),
      };
      fn.loops.push(loop);
      parentLoop?.children.push(loop);
      if (ts.isCallExpression(node)) {
        const cb = node.arguments[0];
        if (cb && (ts.isArrowFunction(cb) || ts.isFunctionExpression(cb))) transparent.add(cb);
        // The receiver is evaluated before the loop runs: `a.map(f).map(g)` is two sibling loops.
        visit(node.expression, fn, parentLoop, depth);
        for (const arg of node.arguments) visit(arg, fn, loop, depth + 1);
        return;
      }
      ts.forEachChild(node, (c) => {
        visit(c, fn, loop, depth + 1);
      });
      return;
    }
    forEachChild(node, (c) => {
      visit(c, fn, parentLoop, depth);
    });
  };
  ts.forEachChild(sf, (c) => {
    visit(c, moduleFn, undefined, 0);
  });
  return functions.filter((f) => f.loops.length > 0);
}
