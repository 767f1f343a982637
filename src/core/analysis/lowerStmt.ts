// Lowering statements to the Kernel IR: locals, assignments, stores, ifs, loops.
import type { Expr, Stmt } from '../ir/types.js';
import { lowerArrayMethodStmt } from './arrayMethods.js';
import { lowerFreshDeclaration, lowerFreshPush } from './freshArrays.js';
import { resolveField } from './fields.js';
import { isFlag } from './flags.js';
import { inlineCallStmt } from './inline.js';
import { someExpr } from './irUtil.js';
import { compoundOps, lowerElementTarget, lowerExpr, skipOuter } from './lowerExpr.js';
import { lowerInitializedLocal } from './locals.js';
import { lowerRowAssign } from './rowAlias.js';
import { isIntExpr, lowerLoopStmt } from './lowerLoop.js';
import { liveAfter, reassigned } from './liveness.js';
import type { LowerCtx } from './lowerCtx.js';
import { declareScalar, reject, short, symbolOf, touchArray, withPre } from './lowerCtx.js';
import { describeBadType, resolveIdentifier } from './resolve.js';
import { ts } from './ts.js';
import { elementTypeOfType, isAnyOrUnknown, isNumberType } from './typeInfo.js';

function blockStatements(s: ts.Statement): readonly ts.Statement[] {
  return ts.isBlock(s) ? s.statements : [s];
}

/** Where a statement list sits: the top of a loop body, of a forEach callback, or elsewhere. */
export type ListPlace = 'loop' | 'callback' | 'nested';

function isNextIteration(s: ts.Statement | undefined, place: ListPlace): boolean {
  if (!s) return false;
  if (ts.isContinueStatement(s)) return !s.label && place === 'loop';
  return ts.isReturnStatement(s) && !s.expression && place === 'callback';
}

/**
 * Lowers a statement list. At the top of a loop body, `if (c) { …; continue; }` (or `return;` in a
 * forEach callback) becomes `if (c) { … } else { rest }`.
 */
export function lowerStmts(
  ctx: LowerCtx,
  list: readonly ts.Statement[],
  place: ListPlace = 'nested',
): Stmt[] {
  const out: Stmt[] = [];
  const restores: (() => void)[] = [];
  try {
    lowerList(ctx, list, place, out, restores);
  } finally {
    for (const r of restores.reverse()) r();
  }
  return out;
}

function lowerList(
  ctx: LowerCtx,
  list: readonly ts.Statement[],
  place: ListPlace,
  out: Stmt[],
  restores: (() => void)[],
): void {
  for (let k = 0; k < list.length; k++) {
    const s = list[k]!;
    // `Ai = A[i]` on an array of rows: a row index for the rest of this list.
    const row = lowerRowAssign(ctx, list, k);
    if (row) {
      out.push(...row.stmts);
      if (row.restore) restores.push(row.restore);
      continue;
    }
    if (
      place !== 'nested' &&
      ts.isIfStatement(s) &&
      !s.elseStatement &&
      isNextIteration(blockStatements(s.thenStatement).at(-1), place)
    ) {
      const { pre, value: cond } = withPre(ctx, () => lowerExpr(ctx, s.expression));
      const thenList = blockStatements(s.thenStatement);
      const then = lowerStmts(ctx, thenList.slice(0, -1));
      const rest = lowerStmts(ctx, list.slice(k + 1), place);
      out.push(...pre, { kind: 'if', cond, then, else: rest });
      return;
    }
    out.push(...lowerStmt(ctx, s));
  }
}

