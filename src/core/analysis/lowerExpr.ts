// Lowering expressions to the Kernel IR (numbers only; anything else is rejected with a reason).
import type { BinOp, Expr, MathFn } from '../ir/types.js';
import { MATH_FNS } from '../ir/types.js';
import { lowerArrayMethodExpr } from './arrayMethods.js';
import { lowerAssignExpr } from './assignExpr.js';
import { callReason, inlineCall, inlinePropertyCall } from './inline.js';
import { flagLiteral, isTested } from './flags.js';
import { mathAlias } from './mathAlias.js';
import { lowerIncrement } from './increments.js';
import { inlineMethodCall } from './methods.js';
import { resolveField } from './fields.js';
import type { Binding, LowerCtx } from './lowerCtx.js';
import { note, reject, short, touchArray, uniqueName } from './lowerCtx.js';
import { builtinConst, numLit, resolveIdentifier } from './resolve.js';
import { ts } from './ts.js';
import { isNumberType, isRank2, isStringType } from './typeInfo.js';

const mathFns: ReadonlySet<string> = new Set(MATH_FNS);

const binOps: Partial<Record<ts.SyntaxKind, BinOp>> = {
  [ts.SyntaxKind.PlusToken]: '+',
  [ts.SyntaxKind.MinusToken]: '-',
  [ts.SyntaxKind.AsteriskToken]: '*',
  [ts.SyntaxKind.SlashToken]: '/',
  [ts.SyntaxKind.PercentToken]: '%',
  [ts.SyntaxKind.AsteriskAsteriskToken]: '**',
  [ts.SyntaxKind.LessThanToken]: '<',
  [ts.SyntaxKind.LessThanEqualsToken]: '<=',
  [ts.SyntaxKind.GreaterThanToken]: '>',
  [ts.SyntaxKind.GreaterThanEqualsToken]: '>=',
  [ts.SyntaxKind.EqualsEqualsEqualsToken]: '===',
  [ts.SyntaxKind.ExclamationEqualsEqualsToken]: '!==',
  [ts.SyntaxKind.EqualsEqualsToken]: '===',
  [ts.SyntaxKind.ExclamationEqualsToken]: '!==',
  [ts.SyntaxKind.AmpersandAmpersandToken]: '&&',
  [ts.SyntaxKind.BarBarToken]: '||',
  [ts.SyntaxKind.AmpersandToken]: '&',
  [ts.SyntaxKind.BarToken]: '|',
  [ts.SyntaxKind.CaretToken]: '^',
  [ts.SyntaxKind.LessThanLessThanToken]: '<<',
  [ts.SyntaxKind.GreaterThanGreaterThanToken]: '>>',
  [ts.SyntaxKind.GreaterThanGreaterThanGreaterThanToken]: '>>>',
};

/** Compound assignment operator → its binary operator (`+=` → `+`). */
export const compoundOps: Partial<Record<ts.SyntaxKind, BinOp>> = {
  [ts.SyntaxKind.PlusEqualsToken]: '+',
  [ts.SyntaxKind.MinusEqualsToken]: '-',
  [ts.SyntaxKind.AsteriskEqualsToken]: '*',
  [ts.SyntaxKind.SlashEqualsToken]: '/',
  [ts.SyntaxKind.PercentEqualsToken]: '%',
  [ts.SyntaxKind.AsteriskAsteriskEqualsToken]: '**',
  [ts.SyntaxKind.AmpersandEqualsToken]: '&',
  [ts.SyntaxKind.BarEqualsToken]: '|',
  [ts.SyntaxKind.CaretEqualsToken]: '^',
  [ts.SyntaxKind.LessThanLessThanEqualsToken]: '<<',
  [ts.SyntaxKind.GreaterThanGreaterThanEqualsToken]: '>>',
  [ts.SyntaxKind.GreaterThanGreaterThanGreaterThanEqualsToken]: '>>>',
};

