// Use-based typing for code with no usable types (plain JavaScript without JSDoc, or a type that does
// not resolve because node_modules is absent): a value indexed and measured is a numeric array, one
// used in arithmetic or comparisons is a number. Wrappers of such kernels check their arguments at
// run time (`typeSource: 'inferred'`), and the verdict says what was inferred.
import { referencesOf } from './refIndex.js';
import { ts } from './ts.js';

export type Inferred =
  | { readonly kind: 'scalar' }
  | { readonly kind: 'array'; readonly rank: 1 | 2 }
  | {
      readonly kind: 'none';
      readonly why: string;
      readonly noEvidence?: true;
      /** Used both as a number and as an array (not as an object). */
      readonly mixed?: true;
    };

const arithmetic = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.MinusToken,
  ts.SyntaxKind.AsteriskToken,
  ts.SyntaxKind.SlashToken,
  ts.SyntaxKind.PercentToken,
  ts.SyntaxKind.AsteriskAsteriskToken,
  ts.SyntaxKind.LessThanToken,
  ts.SyntaxKind.LessThanEqualsToken,
  ts.SyntaxKind.GreaterThanToken,
  ts.SyntaxKind.GreaterThanEqualsToken,
  ts.SyntaxKind.AmpersandToken,
  ts.SyntaxKind.BarToken,
  ts.SyntaxKind.CaretToken,
  ts.SyntaxKind.LessThanLessThanToken,
  ts.SyntaxKind.GreaterThanGreaterThanToken,
  ts.SyntaxKind.GreaterThanGreaterThanGreaterThanToken,
  ts.SyntaxKind.MinusEqualsToken,
  ts.SyntaxKind.AsteriskEqualsToken,
  ts.SyntaxKind.SlashEqualsToken,
]);

/** Methods of `Array.prototype` and of typed arrays. */
const arrayMethodNames = new Set([
  'at',
  'concat',
  'copyWithin',
  'entries',
  'every',
  'fill',
  'filter',
  'find',
  'findIndex',
  'findLast',
  'findLastIndex',
  'includes',
  'indexOf',
  'join',
  'keys',
  'lastIndexOf',
  'pop',
  'push',
  'reduceRight',
  'reverse',
  'set',
  'shift',
  'slice',
  'some',
  'sort',
  'splice',
  'subarray',
  'unshift',
  'values',
]);

function outer(n: ts.Node): ts.Node {
  let p = n;
  while (
    ts.isParenthesizedExpression(p.parent) ||
    ts.isNonNullExpression(p.parent) ||
    ts.isAsExpression(p.parent)
  )
    p = p.parent;
  return p;
}

/** `stored`: a number unless other uses show an array (a value stored into an element, `new Float64Array(x)`). */
type Use = 'rank1' | 'rank2' | 'array' | 'scalar' | 'stored' | 'neutral' | { readonly bad: string };

/** `xs.reduce((a, row) => a + row[1], 0)`: the callback indexes its element, so `xs` holds rows. */
function callbackIndexesElement(call: ts.CallExpression, k: number): boolean {
  const cb = call.arguments[0];
  if (!cb || !(ts.isArrowFunction(cb) || ts.isFunctionExpression(cb))) return false;
  const el = cb.parameters[k]?.name;
  if (!el || !ts.isIdentifier(el)) return false;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n) && n.text === el.text && n !== el) {
      const p = outer(n).parent;
      if (ts.isElementAccessExpression(p) && outer(p.expression) === outer(n)) found = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(cb.body);
  return found;
}

/** True for the initializer of a `for` statement (`i = x`, `let i = x`). */
function isForInit(n: ts.Node): boolean {
  const p = n.parent;
  return ts.isForStatement(p) && p.initializer === n;
}

/**
 * `Ai = A[i]` / `var Ai = A[i]` where `Ai` (by name, in the same function) is itself indexed or
 * measured: `A[i]` is a row, so `A` is an array of rows.
 */
