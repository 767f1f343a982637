// Local aliases of Math functions, as ES5 numeric code writes them: `var abs = Math.abs;` (numeric.js),
// `var ffloor = Math.floor;` (jpeg-js), `const { sqrt, floor } = Math;`. A call of such an alias is the
// Math call when the alias is never assigned again anywhere in its file.
import { referencesOf } from './refIndex.js';
import { ts } from './ts.js';

/** Per-symbol answers (a symbol belongs to one program; the memo goes with it). */
const memo = new WeakMap<ts.Symbol, string | null>();

function unwrap(e: ts.Expression): ts.Expression {
  let x = e;
  while (ts.isParenthesizedExpression(x) || ts.isAsExpression(x) || ts.isNonNullExpression(x))
    x = x.expression;
  return x;
}

const isMath = (e: ts.Expression): boolean =>
  ts.isIdentifier(unwrap(e)) && (unwrap(e) as ts.Identifier).text === 'Math';

/** The Math member a declaration binds (`x = Math.abs`, `{ abs } = Math`, `{ abs: f } = Math`), or undefined. */
function boundMember(decl: ts.Declaration): string | undefined {
  if (ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name) && decl.initializer) {
    const init = unwrap(decl.initializer);
    return ts.isPropertyAccessExpression(init) && isMath(init.expression) ? init.name.text : undefined;
  }
  if (
    ts.isBindingElement(decl) &&
    ts.isObjectBindingPattern(decl.parent) &&
    !decl.dotDotDotToken &&
    !decl.initializer
  ) {
    const v = decl.parent.parent;
    if (!ts.isVariableDeclaration(v) || !v.initializer || !isMath(v.initializer)) return undefined;
    const key = decl.propertyName ?? decl.name;
    return ts.isIdentifier(key) ? key.text : undefined;
  }
  return undefined;
}

/** True when an identifier of `sym` anywhere in `scope` is written (`=`, `+=`, `++`, …). */
function assignedIn(checker: ts.TypeChecker, sym: ts.Symbol, scope: ts.Node): boolean {
  return referencesOf(checker, sym, scope).some((n) => {
    const p = n.parent;
    return (
      (ts.isBinaryExpression(p) &&
        p.left === n &&
        p.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
        p.operatorToken.kind <= ts.SyntaxKind.LastAssignment) ||
      ((ts.isPrefixUnaryExpression(p) || ts.isPostfixUnaryExpression(p)) &&
        (p.operator === ts.SyntaxKind.PlusPlusToken || p.operator === ts.SyntaxKind.MinusMinusToken))
    );
  });
}

/** Where a declaration's variable can be assigned: its function (a `var` or `const` of a function), or its file. */
function scopeOf(decl: ts.Declaration): ts.Node {
  let n: ts.Node = decl.parent;
  while (!ts.isSourceFile(n) && !ts.isFunctionLike(n)) n = n.parent;
  return n;
}

/** `abs` in `abs(x)` → 'abs' when it is a never-reassigned alias of `Math.abs`; else undefined. */
export function mathAlias(checker: ts.TypeChecker, callee: ts.Identifier): string | undefined {
  const sym = checker.getSymbolAtLocation(callee);
  if (!sym) return undefined;
  const known = memo.get(sym);
  if (known !== undefined) return known ?? undefined;
  const decls = sym.declarations ?? [];
  const decl = decls.length === 1 ? decls[0] : undefined;
  const member = decl ? boundMember(decl) : undefined;
  const answer =
    member !== undefined && decl && !assignedIn(checker, sym, scopeOf(decl)) ? member : undefined;
  memo.set(sym, answer ?? null);
  return answer;
}