/** Strips parentheses, type assertions and non-null assertions. */
export function skipOuter(e: ts.Expression): ts.Expression {
  while (
    ts.isParenthesizedExpression(e) ||
    ts.isAsExpression(e) ||
    ts.isNonNullExpression(e) ||
    ts.isSatisfiesExpression(e) ||
    ts.isTypeAssertionExpression(e)
  )
    e = e.expression;
  return e;
}

/** An element target: `array[index]`, or `array[index][col]` on a rank-2 array. */
export interface ElementTarget {
  readonly array: string;
  readonly index: Expr;
  readonly col?: Expr;
}

/** The array binding an expression names (an identifier or a field), or undefined when it names something else. */
function arrayBinding(ctx: LowerCtx, base: ts.Expression): Binding | undefined {
  if (ts.isIdentifier(base)) return resolveIdentifier(ctx, base);
  if (ts.isPropertyAccessExpression(base)) return resolveField(ctx, base);
  return undefined;
}

const isRows = (ctx: LowerCtx, b: Binding): boolean => b.kind === 'array' && isRank2(b.el);

/** `a[i]` where `a` names an array, `a[i][j]` / `row[j]` on rows: the array's IR name and the indices. */
export function lowerElementTarget(ctx: LowerCtx, e: ts.ElementAccessExpression): ElementTarget {
  const base = skipOuter(e.expression);
  if (ts.isElementAccessExpression(base)) {
    const inner = skipOuter(base.expression);
    const b =
      ts.isIdentifier(inner) || ts.isPropertyAccessExpression(inner) ? arrayBinding(ctx, inner) : undefined;
    if (!b || !isRows(ctx, b))
      reject('unknown-types', `indexes a nested array ${short(e)} (use a flat typed array)`);
    return {
      array: (b as { name: string }).name,
      index: lowerExpr(ctx, base.argumentExpression),
      col: lowerExpr(ctx, e.argumentExpression),
    };
  }
  if (!ts.isIdentifier(base) && !ts.isPropertyAccessExpression(base))
    reject('unsupported-syntax', `indexes ${short(base)}`);
  const b = arrayBinding(ctx, base);
  if (!b) reject('object-property', `reads property ${short(base)}`);
  if (b.kind === 'row') return { array: b.name, index: b.row, col: lowerExpr(ctx, e.argumentExpression) };
  if (b.kind !== 'array' && b.kind !== 'const-array')
    reject('unsupported-syntax', `indexes ${short(base)}, which is not an array`);
  if (isRows(ctx, b)) reject('unsupported-syntax', `uses the row ${short(e)} as a value`);
  return { array: b.name, index: lowerExpr(ctx, e.argumentExpression) };
}

/** `rows[i]` on a rank-2 array: its row as a binding (the row index is fixed in a fresh local), or undefined. */
export function rowOf(ctx: LowerCtx, e: ts.Expression): Binding | undefined {
  const x = skipOuter(e);
  if (!ts.isElementAccessExpression(x)) return undefined;
  const base = skipOuter(x.expression);
  if (!ts.isIdentifier(base) && !ts.isPropertyAccessExpression(base)) return undefined;
  const b = arrayBinding(ctx, base);
  if (!b || !isRows(ctx, b) || b.kind !== 'array') return undefined;
  const index = lowerExpr(ctx, x.argumentExpression);
  if (index.kind === 'const' || (index.kind === 'var' && ctx.intVars.has(index.name)))
    return { kind: 'row', name: b.name, row: index };
  const name = uniqueName(ctx, `${b.name}_row`);
  ctx.pre.push({ kind: 'let', name, dtype: 'f64', init: index });
  return { kind: 'row', name: b.name, row: { kind: 'var', name } };
}

