// Lowering loop statements (for, for…of; while/do/for…in are rejected) to IR `for` loops,
// with the dependence facts of each loop and the `parallel` mark on kernel-level loops.
import type { Expr, Stmt } from '../ir/types.js';
import { loopDeps } from './deps.js';
import { assignedNames, c, exprVars, someStmt, storedArrays, v, visitExpr } from './irUtil.js';
import { lowerExpr, skipOuter } from './lowerExpr.js';
import type { LowerCtx } from './lowerCtx.js';
import { declareScalar, reject, short, touchArray, uniqueName, withPre } from './lowerCtx.js';
import type { ListPlace } from './lowerStmt.js';
import { lowerExprStatement, lowerStmts } from './lowerStmt.js';
import { lowerFor } from './lowerFor.js';
import { boundedByCounter } from './termination.js';
import { liveAfter } from './liveness.js';
import { constValue, resolveIdentifier } from './resolve.js';
import { ts } from './ts.js';

/** True when `e` always has an integer value (or NaN/±Infinity) given integer loop indices. */
export function isIntExpr(ctx: LowerCtx, e: Expr): boolean {
  switch (e.kind) {
    case 'const':
      return typeof e.value === 'number' && Number.isInteger(e.value);
    case 'var':
      return ctx.intVars.has(e.name);
    case 'len':
      return true;
    case 'bin':
      if (['|', '&', '^', '<<', '>>', '>>>'].includes(e.op)) return true;
      return ['+', '-', '*'].includes(e.op) && isIntExpr(ctx, e.left) && isIntExpr(ctx, e.right);
    case 'un':
      return e.op === '~' || ((e.op === '-' || e.op === '+') && isIntExpr(ctx, e.arg));
    case 'call':
      return ['floor', 'ceil', 'round', 'trunc', 'imul', 'sign'].includes(e.fn);
    default:
      return false;
  }
}

export const add = (a: Expr, b: Expr): Expr => ({ kind: 'bin', op: '+', left: a, right: b });

/**
 * Builds an IR `for` from a lowered body: checks the bound is loop-invariant, analyses dependences
 * (rejecting a loop-carried one) and marks kernel-level loops `parallel` when iterations are independent.
 */
export function makeFor(
  ctx: LowerCtx,
  index: string,
  start: Expr,
  end: Expr,
  step: number,
  body: Stmt[],
  stepExpr?: Expr,
): Stmt {
  const assigned = assignedNames(body);
  const stored = storedArrays(body);
  for (const name of exprVars(end))
    if (assigned.has(name)) reject('unsupported-syntax', `the loop bound changes inside the loop (${name})`);
  visitExpr(end, (x) => {
    if (x.kind === 'load' && stored.has(x.array))
      reject('unsupported-syntax', `the loop bound reads ${x.array}, which the loop writes`);
  });
  if (stepExpr)
    visitExpr(stepExpr, (x) => {
      if ((x.kind === 'var' && assigned.has(x.name)) || (x.kind === 'load' && stored.has(x.array)))
        reject('unsupported-syntax', `the loop step changes inside the loop`);
    });
  const floatVar = (name: string): boolean => !ctx.intVars.has(name);
  const floatArray = (name: string): boolean => {
    const a = ctx.arrays.get(name);
    return !a || a.el === 'number[]' || a.el === 'Float64Array' || a.el === 'Float32Array';
  };
  const deps = loopDeps(body, index, floatVar, floatArray);
  const stmt: Stmt = {
    kind: 'for',
    index,
    start,
    end,
    step,
    ...(stepExpr ? { stepExpr } : {}),
    body,
    // An early exit makes the order matter (the first element that exits wins): never sharded.
    ...(ctx.loopDepth === 0 && deps.parallel && !hasExit(body)
      ? { parallel: { reductions: deps.reductions } }
      : {}),
  };
  ctx.deps.set(stmt, deps);
  return stmt;
}

const exits = new Set(['break', 'continue', 'return', 'throw']);

