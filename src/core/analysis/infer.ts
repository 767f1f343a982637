// Use-based typing for code with no usable types (plain JavaScript without JSDoc, or a type that does
// not resolve because node_modules is absent): a value indexed and measured is a numeric array, one
// used in arithmetic or comparisons is a number. Wrappers of such kernels check their arguments at
// run time (`typeSource: 'inferred'`), and the verdict says what was inferred.
import { ts } from './ts.js';

export type Inferred =
  | { readonly kind: 'scalar' }
  | { readonly kind: 'array'; readonly rank: 1 | 2 }
  | { readonly kind: 'none'; readonly why: string };

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

type Use = 'rank1' | 'rank2' | 'array' | 'scalar' | 'neutral' | { readonly bad: string };

/** What one occurrence of the value says about its type. */
function useOf(occ: ts.Node, text: string): Use {
  const n = outer(occ);
  const p = n.parent;
  if (ts.isElementAccessExpression(p) && p.expression === n) {
    const q = outer(p).parent;
    if (ts.isElementAccessExpression(q) && q.expression === outer(p)) return 'rank2';
    if (ts.isPropertyAccessExpression(q) && q.expression === outer(p) && q.name.text === 'length')
      return 'rank2';
    return 'rank1';
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
      return 'rank1';
    // Other methods of arrays (outside the loop, say) do not contradict an array: the guard decides.
    if (arrayMethodNames.has(p.name.text)) return 'neutral';
    return { bad: `reads ${text}.${p.name.text}` };
  }
  if (ts.isCallExpression(p) && p.expression === n) return { bad: `calls ${text}()` };
  if (ts.isForOfStatement(p) && p.expression === n) return 'rank1';
  if (ts.isBinaryExpression(p)) {
    const k = p.operatorToken.kind;
    if (arithmetic.has(k)) return 'scalar';
    if (k === ts.SyntaxKind.PlusToken || k === ts.SyntaxKind.PlusEqualsToken) {
      const other = p.left === n ? p.right : p.left;
      // `x + 1` is numeric only when the other side is: a string on either side concatenates.
      return ts.isStringLiteral(other) || ts.isTemplateExpression(other)
        ? { bad: `concatenates ${text}` }
        : 'scalar';
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
  for (const occ of occurrences) {
    const u = useOf(occ, text);
    if (typeof u === 'object') return { kind: 'none', why: `${text} has no type and ${u.bad}` };
    if (u === 'rank1') rank1 = true;
    else if (u === 'rank2') rank2 = true;
    else if (u === 'array') array = true;
    else if (u === 'scalar') scalar = true;
  }
  const isArray = rank1 || rank2 || array;
  if (isArray && scalar)
    return { kind: 'none', why: `${text} has no type and is used both as a number and as an array` };
  if (isArray) return { kind: 'array', rank: rank2 ? 2 : 1 };
  if (scalar) return { kind: 'scalar' };
  return {
    kind: 'none',
    why: `type of ${text} is unknown and its use does not show a number or a numeric array (add a type or a JSDoc @type)`,
  };
}

/** Every reference to `sym` inside `scope` (declarations excluded). */
export function referencesIn(checker: ts.TypeChecker, sym: ts.Symbol, scope: ts.Node): ts.Identifier[] {
  const out: ts.Identifier[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n)) {
      const p = n.parent;
      const isDecl = (ts.isVariableDeclaration(p) || ts.isParameter(p)) && p.name === n;
      if (
        !isDecl &&
        !(ts.isPropertyAccessExpression(p) && p.name === n) &&
        checker.getSymbolAtLocation(n) === sym
      )
        out.push(n);
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(scope);
  return out;
}

/** The function (or file) whose body holds `node`: the scope in which a value's uses are read. */
export function enclosingScope(node: ts.Node): ts.Node {
  let n: ts.Node = node;
  while (!ts.isSourceFile(n) && !(ts.isFunctionLike(n) && n !== node)) n = n.parent;
  return n;
}
