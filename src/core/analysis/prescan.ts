// Reasons that decide a loop's verdict whatever the lowering finds, checked on the syntax. When several
// apply, the corpus spec's priority decides (first wins): await > unsupported-syntax > early-exit >
// string-work > allocates > calls-function > object-property > unknown-types > loop-carried.
import { MATH_FNS } from '../ir/types.js';
import type { LowerCtx } from './lowerCtx.js';
import { Reject, short } from './lowerCtx.js';
import { accessorReason, fieldWriteReason, isFieldRead } from './fields.js';
import { callReason, resolveHelper } from './inline.js';
import { mathAlias } from './mathAlias.js';
import { methodCheck } from './methods.js';
import { literalValues } from './arrayMethods.js';
import { constAtIndex, skipOuter } from './lowerExpr.js';
import { simpleThrow } from './lowerStmt.js';
import { ts } from './ts.js';
import { elementTypeOfType, isAnyOrUnknown, isArrayLike, isNumberType, isStringType } from './typeInfo.js';
import type { NotTranslatableCode } from './types.js';

export const priority: readonly NotTranslatableCode[] = [
  'await',
  'unsupported-syntax',
  'early-exit',
  'string-work',
  'allocates',
  'calls-function',
  'object-property',
  'unknown-types',
  'loop-carried',
];

/** The more important of two rejections (by the priority above; the first found on a tie). */
export function worse(a: Reject | undefined, b: Reject | undefined): Reject | undefined {
  if (!a) return b;
  if (!b) return a;
  return priority.indexOf(b.code) < priority.indexOf(a.code) ? b : a;
}

const pureMath: ReadonlySet<string> = new Set(MATH_FNS);

function helperIsInlinable(ctx: LowerCtx, id: ts.Identifier, seen: Set<ts.Node>): boolean {
  const fn = resolveHelper(ctx, id);
  if (!fn) return false;
  if (seen.has(fn)) return true;
  seen.add(fn);
  const okType = (t: ts.Type): boolean =>
    isNumberType(t) || elementTypeOfType(ctx.checker, t) !== 'unknown' || isAnyOrUnknown(t);
  if (!fn.parameters.every((p) => okType(ctx.checker.getTypeAtLocation(p)))) return false;
  // A helper with a side effect of its own (a call it cannot inline, a property write) is not pure.
  let pure = true;
  const visit = (n: ts.Node): void => {
    if (!pure) return;
    if (ts.isCallExpression(n)) {
      const callee = skipOuter(n.expression);
      const alias = ts.isIdentifier(callee) ? mathAlias(ctx.checker, callee) : undefined;
      if (alias !== undefined) {
        if (!pureMath.has(alias)) pure = false;
      } else if (ts.isIdentifier(callee) && !helperIsInlinable(ctx, callee, seen)) pure = false;
      if (
        ts.isPropertyAccessExpression(callee) &&
        !(
          ts.isIdentifier(callee.expression) &&
          callee.expression.text === 'Math' &&
          pureMath.has(callee.name.text)
        )
      )
        pure = false;
    }
    ts.forEachChild(n, visit);
  };
  visit(fn.body!);
  return pure;
}