/** True when `body` holds a break/continue/return/throw (at any depth). */
export function hasExit(body: readonly Stmt[]): boolean {
  return someStmt(body, (s) => exits.has(s.kind));
}

/** Lowers a loop body one level deeper. */
export function lowerBody(ctx: LowerCtx, body: readonly ts.Statement[], place: ListPlace): Stmt[] {
  ctx.loopDepth++;
  try {
    return lowerStmts(ctx, body, place);
  } finally {
    ctx.loopDepth--;
  }
}

export function bodyOf(s: ts.Statement): readonly ts.Statement[] {
  return ts.isBlock(s) ? s.statements : [s];
}

/** `i++`, `i += 2`, `i = i + 1`, `i--`…: the signed step on `sym`, or undefined. */
export function stepOf(ctx: LowerCtx, inc: ts.Expression | undefined, sym: ts.Symbol): number | undefined {
  if (!inc) return undefined;
  const e = skipOuter(inc);
  const isI = (x: ts.Expression): boolean =>
    ts.isIdentifier(skipOuter(x)) && ctx.checker.getSymbolAtLocation(skipOuter(x)) === sym;
  if ((ts.isPostfixUnaryExpression(e) || ts.isPrefixUnaryExpression(e)) && isI(e.operand)) {
    if (e.operator === ts.SyntaxKind.PlusPlusToken) return 1;
    if (e.operator === ts.SyntaxKind.MinusMinusToken) return -1;
  }
  if (!ts.isBinaryExpression(e) || !isI(e.left)) return undefined;
  const k = e.operatorToken.kind;
  if (k === ts.SyntaxKind.PlusEqualsToken || k === ts.SyntaxKind.MinusEqualsToken) {
    const n = constValue(ctx.checker, e.right);
    return n === undefined ? undefined : k === ts.SyntaxKind.PlusEqualsToken ? n : -n;
  }
  if (k === ts.SyntaxKind.EqualsToken && ts.isBinaryExpression(skipOuter(e.right))) {
    const r = skipOuter(e.right) as ts.BinaryExpression;
    const n = constValue(ctx.checker, r.right);
    if (n === undefined || !isI(r.left)) return undefined;
    if (r.operatorToken.kind === ts.SyntaxKind.PlusToken) return n;
    if (r.operatorToken.kind === ts.SyntaxKind.MinusToken) return -n;
  }
  return undefined;
}

export type Cmp = '<' | '<=' | '>' | '>=';

/** The condition as `i cmp bound` (`i + a < b` is read as `i < b - a`), or undefined. */
export function conditionOf(
  ctx: LowerCtx,
  cond: ts.Expression | undefined,
  sym: ts.Symbol,
): { cmp: Cmp; bound: () => Expr } | undefined {
  const e = cond ? skipOuter(cond) : undefined;
  if (!e || !ts.isBinaryExpression(e)) return undefined;
  const flip: Partial<Record<ts.SyntaxKind, [Cmp, Cmp]>> = {
    [ts.SyntaxKind.LessThanToken]: ['<', '>'],
    [ts.SyntaxKind.LessThanEqualsToken]: ['<=', '>='],
    [ts.SyntaxKind.GreaterThanToken]: ['>', '<'],
    [ts.SyntaxKind.GreaterThanEqualsToken]: ['>=', '<='],
  };
  const ops = flip[e.operatorToken.kind];
  if (!ops) return undefined;
  const isI = (x: ts.Expression): boolean =>
    ts.isIdentifier(skipOuter(x)) && ctx.checker.getSymbolAtLocation(skipOuter(x)) === sym;
  const side = (x: ts.Expression): ((b: Expr) => Expr) | undefined => {
    const y = skipOuter(x);
    if (isI(y)) return (b) => b;
    if (
      ts.isBinaryExpression(y) &&
      isI(y.left) &&
      (y.operatorToken.kind === ts.SyntaxKind.PlusToken || y.operatorToken.kind === ts.SyntaxKind.MinusToken)
    ) {
      const op = y.operatorToken.kind === ts.SyntaxKind.PlusToken ? '-' : '+';
      return (b) => ({ kind: 'bin', op, left: b, right: lowerExpr(ctx, y.right) });
    }
    return undefined;
  };
  const l = side(e.left);
  if (l) return { cmp: ops[0], bound: () => l(lowerExpr(ctx, e.right)) };
  const r = side(e.right);
  if (r) return { cmp: ops[1], bound: () => r(lowerExpr(ctx, e.left)) };
  return undefined;
}