export function lowerDeclaration(ctx: LowerCtx, d: ts.VariableDeclaration): Stmt[] {
  if (!ts.isIdentifier(d.name)) reject('unsupported-syntax', `destructuring ${short(d.name)}`);
  const init = d.initializer ? skipOuter(d.initializer) : undefined;
  if (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)))
    reject('allocates', 'creates a closure');
  // `var ret = []`, `new Float64Array(n)`, `xs.map(…)` before any loop: a fresh output array.
  const fresh = init ? lowerFreshDeclaration(ctx, d.name, init) : undefined;
  if (fresh) return fresh;
  const type = ctx.checker.getTypeAtLocation(d.name);
  // `var i;` in untyped JS: a counter whose first use assigns it is a number local (its `undefined` is never read).
  const counter =
    (!init && isAnyOrUnknown(type) && !liveAfter(d, symbolOf(ctx, d.name), ctx.checker)) ||
    // `let found = false`: a flag only tested (see flags.ts) is a 0/1 number.
    ((type.flags & ts.TypeFlags.BooleanLike) !== 0 && isFlag(ctx, symbolOf(ctx, d.name)));
  const special =
    isNumberType(type) || counter
      ? undefined
      : lowerInitializedLocal(ctx, d as ts.VariableDeclaration & { name: ts.Identifier }, type);
  if (special) return special;
  if (isNumberType(type) || counter) {
    const { pre, value } = withPre(ctx, (): Expr =>
      init ? lowerExpr(ctx, init) : { kind: 'const', value: 'NaN' },
    );
    const name = declareScalar(ctx, d.name);
    // `const n = xs.length` (or a var never reassigned) is an integer wherever it is read.
    if (init && isIntExpr(ctx, value) && !reassigned(d, symbolOf(ctx, d.name), ctx.checker))
      ctx.intVars.add(name);
    return [...pre, { kind: 'let', name, dtype: 'f64', init: value }];
  }
  const el = elementTypeOfType(ctx.checker, type);
  if (el !== 'unknown' && init) {
    if (ts.isIdentifier(init)) {
      const b = resolveIdentifier(ctx, init);
      if (b.kind === 'array' || b.kind === 'const-array') {
        ctx.bindings.set(symbolOf(ctx, d.name), b);
        return [];
      }
    }
    if (ts.isNewExpression(init)) reject('allocates', `allocates new ${short(init.expression)}()`);
    if (ts.isArrayLiteralExpression(init)) reject('allocates', 'allocates an array literal');
    if (ts.isCallExpression(init)) lowerExpr(ctx, init);
    reject('unsupported-syntax', `array local ${d.name.text}`);
  }
  if ((type.flags & ts.TypeFlags.BooleanLike) !== 0)
    reject('unsupported-syntax', `boolean local ${d.name.text}`);
  if (
    (type.flags & ts.TypeFlags.Object) !== 0 &&
    el === 'unknown' &&
    init &&
    ts.isElementAccessExpression(init)
  ) {
    reject('object-property', `reads objects (${d.name.text} is ${ctx.checker.typeToString(type)})`);
  }
  if (init) lowerExpr(ctx, init);
  return describeBadType(ctx, d.name, type);
}

export function assignTarget(ctx: LowerCtx, target: ts.Expression, value: (current: Expr) => Expr): Stmt {
  const t = skipOuter(target);
  if (ts.isIdentifier(t)) {
    const b = resolveIdentifier(ctx, t);
    if (b.kind !== 'scalar') reject('unsupported-syntax', `assigns to ${t.text}`);
    return { kind: 'assign', name: b.name, value: value({ kind: 'var', name: b.name }) };
  }
  if (ts.isElementAccessExpression(t)) {
    const { array, index, col } = lowerElementTarget(ctx, t);
    touchArray(ctx, array, 'write');
    if (ctx.consts.some((c) => c.name === array))
      reject('unsupported-syntax', `writes constant table ${array}`);
    const cols = col ? { col } : {};
    const cur: Expr = { kind: 'load', array, index, ...cols };
    const stored = value(cur);
    // `a[i] += x` reads a[i] too: the array is readwrite (emitters copy its data in).
    if (someExpr(stored, (x) => x === cur)) touchArray(ctx, array, 'read');
    return { kind: 'store', array, index, value: stored, ...cols };
  }
  if (ts.isPropertyAccessExpression(t)) {
    // A number field the loop writes (fields.ts): a live-out scalar.
    const f = resolveField(ctx, t);
    if (f?.kind === 'scalar')
      return { kind: 'assign', name: f.name, value: value({ kind: 'var', name: f.name }) };
    reject('object-property', `writes property ${short(t)}`);
  }
  reject('unsupported-syntax', `assigns to ${short(t)}`);
}

/** Lowers an expression used as a statement (an assignment, an increment, a call that is inlined). */
export function lowerExprStatement(ctx: LowerCtx, e: ts.Expression): Stmt[] {
  const x = skipOuter(e);
  const { pre, value } = withPre(ctx, (): Stmt[] => {
    if (ts.isBinaryExpression(x)) {
      const k = x.operatorToken.kind;
      if (k === ts.SyntaxKind.EqualsToken) {
        const rhs = lowerExpr(ctx, x.right);
        return [assignTarget(ctx, x.left, () => rhs)];
      }
      const op = compoundOps[k];
      if (op) {
        const rhs = lowerExpr(ctx, x.right);
        if (op === '+') {
          const lt = ctx.checker.getTypeAtLocation(x.left);
          if (!isNumberType(lt) && (lt.flags & ts.TypeFlags.StringLike) !== 0)
            reject('string-work', 'string concatenation');
        }
        return [assignTarget(ctx, x.left, (cur) => ({ kind: 'bin', op, left: cur, right: rhs }))];
      }
    }
    if (
      (ts.isPostfixUnaryExpression(x) || ts.isPrefixUnaryExpression(x)) &&
      (x.operator === ts.SyntaxKind.PlusPlusToken || x.operator === ts.SyntaxKind.MinusMinusToken)
    ) {
      const op = x.operator === ts.SyntaxKind.PlusPlusToken ? '+' : '-';
      return [
        assignTarget(ctx, x.operand, (cur) => ({
          kind: 'bin',
          op,
          left: cur,
          right: { kind: 'const', value: 1 },
        })),
      ];
    }
    if (ts.isCallExpression(x)) {
      const pushed = lowerFreshPush(ctx, x);
      if (pushed) return pushed;
      const loop = lowerArrayMethodStmt(ctx, x);
      if (loop) return loop;
      const inlined = inlineCallStmt(ctx, x);
      if (inlined) return inlined;
    }
    if (ts.isAwaitExpression(x)) reject('await', 'await inside (IO-bound pattern)');
    lowerExpr(ctx, x);
    return reject('unsupported-syntax', `expression statement ${short(x)}`);
  });
  return [...pre, ...value];
}