/** `.length` of an array, a field array or a row. */
function lowerLength(ctx: LowerCtx, e: ts.PropertyAccessExpression): Expr {
  const obj = skipOuter(e.expression);
  const b =
    ts.isIdentifier(obj) || ts.isPropertyAccessExpression(obj) ? arrayBinding(ctx, obj) : rowOf(ctx, obj);
  if (b?.kind === 'array' || b?.kind === 'const-array') return { kind: 'len', array: b.name };
  if (b?.kind === 'row') return { kind: 'len', array: b.name, row: b.row };
  return reject('object-property', `reads property ${short(e)}`);
}

function lowerCall(ctx: LowerCtx, e: ts.CallExpression): Expr {
  const callee = skipOuter(e.expression);
  if (
    ts.isPropertyAccessExpression(callee) &&
    ts.isIdentifier(callee.expression) &&
    callee.expression.text === 'Math'
  ) {
    const fn = callee.name.text;
    if (!mathFns.has(fn))
      reject('calls-function', `calls Math.${fn}()${fn === 'random' ? ' (not pure)' : ''}`);
    return { kind: 'call', fn: fn as MathFn, args: e.arguments.map((a) => lowerExpr(ctx, a)) };
  }
  const alias = ts.isIdentifier(callee) ? mathAlias(ctx.checker, callee) : undefined;
  if (alias !== undefined) {
    if (!mathFns.has(alias))
      reject(
        'calls-function',
        `calls Math.${alias}() (as ${short(callee)})${alias === 'random' ? ' (not pure)' : ''}`,
      );
    return { kind: 'call', fn: alias as MathFn, args: e.arguments.map((a) => lowerExpr(ctx, a)) };
  }
  const atCall = lowerAt(ctx, e);
  if (atCall) return atCall;
  const method = lowerArrayMethodExpr(ctx, e);
  if (method) return method;
  const accessor = inlineMethodCall(ctx, e);
  if (accessor) return accessor;
  if (ts.isIdentifier(callee)) {
    const inlined = inlineCall(ctx, e, callee);
    if (inlined) return inlined;
    reject('calls-function', callReason(ctx, callee));
  }
  if (ts.isPropertyAccessExpression(callee)) {
    const inlined = inlinePropertyCall(ctx, e, callee);
    if (inlined) return inlined;
  }
  reject('calls-function', `calls ${short(callee)}()`);
}

/** `k` of a call `….at(k)` whose one argument is an integer literal (`-1`), or undefined. */
export function constAtIndex(e: ts.CallExpression): number | undefined {
  const callee = skipOuter(e.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'at' || e.arguments.length !== 1)
    return undefined;
  const arg = skipOuter(e.arguments[0]!);
  const neg = ts.isPrefixUnaryExpression(arg) && arg.operator === ts.SyntaxKind.MinusToken;
  const lit = neg ? skipOuter(arg.operand) : arg;
  if (!ts.isNumericLiteral(lit)) return undefined;
  const k = Number(lit.text.replace(/_/g, '')) * (neg ? -1 : 1);
  return Number.isSafeInteger(k) ? k : undefined;
}

/**
 * `xs.at(k)` with a constant integer `k` on an array: `xs[k]`, or `xs[xs.length + k]` for a negative
 * `k` (an index still below 0 reads `undefined`, as `at` gives). A run-time `k` is refused: `at`
 * truncates it and reads `NaN` as 0, which a plain load does not.
 */
function lowerAt(ctx: LowerCtx, e: ts.CallExpression): Expr | undefined {
  const callee = skipOuter(e.expression);
  const k = constAtIndex(e);
  if (k === undefined || !ts.isPropertyAccessExpression(callee)) return undefined;
  const recv = skipOuter(callee.expression);
  if (!ts.isIdentifier(recv) && !ts.isPropertyAccessExpression(recv)) return undefined;
  const b = arrayBinding(ctx, recv);
  if (!b || (b.kind !== 'array' && b.kind !== 'const-array') || isRows(ctx, b)) return undefined;
  touchArray(ctx, b.name, 'read');
  const index: Expr =
    k >= 0
      ? { kind: 'const', value: k === 0 ? 0 : k }
      : { kind: 'bin', op: '+', left: { kind: 'len', array: b.name }, right: { kind: 'const', value: k } };
  return { kind: 'load', array: b.name, index };
}