function lowerForOf(ctx: LowerCtx, s: ts.ForOfStatement): Stmt[] {
  if (s.awaitModifier) reject('await', 'for await inside (IO-bound pattern)');
  const init = s.initializer;
  if (
    !ts.isVariableDeclarationList(init) ||
    init.declarations.length !== 1 ||
    !ts.isIdentifier(init.declarations[0]!.name)
  ) {
    reject('unsupported-syntax', `for…of target ${short(init)}`);
  }
  const iter = skipOuter(s.expression);
  if (!ts.isIdentifier(iter)) {
    lowerExpr(ctx, iter);
    reject('unsupported-syntax', `for…of over ${short(iter)}`);
  }
  const arr = resolveIdentifier(ctx, iter);
  if (arr.kind !== 'array' && arr.kind !== 'const-array')
    reject('unsupported-syntax', `for…of over ${iter.text}, which is not an array`);
  touchArray(ctx, arr.name, 'read');
  const index = uniqueName(ctx, 'i');
  ctx.intVars.add(index);
  const item = declareScalar(ctx, init.declarations[0]!.name);
  const body = lowerBody(ctx, bodyOf(s.statement), 'loop');
  const first: Stmt = {
    kind: 'let',
    name: item,
    dtype: 'f64',
    init: { kind: 'load', array: arr.name, index: v(index) },
  };
  return [makeFor(ctx, index, c(0), { kind: 'len', array: arr.name }, 1, [first, ...body])];
}

/** Lowers any loop statement, or rejects the kinds the IR has no form for. */
export function lowerLoopStmt(ctx: LowerCtx, s: ts.IterationStatement): Stmt[] {
  if (ts.isForStatement(s)) return lowerFor(ctx, s);
  if (ts.isForOfStatement(s)) return lowerForOf(ctx, s);
  if (ts.isForInStatement(s)) reject('object-property', 'for…in iterates object properties');
  if (ts.isWhileStatement(s) || ts.isDoStatement(s)) return lowerWhile(ctx, s);
  return reject('unsupported-syntax', 'loop form');
}