function lowerStmt(ctx: LowerCtx, s: ts.Statement): Stmt[] {
  if (ts.isVariableStatement(s))
    return s.declarationList.declarations.flatMap((d) => lowerDeclaration(ctx, d));
  if (ts.isExpressionStatement(s)) return lowerExprStatement(ctx, s.expression);
  if (ts.isIfStatement(s)) {
    const { pre, value: cond } = withPre(ctx, () => lowerExpr(ctx, s.expression));
    const then = lowerStmts(ctx, blockStatements(s.thenStatement));
    const els = s.elseStatement ? lowerStmts(ctx, blockStatements(s.elseStatement)) : [];
    return [...pre, { kind: 'if', cond, then, else: els }];
  }
  if (ts.isBlock(s)) return lowerStmts(ctx, s.statements);
  if (ts.isEmptyStatement(s)) return [];
  if (ts.isIterationStatement(s, false)) return lowerLoopStmt(ctx, s);
  if (
    ts.isBreakStatement(s) ||
    ts.isContinueStatement(s) ||
    ts.isReturnStatement(s) ||
    ts.isThrowStatement(s)
  )
    return lowerExit(ctx, s);
  if (ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s))
    reject('allocates', 'declares a function inside');
  if (ts.isSwitchStatement(s)) reject('unsupported-syntax', 'switch statement');
  if (ts.isTryStatement(s)) reject('unsupported-syntax', 'try statement');
  if (ts.isLabeledStatement(s)) reject('unsupported-syntax', `labeled statement ${s.label.text}`);
  return reject('unsupported-syntax', ts.SyntaxKind[s.kind]);
}

/** Lower `throw new RangeError('…')` guards to IR `throw` (off until an emitter takes them). */
const throwGuards = false as boolean;

/** The message of `throw new Error('…')` / `RangeError` / `TypeError` (a plain string), or undefined. */
export function simpleThrow(
  s: ts.ThrowStatement,
): { error: 'Error' | 'RangeError' | 'TypeError'; message: string } | undefined {
  const e = skipOuter(s.expression);
  if (!ts.isNewExpression(e) || !ts.isIdentifier(e.expression)) return undefined;
  const error = e.expression.text;
  if (error !== 'Error' && error !== 'RangeError' && error !== 'TypeError') return undefined;
  const args = e.arguments ?? [];
  if (args.length === 0) return { error, message: '' };
  const m = args[0]!;
  if (args.length > 1 || !(ts.isStringLiteral(m) || ts.isNoSubstitutionTemplateLiteral(m))) return undefined;
  return { error, message: m.text };
}

/**
 * Early exits: `break`/`continue` of the innermost loop, `return` from a whole-function kernel (a
 * guard, a search's answer) and `throw new RangeError('…')` guards keep their JS meaning as IR control
 * statements; the loops around them are never `parallel`, so the first element that exits wins.
 */
function lowerExit(
  ctx: LowerCtx,
  s: ts.BreakStatement | ts.ContinueStatement | ts.ReturnStatement | ts.ThrowStatement,
): Stmt[] {
  if (ts.isBreakStatement(s) || ts.isContinueStatement(s)) {
    const what = ts.isBreakStatement(s) ? 'break' : 'continue';
    if (s.label) reject('early-exit', `${what} ${s.label.text} inside`);
    if (ctx.loopDepth === 0) reject('early-exit', `${what} outside a loop of the kernel`);
    return [{ kind: what }];
  }
  if (ts.isThrowStatement(s)) {
    const t = simpleThrow(s);
    if (!t)
      reject(
        'early-exit',
        `throws ${short(s.expression)} (only Error/RangeError/TypeError with a plain message)`,
      );
    // The IR has `throw`, but no emitter rethrows from a kernel yet: a kernel no target takes would make
    // analyze and scaffold disagree. Flip `throwGuards` when one does (test/unit/agreement.test.ts checks).
    if (!throwGuards)
      reject('early-exit', `throw inside (${t.error} guard: no target rethrows from a kernel yet)`);
    return [{ kind: 'throw', ...t }];
  }
  // A return ends the whole function: only a whole-function kernel can say so (not a loop alone, not a callback).
  if (ctx.mode !== 'function' || containingFunction(s) !== ctx.region) reject('early-exit', 'return inside');
  if (!s.expression) return [{ kind: 'return' }];
  if (!isNumberType(ctx.checker.getTypeAtLocation(s.expression)))
    reject('unsupported-syntax', 'returns something other than a number');
  const { pre, value } = withPre(ctx, () => lowerExpr(ctx, s.expression!));
  return [...pre, { kind: 'return', value }];
}

function containingFunction(n: ts.Node): ts.Node | undefined {
  for (let p = n.parent as ts.Node | undefined; p; p = p.parent) if (ts.isFunctionLike(p)) return p;
  return undefined;
}