/** The most important syntactic reason `root` (a loop) is not translatable, or undefined. */
export function prescan(ctx: LowerCtx, root: ts.Node): Reject | undefined {
  let found: Reject | undefined;
  const note = (code: NotTranslatableCode, reason: string): void => {
    found = worse(found, new Reject(code, reason));
  };
  const checker = ctx.checker;
  if (ts.isCallExpression(root) && ts.isPropertyAccessExpression(root.expression)) {
    const m = root.expression.name.text;
    // A map() call alone allocates its result once: a fresh output array (the lowering decides).
    if (m === 'filter') note('allocates', `${m}() allocates a new array`);
  }
  const visit = (n: ts.Node, inCallback: boolean): void => {
    if (ts.isFunctionLike(n) && n !== root) {
      const call = n.parent;
      const isCallback =
        ts.isCallExpression(call) &&
        call.arguments[0] === n &&
        ts.isPropertyAccessExpression(call.expression) &&
        ['map', 'reduce', 'forEach', 'filter'].includes(call.expression.name.text);
      if (!isCallback) {
        note('allocates', 'creates a closure');
        return;
      }
      if (ts.canHaveModifiers(n) && ts.getModifiers(n)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword))
        note('await', 'async callback (IO-bound pattern)');
      ts.forEachChild(n, (c) => {
        visit(c, true);
      });
      return;
    }
    if (ts.isAwaitExpression(n) || (ts.isForOfStatement(n) && n.awaitModifier))
      note('await', 'await inside (IO-bound pattern)');
    else if (ts.isForInStatement(n)) note('unsupported-syntax', 'for…in iterates object keys');
    else if (ts.isTryStatement(n)) note('unsupported-syntax', 'try statement');
    else if (ts.isSwitchStatement(n)) note('unsupported-syntax', 'switch statement');
    else if (ts.isYieldExpression(n)) note('unsupported-syntax', 'yield inside');
    else if (ts.isBreakStatement(n) && n.label) note('early-exit', `break ${n.label.text} inside`);
    else if (ts.isContinueStatement(n) && n.label) note('early-exit', `continue ${n.label.text} inside`);
    else if (ts.isReturnStatement(n) && !inCallback) note('early-exit', 'return inside');
    else if (ts.isThrowStatement(n)) {
      // `throw new RangeError('…')` is a guard the IR keeps (its message is no string work).
      if (!simpleThrow(n)) note('early-exit', 'throw inside');
      return;
    } else if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isTemplateExpression(n))
      note('string-work', 'uses a string');
    else if (ts.isNewExpression(n)) note('allocates', `allocates new ${short(n.expression)}()`);
    else if (ts.isArrayLiteralExpression(n)) {
      // `[0, 1, 2].map(…)`: a literal of constants iterated is a constant table (arrayMethods.ts).
      if (!isIteratedLiteral(ctx, n)) note('allocates', 'allocates an array literal');
    } else if (ts.isObjectLiteralExpression(n)) note('allocates', 'allocates an object literal');
    else if (ts.isIdentifier(n) && isValueIdentifier(n)) {
      const t = checker.getTypeAtLocation(n);
      if (
        isStringType(t) ||
        (checker.isArrayType(t) && checker.getTypeArguments(t as ts.TypeReference).some(isStringType))
      ) {
        note('string-work', `string work on ${n.text}`);
      }
    } else if (ts.isCallExpression(n)) {
      // The root map() call is the loop itself (a fresh output array, see above), not a call inside it.
      if (n !== root) noteCall(ctx, n, note);
    } else if (ts.isPropertyAccessExpression(n)) noteProperty(ctx, root, n, note);
    else if (n.kind === ts.SyntaxKind.ThisKeyword && !ts.isPropertyAccessExpression(n.parent))
      note('object-property', 'uses this');
    ts.forEachChild(n, (c) => {
      visit(c, inCallback);
    });
  };
  visit(root, false);
  return found;
}

/** `[0, 1, 2]` of numeric constants as the receiver of `map`/`reduce`/`forEach`. */
function isIteratedLiteral(ctx: LowerCtx, n: ts.ArrayLiteralExpression): boolean {
  let x: ts.Node = n;
  while (ts.isParenthesizedExpression(x.parent)) x = x.parent;
  const p = x.parent;
  return (
    ts.isPropertyAccessExpression(p) &&
    p.expression === x &&
    loopMethods.has(p.name.text) &&
    ts.isCallExpression(p.parent) &&
    p.parent.expression === p &&
    literalValues(ctx, n) !== undefined
  );
}