export function hasOwnContinue(
  body: ts.Node,
  what: (n: ts.Node) => boolean = ts.isContinueStatement,
): boolean {
  let hit = false;
  const visit = (n: ts.Node): void => {
    if (hit || ts.isFunctionLike(n) || (ts.isIterationStatement(n, false) && n !== body)) return;
    if (what(n)) hit = true;
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(body, visit);
  return hit;
}

/**
 * A loop as a while loop: its test (none: forever), body, and the step a `for` runs after each pass
 * (`for (; x > 0; x--)`, `for (i = n; i--;)` are while loops with an initialiser before them).
 */
export interface WhileShape {
  /** The loop statement (for liveness and messages). */
  readonly node: ts.IterationStatement;
  readonly cond: ts.Expression | undefined;
  readonly statement: ts.Statement;
  readonly inc?: ts.Expression;
  readonly isDo: boolean;
}

const whileShape = (s: ts.WhileStatement | ts.DoStatement): WhileShape => ({
  node: s,
  cond: s.expression,
  statement: s.statement,
  isDo: ts.isDoStatement(s),
});

/**
 * `while (i < n) { …; i++; }` and `do { …; i++; } while (i < n)`: a counted loop whose counter is
 * declared outside. The counter is read as the IR index (so it must not be used after the loop).
 */
function lowerWhile(ctx: LowerCtx, s: ts.WhileStatement | ts.DoStatement): Stmt[] {
  const w = whileShape(s);
  const countdown = ts.isWhileStatement(s) ? lowerCountdown(ctx, w) : undefined;
  if (countdown) return countdown;
  return lowerCounted(ctx, s) ?? lowerConditional(ctx, w);
}

/**
 * A `for` that is a while loop with an initialiser: `for (i = n; i--;)` (the test steps the counter),
 * `for (; cond; step)` (no initialiser), `for (;;)` with a break. The initialiser's statements come
 * first; a `continue` in the body would skip the step, so a loop with both is refused.
 */
export function lowerForAsWhile(ctx: LowerCtx, s: ts.ForStatement, init: Stmt[]): Stmt[] {
  const w: WhileShape = {
    node: s,
    cond: s.condition,
    statement: s.statement,
    ...(s.incrementor ? { inc: s.incrementor } : {}),
    isDo: false,
  };
  if (w.inc && hasOwnContinue(s.statement))
    reject('unsupported-syntax', `continue in a for loop without an initialiser (${short(w.inc)})`);
  const countdown = !w.inc && w.cond ? lowerCountdown(ctx, w) : undefined;
  return [...init, ...(countdown ?? lowerConditional(ctx, w, init))];
}

/**
 * Any other `while (cond) {…}` / `do {…} while (cond)` (a search `while (i < n && x[i] < t) i++`, a
 * convergence loop, a counter stepped anywhere in the body or read after the loop): an IR loop with
 * no bound of its own that tests the condition where JS does and breaks when it fails —
 * `for (w = 0; w < Infinity; w++) { if (!cond) break; … }`, for `do…while` the test skipped the first
 * time (`if (w > 0 && !cond) break`), so a `continue` goes to the test as in JS. The scalars it
 * updates are carried from one iteration to the next: a sequential loop.
 */
function lowerConditional(ctx: LowerCtx, s: WhileShape, entry: readonly Stmt[] = []): Stmt[] {
  const w = uniqueName(ctx, 'w');
  ctx.intVars.add(w);
  const cond = s.cond;
  const forever = !cond || skipOuter(cond).kind === ts.SyntaxKind.TrueKeyword;
  const test = forever
    ? { pre: [], value: undefined }
    : withPre(ctx, () => {
        ctx.loopDepth++;
        try {
          return lowerExpr(ctx, cond);
        } finally {
          ctx.loopDepth--;
        }
      });
  if (forever && !hasOwnContinue(s.statement, (n) => ts.isBreakStatement(n) || ts.isReturnStatement(n)))
    reject('unsupported-syntax', 'a while (true) loop without a break or return');
  if (cond && exactStop(cond))
    reject(
      'unsupported-syntax',
      `while loop that ends only when ${short(cond)} hits one exact value (from some starts it never ends)`,
    );
  const body = lowerBody(ctx, bodyOf(s.statement), 'loop');
  if (s.inc) {
    const inc = s.inc;
    ctx.loopDepth++;
    try {
      body.push(...lowerExprStatement(ctx, inc));
    } finally {
      ctx.loopDepth--;
    }
  }
  if (!test.value || !boundedByCounter(test.value, body, entry))
    reject(
      'unsupported-syntax',
      `while loop without a counter stepped toward a fixed bound once per pass (it may never end on some inputs)`,
    );
  const exit: Stmt[] = [
    ...test.pre,
    { kind: 'if', cond: { kind: 'un', op: '!', arg: test.value }, then: [{ kind: 'break' }], else: [] },
  ];
  const check: Stmt[] =
    s.isDo && exit.length > 0
      ? [{ kind: 'if', cond: { kind: 'bin', op: '>', left: v(w), right: c(0) }, then: exit, else: [] }]
      : exit;
  return [makeFor(ctx, w, c(0), { kind: 'const', value: 'Infinity' }, 1, [...check, ...body])];
}

/**
 * `while (i--)`, `while (--count)`, `while (k !== n)`, `while (x)`: a condition that fails at one exact
 * value only. With a counter read after the loop these are not the counted forms, and from a start that
 * is not an integer (what the kernel cannot rule out) JS never ends them: refused.
 */
function exactStop(cond: ts.Expression): boolean {
  let e = skipOuter(cond);
  while (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken)
    e = skipOuter(e.operand);
  if (ts.isIdentifier(e) || ts.isPostfixUnaryExpression(e) || ts.isPrefixUnaryExpression(e)) return true;
  if (!ts.isBinaryExpression(e)) return false;
  const k = e.operatorToken.kind;
  return (
    k === ts.SyntaxKind.ExclamationEqualsEqualsToken ||
    k === ts.SyntaxKind.ExclamationEqualsToken ||
    k === ts.SyntaxKind.EqualsEqualsEqualsToken ||
    k === ts.SyntaxKind.EqualsEqualsToken
  );
}

/** `while (i < n) { …; i++; }` and `do { …; i++; } while (i < n)` with the counter dead after the loop. */
function lowerCounted(ctx: LowerCtx, s: ts.WhileStatement | ts.DoStatement): Stmt[] | undefined {
  const body = bodyOf(s.statement);
  const last = body.at(-1);
  const e = skipOuter(s.expression);
  const counter = ts.isBinaryExpression(e)
    ? [e.left, e.right]
        .map(skipOuter)
        .find((x) => ts.isIdentifier(x) || (ts.isBinaryExpression(x) && ts.isIdentifier(x.left)))
    : undefined;
  const id =
    counter &&
    (ts.isIdentifier(counter) ? counter : ts.isBinaryExpression(counter) ? counter.left : undefined);
  const sym = id && ts.isIdentifier(id) ? ctx.checker.getSymbolAtLocation(id) : undefined;
  const step = sym && last && ts.isExpressionStatement(last) ? stepOf(ctx, last.expression, sym) : undefined;
  const cond = sym ? conditionOf(ctx, s.expression, sym) : undefined;
  const what = ts.isDoStatement(s) ? 'do…while' : 'while';
  if (
    !sym ||
    !id ||
    !ts.isIdentifier(id) ||
    step === undefined ||
    step === 0 ||
    !cond ||
    step > 0 !== (cond.cmp === '<' || cond.cmp === '<=')
  ) {
    return undefined;
  }
  // A continue skips the step; a counter read after the loop (where a break leaves it) is a live-out:
  // both are the conditional form's.
  if (hasOwnContinue(s.statement) || liveAfter(s, sym, ctx.checker)) return undefined;
  const start = resolveIdentifier(ctx, id);
  if (start.kind !== 'scalar') reject('unsupported-syntax', `${what} counter ${id.text}`);
  const i0 = v(start.name);
  const { pre, value: bound } = withPre(ctx, cond.bound);
  if (pre.length > 0) reject('unsupported-syntax', 'the loop bound calls a helper with statements');
  const once = ts.isDoStatement(s);
  const index = uniqueName(ctx, `${id.text}_w`);
  ctx.intVars.add(index);
  const saved = ctx.bindings.get(sym);
  ctx.bindings.set(sym, { kind: 'scalar', name: index, dtype: 'f64' });
  try {
    if (step > 0) {
      const end =
        cond.cmp === '<'
          ? bound
          : isIntExpr(ctx, bound)
            ? add(bound, c(1))
            : add({ kind: 'call', fn: 'floor', args: [bound] }, c(1));
      const next = add(i0, c(step));
      const endOnce: Expr = once
        ? { kind: 'select', cond: { kind: 'bin', op: '>=', left: end, right: next }, then: end, else: next }
        : end;
      const lowered = lowerBody(ctx, body.slice(0, -1), 'nested');
      return [makeFor(ctx, index, i0, endOnce, step, lowered)];
    }
    const mag = -step;
    const k = uniqueName(ctx, `${id.text}_k`);
    ctx.intVars.add(k);
    const span: Expr = { kind: 'bin', op: '-', left: i0, right: bound };
    const scaled: Expr = mag === 1 ? span : { kind: 'bin', op: '/', left: span, right: c(mag) };
    const count: Expr =
      cond.cmp === '>='
        ? add({ kind: 'call', fn: 'floor', args: [scaled] }, c(1))
        : { kind: 'call', fn: 'ceil', args: [scaled] };
    const countOnce: Expr = once
      ? { kind: 'select', cond: { kind: 'bin', op: '>=', left: count, right: c(1) }, then: count, else: c(1) }
      : count;
    const offset: Expr = mag === 1 ? v(k) : { kind: 'bin', op: '*', left: v(k), right: c(mag) };
    const lowered = lowerBody(ctx, body.slice(0, -1), 'nested');
    const first: Stmt = {
      kind: 'let',
      name: index,
      dtype: 'f64',
      init: { kind: 'bin', op: '-', left: i0, right: offset },
    };
    return [makeFor(ctx, k, c(0), countOnce, 1, [first, ...lowered])];
  } finally {
    if (saved) ctx.bindings.set(sym, saved);
    else ctx.bindings.delete(sym);
  }
}

/**
 * `while (i--) {…}`, `while (i-- > 0) {…}`, `while (--i >= 0) {…}`, `while (--i > 0) {…}`: the body
 * sees i0 - 1, i0 - 2, … down to 0 (or 1), as many times as the form allows.
 */
function lowerCountdown(ctx: LowerCtx, s: WhileShape): Stmt[] | undefined {
  if (!s.cond) return undefined;
  let e = skipOuter(s.cond);
  let form: 'truthy' | 'post>0' | 'pre>=0' | 'pre>0' = 'truthy';
  if (ts.isBinaryExpression(e) && ts.isNumericLiteral(e.right) && e.right.text === '0') {
    const k = e.operatorToken.kind;
    const left = skipOuter(e.left);
    const pre = ts.isPrefixUnaryExpression(left);
    if (k === ts.SyntaxKind.GreaterThanToken) form = pre ? 'pre>0' : 'post>0';
    else if (k === ts.SyntaxKind.GreaterThanEqualsToken && pre) form = 'pre>=0';
    else return undefined;
    e = left;
  }
  const dec = ts.isPostfixUnaryExpression(e)
    ? form.startsWith('pre')
      ? undefined
      : e
    : ts.isPrefixUnaryExpression(e) && form.startsWith('pre')
      ? e
      : undefined;
  if (!dec || dec.operator !== ts.SyntaxKind.MinusMinusToken || !ts.isIdentifier(dec.operand))
    return undefined;
  const id = dec.operand;
  const sym = ctx.checker.getSymbolAtLocation(id);
  if (!sym) return undefined;
  // A continue or a counter read after the loop: the conditional form (lowerConditional) keeps both.
  if (hasOwnContinue(s.statement) || liveAfter(s.node, sym, ctx.checker)) return undefined;
  const start = resolveIdentifier(ctx, id);
  if (start.kind !== 'scalar') reject('unsupported-syntax', `while counter ${id.text}`);
  const i0 = v(start.name);
  const k = uniqueName(ctx, `${id.text}_k`);
  ctx.intVars.add(k);
  const index = uniqueName(ctx, `${id.text}_w`);
  const saved = ctx.bindings.get(sym);
  ctx.bindings.set(sym, { kind: 'scalar', name: index, dtype: 'f64' });
  try {
    const body = lowerBody(ctx, bodyOf(s.statement), 'nested');
    const first: Stmt = {
      kind: 'let',
      name: index,
      dtype: 'f64',
      init: { kind: 'bin', op: '-', left: { kind: 'bin', op: '-', left: i0, right: c(1) }, right: v(k) },
    };
    const count: Expr =
      form === 'truthy'
        ? i0
        : form === 'post>0'
          ? { kind: 'call', fn: 'ceil', args: [i0] }
          : form === 'pre>=0'
            ? { kind: 'call', fn: 'floor', args: [i0] }
            : { kind: 'call', fn: 'ceil', args: [{ kind: 'bin', op: '-', left: i0, right: c(1) }] };
    return [makeFor(ctx, k, c(0), count, 1, [first, ...body])];
  } finally {
    if (saved) ctx.bindings.set(sym, saved);
    else ctx.bindings.delete(sym);
  }
}