function lowerBinary(ctx: LowerCtx, e: ts.BinaryExpression): Expr {
  const k = e.operatorToken.kind;
  if (k === ts.SyntaxKind.EqualsToken || compoundOps[k]) return lowerAssignExpr(ctx, e);
  if (k === ts.SyntaxKind.PlusToken && isStringType(ctx.checker.getTypeAtLocation(e))) {
    reject('string-work', 'string concatenation');
  }
  const op = binOps[k];
  if (!op) reject('unsupported-syntax', `operator ${ts.tokenToString(k) ?? ts.SyntaxKind[k]}`);
  const nullTest = lowerNullTest(ctx, e);
  if (nullTest) return nullTest;
  return { kind: 'bin', op, left: lowerExpr(ctx, e.left), right: lowerExpr(ctx, e.right) };
}

/**
 * `x !== null` / `x === null` where `x` is an element of a numeric array whose type was declared, or a
 * number by its type: always true / false (an element out of bounds is `undefined`, not `null`, too).
 * An element of an array whose type was only inferred from its use keeps its test (`notNull`): the
 * source says nulls are expected there (regression's `data[l][1] !== null` skips points with no y).
 * The JS forms test it — the interpreter, a scaffold's original.js, which every fallback runs, and the
 * js target — and the compiled targets, whose guards let in numbers only, read it as true. Loose
 * `x != null` is left to the usual rules (`undefined == null`).
 */
function lowerNullTest(ctx: LowerCtx, e: ts.BinaryExpression): Expr | undefined {
  const k = e.operatorToken.kind;
  if (k !== ts.SyntaxKind.ExclamationEqualsEqualsToken && k !== ts.SyntaxKind.EqualsEqualsEqualsToken)
    return undefined;
  const isNull = (x: ts.Expression): boolean => skipOuter(x).kind === ts.SyntaxKind.NullKeyword;
  const other = isNull(e.right) ? e.left : isNull(e.left) ? e.right : undefined;
  if (!other || isNull(other)) return undefined;
  const x = lowerExpr(ctx, other);
  if (x.kind !== 'load' && !isNumberType(ctx.checker.getTypeAtLocation(other))) return undefined;
  if (x.kind === 'load' && ctx.arrays.get(x.array)?.inferred) {
    const test: Expr = { kind: 'un', op: 'notNull', arg: x };
    return k === ts.SyntaxKind.ExclamationEqualsEqualsToken ? test : { kind: 'un', op: '!', arg: test };
  }
  const same: Expr = { kind: 'const', value: 0 };
  return {
    kind: 'bin',
    op: k === ts.SyntaxKind.ExclamationEqualsEqualsToken ? '===' : '!==',
    left: same,
    right: same,
  };
}

function lowerPrefix(ctx: LowerCtx, e: ts.PrefixUnaryExpression): Expr {
  const k = e.operator;
  if (k === ts.SyntaxKind.PlusPlusToken || k === ts.SyntaxKind.MinusMinusToken) return lowerIncrement(ctx, e);
  if (k === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(e.operand)) {
    const v = -Number(e.operand.text.replace(/_/g, ''));
    if (v !== 0) return { kind: 'const', value: numLit(v) };
  }
  const op = (
    {
      [ts.SyntaxKind.MinusToken]: '-',
      [ts.SyntaxKind.PlusToken]: '+',
      [ts.SyntaxKind.ExclamationToken]: '!',
      [ts.SyntaxKind.TildeToken]: '~',
    } as const
  )[k];
  return { kind: 'un', op, arg: lowerExpr(ctx, e.operand) };
}

/**
 * `lastLine ? lastLine[x] : 0`, `if (!xs) …`: an array whose type was inferred from its use, only
 * tested for truthiness here, is `1` — its wrapper checks at run time that it is an array (always
 * truthy, even empty) and runs the original JS when it is not (`null`, `undefined`). A declared type
 * promises nothing at run time in code that tests it, so only inferred arrays are read this way.
 */