function holdsRow(access: ts.Node): boolean {
  const p = access.parent;
  let name: ts.Identifier | undefined;
  if (ts.isBinaryExpression(p) && p.right === access && p.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const l = p.left;
    if (ts.isIdentifier(l)) name = l;
  } else if (ts.isVariableDeclaration(p) && p.initializer === access && ts.isIdentifier(p.name))
    name = p.name;
  if (!name) return false;
  const text = name.text;
  let indexed = false;
  const visit = (n: ts.Node): void => {
    if (indexed) return;
    if (ts.isIdentifier(n) && n.text === text) {
      const o = outer(n);
      const q = o.parent;
      if (
        (ts.isElementAccessExpression(q) && q.expression === o) ||
        (ts.isPropertyAccessExpression(q) && q.expression === o && q.name.text === 'length')
      )
        indexed = true;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(enclosingScope(p));
  return indexed;
}

/** What one occurrence of the value says about its type. */
function useOf(occ: ts.Node, text: string): Use {
  const n = outer(occ);
  const p = n.parent;
  if (ts.isElementAccessExpression(p) && p.expression === n) {
    const q = outer(p).parent;
    if (ts.isElementAccessExpression(q) && q.expression === outer(p)) return 'rank2';
    if (ts.isPropertyAccessExpression(q) && q.expression === outer(p) && q.name.text === 'length')
      return 'rank2';
    return holdsRow(outer(p)) ? 'rank2' : 'rank1';
  }
  if (ts.isPropertyAccessExpression(p) && p.expression === n) {
    if (p.name.text === 'length') return 'array';
    // `xs.map(cb)` / `reduce` / `forEach` with a callback: iterated as an array.
    const call = p.parent;
    if (
      ts.isCallExpression(call) &&
      call.expression === p &&
      ['map', 'reduce', 'forEach'].includes(p.name.text)
    )
      return callbackIndexesElement(call, p.name.text === 'reduce' ? 1 : 0) ? 'rank2' : 'rank1';
    // Other methods of arrays (outside the loop, say) do not contradict an array: the guard decides.
    if (arrayMethodNames.has(p.name.text)) return 'neutral';
    return { bad: `reads ${text}.${p.name.text}` };
  }
  if (ts.isCallExpression(p) && p.expression === n) return { bad: `calls ${text}()` };
  // `a[x]`: an index; `a[i] = x`: a value stored into an element; `for (i = x; …)`: a counter's start;
  // `new Float64Array(x)` / `Array(x)`: a length. Numbers in a kernel; the wrapper checks them.
  if (ts.isElementAccessExpression(p) && p.argumentExpression === n) return 'scalar';
  if (
    ts.isBinaryExpression(p) &&
    p.right === n &&
    p.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    (ts.isElementAccessExpression(outer(p.left)) || isForInit(p))
  )
    return isForInit(p) ? 'scalar' : 'stored';
  if (ts.isVariableDeclaration(p) && p.initializer === n && isForInit(p.parent)) return 'scalar';
  if (
    (ts.isNewExpression(p) || ts.isCallExpression(p)) &&
    p.arguments?.length === 1 &&
    p.arguments[0] === n &&
    ts.isIdentifier(p.expression) &&
    (p.expression.text === 'Array' || /^(Float|Int|Uint)\w*Array$/.test(p.expression.text))
  )
    return 'stored'; // a length, unless other uses show an array (`new Float64Array(xs)` copies xs)
  if (ts.isForOfStatement(p) && p.expression === n) return 'rank1';
  if (ts.isBinaryExpression(p)) {
    const k = p.operatorToken.kind;
    if (arithmetic.has(k)) return 'scalar';
    if (k === ts.SyntaxKind.PlusToken || k === ts.SyntaxKind.PlusEqualsToken) {
      const other = p.left === n ? p.right : p.left;
      // `x + 1` is numeric only when the other side is: a string on either side concatenates, which
      // says nothing (`'bad size ' + n` in an error message); the wrapper checks what was inferred.
      return ts.isStringLiteral(other) || ts.isTemplateExpression(other) ? 'neutral' : 'scalar';
    }
  }
  if (ts.isPrefixUnaryExpression(p) || ts.isPostfixUnaryExpression(p)) {
    return p.operator === ts.SyntaxKind.ExclamationToken ? 'neutral' : 'scalar';
  }
  if (
    ts.isCallExpression(p) &&
    ts.isPropertyAccessExpression(p.expression) &&
    ts.isIdentifier(p.expression.expression) &&
    p.expression.expression.text === 'Math'
  )
    return 'scalar';
  return 'neutral';
}

/** Infers a value's type from its occurrences (identifiers of one symbol, or `obj.field` reads). */
export function inferFromUses(occurrences: readonly ts.Node[], text: string): Inferred {
  let rank1 = false;
  let rank2 = false;
  let array = false;
  let scalar = false;
  let stored = false;
  for (const occ of occurrences) {
    const u = useOf(occ, text);
    if (typeof u === 'object') return { kind: 'none', why: `${text} has no type and ${u.bad}` };
    if (u === 'rank1') rank1 = true;
    else if (u === 'rank2') rank2 = true;
    else if (u === 'array') array = true;
    else if (u === 'scalar') scalar = true;
    else if (u === 'stored') stored = true;
  }
  const isArray = rank1 || rank2 || array;
  if (isArray && scalar)
    return {
      kind: 'none',
      why: `${text} has no type and is used both as a number and as an array`,
      mixed: true,
    };
  if (isArray) return { kind: 'array', rank: rank2 ? 2 : 1 };
  if (scalar || stored) return { kind: 'scalar' };
  return {
    kind: 'none',
    why: `type of ${text} is unknown and its use does not show a number or a numeric array (add a type or a JSDoc @type)`,
    noEvidence: true,
  };
}

/** True when `e` is a number by its syntax alone: literals, arithmetic, `.length`, `Math.f(…)`. */
export function isNumericSyntax(e: ts.Expression): boolean {
  if (ts.isParenthesizedExpression(e)) return isNumericSyntax(e.expression);
  if (ts.isNumericLiteral(e)) return true;
  if (ts.isPrefixUnaryExpression(e)) return e.operator !== ts.SyntaxKind.ExclamationToken; // -x, +x, ~x, ++x, --x
  if (ts.isPostfixUnaryExpression(e)) return true;
  if (ts.isPropertyAccessExpression(e)) return e.name.text === 'length';
  if (ts.isBinaryExpression(e)) {
    const k = e.operatorToken.kind;
    if (k === ts.SyntaxKind.PlusToken) return isNumericSyntax(e.left) && isNumericSyntax(e.right);
    return (
      arithmetic.has(k) &&
      k !== ts.SyntaxKind.LessThanToken &&
      k !== ts.SyntaxKind.LessThanEqualsToken &&
      k !== ts.SyntaxKind.GreaterThanToken &&
      k !== ts.SyntaxKind.GreaterThanEqualsToken
    );
  }
  if (ts.isConditionalExpression(e)) return isNumericSyntax(e.whenTrue) && isNumericSyntax(e.whenFalse);
  return (
    ts.isCallExpression(e) &&
    ts.isPropertyAccessExpression(e.expression) &&
    ts.isIdentifier(e.expression.expression) &&
    e.expression.expression.text === 'Math'
  );
}

/**
 * An untyped local (`var t;` in plain JS) that only ever holds numbers the loop computes: declared in
 * a function with no initializer or a numeric one, and every assignment anywhere in the function is
 * inside the loop `region` (the kernel computes it, from parameters it checks) or assigns a number by
 * its syntax (`i0 = j - 1`). Its value before the first assignment is `undefined`, which the kernel
 * reads as NaN, as for an untyped counter.
 */
export function numericByAssignments(
  checker: ts.TypeChecker,
  sym: ts.Symbol,
  decl: ts.Declaration,
  region: ts.Node,
): boolean {
  if (!ts.isVariableDeclaration(decl) || decl.type || !ts.isIdentifier(decl.name)) return false;
  if (decl.initializer && !isNumericSyntax(decl.initializer)) return false;
  const scope = enclosingScope(decl);
  if (ts.isSourceFile(scope)) return false;
  const inside = (n: ts.Node): boolean => n.pos >= region.pos && n.end <= region.end;
  let assignedInside = false;
  for (const r of referencesIn(checker, sym, scope)) {
    const p = outer(r).parent;
    if (ts.isBinaryExpression(p) && outer(p.left) === outer(r)) {
      const k = p.operatorToken.kind;
      if (k < ts.SyntaxKind.FirstAssignment || k > ts.SyntaxKind.LastAssignment) continue;
      if (inside(p)) assignedInside = true;
      else if (k !== ts.SyntaxKind.EqualsToken || !isNumericSyntax(p.right)) return false;
    } else if ((ts.isForInStatement(p) || ts.isForOfStatement(p)) && outer(p.initializer) === outer(r)) {
      return false;
    }
  }
  return assignedInside;
}

/** Every reference to `sym` inside `scope` (declarations excluded). */
export function referencesIn(checker: ts.TypeChecker, sym: ts.Symbol, scope: ts.Node): ts.Identifier[] {
  return [...referencesOf(checker, sym, scope)];
}

/** The function (or file) whose body holds `node`: the scope in which a value's uses are read. */
export function enclosingScope(node: ts.Node): ts.Node {
  let n: ts.Node = node;
  while (!ts.isSourceFile(n) && !(ts.isFunctionLike(n) && n !== node)) n = n.parent;
  return n;
}
