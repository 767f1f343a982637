// Syntax helpers shared by the layout and hashing advisors: where a node is, which function holds it,
// where a name is declared and with which type, the loops around a node, and fresh names.
import { ts } from '../../analysis/ts.js';
import type { Range } from '../../analysis/types.js';
import { forEachDescendant } from '../io/scope.js';

export function rangeOf(source: ts.SourceFile, n: ts.Node): Range {
  const s = source.getLineAndCharacterOfPosition(n.getStart(source));
  const e = source.getLineAndCharacterOfPosition(n.end);
  return { start: { line: s.line, character: s.character }, end: { line: e.line, character: e.character } };
}

export function lineOf(source: ts.SourceFile, n: ts.Node): number {
  return source.getLineAndCharacterOfPosition(n.getStart(source)).line + 1;
}

/** The innermost function around `n` (or the file), with its name for messages. */
export function functionOf(n: ts.Node): { name: string; body: ts.Node } {
  for (let p = n.parent as ts.Node | undefined; p; p = p.parent) {
    if (ts.isFunctionLike(p)) {
      const named =
        'name' in p && p.name && ts.isIdentifier(p.name)
          ? p.name.text
          : ts.isVariableDeclaration(p.parent) && ts.isIdentifier(p.parent.name)
            ? p.parent.name.text
            : '<anonymous>';
      return { name: named, body: p };
    }
    if (ts.isSourceFile(p)) return { name: '<module>', body: p };
  }
  return { name: '<module>', body: n.getSourceFile() };
}

/** The loops around `n` inside its own function, innermost first. */
export function enclosingLoops(n: ts.Node): ts.IterationStatement[] {
  const out: ts.IterationStatement[] = [];
  for (let p = n.parent as ts.Node | undefined; p; p = p.parent) {
    if (ts.isFunctionLike(p) || ts.isSourceFile(p)) break;
    if (ts.isIterationStatement(p, false)) out.push(p);
  }
  return out;
}

/** The declaration (parameter or variable) that binds `name` where `at` sees it, else undefined. */
export function declarationOf(
  name: string,
  at: ts.Node,
): ts.ParameterDeclaration | ts.VariableDeclaration | undefined {
  for (let p = at.parent as ts.Node | undefined; p; p = p.parent) {
    if (ts.isFunctionLike(p)) {
      const param = p.parameters.find((q) => ts.isIdentifier(q.name) && q.name.text === name);
      if (param) return param;
    }
    const stmts = ts.isBlock(p) || ts.isSourceFile(p) || ts.isModuleBlock(p) ? p.statements : undefined;
    for (const s of stmts ?? []) {
      if (!ts.isVariableStatement(s)) continue;
      const d = s.declarationList.declarations.find((v) => ts.isIdentifier(v.name) && v.name.text === name);
      if (d) return d;
    }
  }
  return undefined;
}

/** Identifier nodes named `name` under `root` that are value references (not property names). */
export function uses(root: ts.Node, name: string): ts.Identifier[] {
  const out: ts.Identifier[] = [];
  forEachDescendant(root, (n) => {
    if (
      ts.isIdentifier(n) &&
      n.text === name &&
      !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n) &&
      !(ts.isPropertyAssignment(n.parent) && n.parent.name === n) &&
      !ts.isTypeReferenceNode(n.parent)
    )
      out.push(n);
    return true;
  });
  return out;
}

/** True when `e` is the target of an assignment, `++`/`--` or `delete`. */
export function isWritten(e: ts.Expression): boolean {
  let n: ts.Node = e;
  while (ts.isParenthesizedExpression(n.parent)) n = n.parent;
  const p = n.parent;
  if (ts.isBinaryExpression(p) && p.left === n)
    return (
      p.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
      p.operatorToken.kind <= ts.SyntaxKind.LastAssignment
    );
  if ((ts.isPrefixUnaryExpression(p) || ts.isPostfixUnaryExpression(p)) && p.operand === n)
    return p.operator === ts.SyntaxKind.PlusPlusToken || p.operator === ts.SyntaxKind.MinusMinusToken;
  return ts.isDeleteExpression(p);
}

/** True when `e` evaluates to an array this code made itself (a literal, `new X(…)`, or a local initialised so). */
function freshArray(e: ts.Expression, at: ts.Node, avoid: string): boolean {
  if (ts.isArrayLiteralExpression(e) || ts.isNewExpression(e)) return true;
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression))
    return (
      (/^(map|filter|slice|concat|fill)$/.test(e.expression.name.text) &&
        freshArray(e.expression.expression, at, avoid)) ||
      e.expression.getText() === 'Array.from'
    );
  if (!ts.isIdentifier(e) || e.text === avoid) return false;
  const d = declarationOf(e.text, at);
  return (
    d !== undefined &&
    ts.isVariableDeclaration(d) &&
    d.initializer !== undefined &&
    freshArray(d.initializer, d, avoid)
  );
}

const PURE_NEW = /^(Array|Float64Array|Float32Array|Int32Array|Uint32Array|Uint8Array|Map|Set)(<.*>)?$/;

/**
 * The first call under `root` that could change `array` or its elements: anything but `Math.*`,
 * `new Array/typed array/Map/Set` and methods of arrays this code made itself (`out.push(x)`), with
 * arguments that do not mention `array`.
 */
export function firstImpureCall(root: ts.Node, source: ts.SourceFile, array: string): string | undefined {
  let found: string | undefined;
  forEachDescendant(root, (n) => {
    if (found) return false;
    if (ts.isCallExpression(n) || ts.isNewExpression(n)) {
      const callee = n.expression.getText(source);
      const args = n.arguments ?? [];
      const ok =
        /^Math\.\w+$/.test(callee) ||
        (ts.isNewExpression(n) && PURE_NEW.test(callee)) ||
        (ts.isPropertyAccessExpression(n.expression) &&
          freshArray(n.expression.expression, n, array) &&
          !args.some((a) => uses(a, array).length > 0 || (ts.isIdentifier(a) && a.text === array)));
      if (!ok) found = `${callee}()`;
    }
    return true;
  });
  return found;
}

/** True when `root` contains an `await` or `for await` (an IO-bound loop: the IO advisor's). */
export function awaits(root: ts.Node): boolean {
  if (ts.isForOfStatement(root) && root.awaitModifier) return true;
  let found = false;
  forEachDescendant(
    root,
    (n) => {
      if (ts.isAwaitExpression(n) || (ts.isForOfStatement(n) && n.awaitModifier)) found = true;
      return !found;
    },
    true,
  );
  return found;
}

/** `base` (or `base1`, `base2`…) that the file does not mention yet. */
export function freshName(text: string, base: string, taken: ReadonlySet<string> = new Set()): string {
  for (let k = 0; ; k++) {
    const name = k === 0 ? base : `${base}${k}`;
    if (!taken.has(name) && !new RegExp(`\\b${name}\\b`).test(text)) return name;
  }
}

/** The whitespace that starts the line holding `pos`. */
export function indentAt(text: string, pos: number): string {
  const start = text.lastIndexOf('\n', pos - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))![0];
}

/** The offset where the line holding `pos` starts. */
export function lineStartAt(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}