function isValueIdentifier(n: ts.Identifier): boolean {
  const p = n.parent;
  if (ts.isPropertyAccessExpression(p) && p.name === n) return false;
  if (ts.isTypeReferenceNode(p) || ts.isLabeledStatement(p) || ts.isBreakOrContinueStatement(p)) return false;
  return !ts.isTypeNode(p);
}

const loopMethods = new Set(['map', 'reduce', 'forEach']);

function noteCall(
  ctx: LowerCtx,
  n: ts.CallExpression,
  note: (code: NotTranslatableCode, reason: string) => void,
): void {
  const callee = skipOuter(n.expression);
  if (ts.isIdentifier(callee)) {
    const alias = mathAlias(ctx.checker, callee);
    if (alias !== undefined) {
      if (!pureMath.has(alias))
        note(
          'calls-function',
          `calls Math.${alias}() (as ${callee.text})${alias === 'random' ? ' (not pure)' : ''}`,
        );
      return;
    }
    if (!helperIsInlinable(ctx, callee, new Set())) note('calls-function', callReason(ctx, callee));
    return;
  }
  if (!ts.isPropertyAccessExpression(callee)) {
    note('calls-function', `calls ${short(callee)}()`);
    return;
  }
  // `ret.push(v)` fills a fresh output array (freshArrays.ts); on any other array the lowering refuses it.
  if (
    callee.name.text === 'push' &&
    n.arguments.length === 1 &&
    isArrayLike(ctx.checker, ctx.checker.getTypeAtLocation(callee.expression))
  )
    return;
  const method = methodCheck(ctx, n);
  if (method !== false) {
    if (typeof method === 'string') note('calls-function', method);
    return;
  }
  const obj = skipOuter(callee.expression);
  const name = callee.name.text;
  if (ts.isIdentifier(obj) && obj.text === 'Math') {
    if (!pureMath.has(name))
      note('calls-function', `calls Math.${name}()${name === 'random' ? ' (not pure)' : ''}`);
    return;
  }
  const objType = ctx.checker.getTypeAtLocation(obj);
  // Untyped JS: `xs.map(…)` on an identifier with no type is an array call; the lowering infers `xs`.
  const constAt = name === 'at' && constAtIndex(n) !== undefined;
  const untypedLoop = isAnyOrUnknown(objType) && ts.isIdentifier(obj) && (loopMethods.has(name) || constAt);
  const isArray = untypedLoop || isArrayLike(ctx.checker, objType);
  if (isArray && constAt) return;
  if (isArray && (name === 'map' || name === 'filter')) note('allocates', `${name}() allocates a new array`);
  else if (!(isArray && (name === 'reduce' || name === 'forEach')))
    note('calls-function', `calls ${short(callee)}()`);
}

function noteProperty(
  ctx: LowerCtx,
  root: ts.Node,
  n: ts.PropertyAccessExpression,
  note: (code: NotTranslatableCode, reason: string) => void,
): void {
  const p = n.parent;
  if (ts.isCallExpression(p) && p.expression === n) return;
  const obj = skipOuter(n.expression);
  if (ts.isIdentifier(obj) && (obj.text === 'Math' || obj.text === 'Number')) return;
  const t = ctx.checker.getTypeAtLocation(obj);
  if (isAnyOrUnknown(t) || isStringType(t)) return;
  if (n.name.text === 'length' && isArrayLike(ctx.checker, t)) return;
  if (isFieldRead(ctx, root, n)) return;
  const accessor = accessorReason(ctx.checker, n);
  if (accessor) {
    note('object-property', accessor);
    return;
  }
  const writes =
    ts.isBinaryExpression(p) &&
    p.left === n &&
    p.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
    p.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
  const why = writes && ctx.mode === 'loop' ? fieldWriteReason(ctx, root, n) : undefined;
  note('object-property', `${writes ? 'writes' : 'reads'} property ${short(n)}${why ? ` (${why})` : ''}`);
}