function testedArray(ctx: LowerCtx, e: ts.Identifier, b: Binding): Expr | undefined {
  if (b.kind !== 'array' || !ctx.arrays.get(b.name)?.inferred || !isTested(e)) return undefined;
  note(
    ctx,
    `${e.text}: tested for truthiness, which an array always has (the wrapper runs the original JS when it is not an array)`,
  );
  return { kind: 'const', value: 1 };
}

/** Lowers a numeric expression, or rejects with the reason it cannot be. */
export function lowerExpr(ctx: LowerCtx, node: ts.Expression): Expr {
  const e = skipOuter(node);
  if (ts.isNumericLiteral(e)) return { kind: 'const', value: numLit(Number(e.text.replace(/_/g, ''))) };
  if (ts.isIdentifier(e)) {
    const b = resolveIdentifier(ctx, e);
    if (b.kind === 'scalar') return { kind: 'var', name: b.name };
    if (b.kind === 'const-scalar') return { kind: 'const', value: b.value };
    const truthy = testedArray(ctx, e, b);
    if (truthy) return truthy;
    reject('unsupported-syntax', `uses ${b.kind === 'row' ? 'row' : 'array'} ${e.text} as a value`);
  }
  if (ts.isElementAccessExpression(e)) {
    const t = lowerElementTarget(ctx, e);
    touchArray(ctx, t.array, 'read');
    return { kind: 'load', array: t.array, index: t.index, ...(t.col ? { col: t.col } : {}) };
  }
  if (ts.isPropertyAccessExpression(e)) {
    const c = builtinConst(e);
    if (c !== undefined) return { kind: 'const', value: numLit(c) };
    if (e.name.text === 'length') return lowerLength(ctx, e);
    const b = resolveField(ctx, e);
    if (b?.kind === 'scalar') return { kind: 'var', name: b.name };
    if (b) reject('unsupported-syntax', `uses array ${short(e)} as a value`);
    reject('object-property', `reads property ${short(e)}`);
  }
  if (ts.isBinaryExpression(e)) return lowerBinary(ctx, e);
  if (ts.isPrefixUnaryExpression(e)) return lowerPrefix(ctx, e);
  if (ts.isPostfixUnaryExpression(e)) return lowerIncrement(ctx, e);
  if (ts.isConditionalExpression(e)) {
    return {
      kind: 'select',
      cond: lowerExpr(ctx, e.condition),
      then: lowerExpr(ctx, e.whenTrue),
      else: lowerExpr(ctx, e.whenFalse),
    };
  }
  if (ts.isCallExpression(e)) return lowerCall(ctx, e);
  if (ts.isAwaitExpression(e)) reject('await', 'await inside (IO-bound pattern)');
  if (ts.isNewExpression(e)) reject('allocates', `allocates new ${short(e.expression)}()`);
  if (ts.isArrayLiteralExpression(e)) reject('allocates', 'allocates an array literal');
  if (ts.isObjectLiteralExpression(e)) reject('allocates', 'allocates an object literal');
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) reject('allocates', 'creates a closure');
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) || ts.isTemplateExpression(e)) {
    reject('string-work', ts.isTemplateExpression(e) ? 'builds a template string' : 'uses a string literal');
  }
  if (e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword) {
    const flag = flagLiteral(ctx, e);
    if (flag !== undefined) return { kind: 'const', value: flag };
    reject('unsupported-syntax', 'uses a boolean value');
  }
  if (e.kind === ts.SyntaxKind.ThisKeyword) reject('object-property', 'uses this');
  if (e.kind === ts.SyntaxKind.NullKeyword) reject('unsupported-syntax', 'uses null');
  if (ts.isTypeOfExpression(e)) reject('string-work', 'uses typeof');
  reject('unsupported-syntax', `${ts.SyntaxKind[e.kind]}: ${short(e)}`);
}
