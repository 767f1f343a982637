// Lowering `xs.forEach/map/reduce/filter(callback)` to index loops: pure callbacks become loop
// bodies. `map` and `filter` allocate their result, so they only lower as loop kernels of their own.
import type { Expr, Stmt } from '../ir/types.js';
import { c, v } from './irUtil.js';
import type { Helper } from './inline.js';
import { lowerReturning, resolveHelper } from './inline.js';
import { lowerExpr, skipOuter } from './lowerExpr.js';
import { lowerBody, makeFor } from './lowerLoop.js';
import type { Binding, LowerCtx } from './lowerCtx.js';
import { declareScalar, reject, short, symbolOf, touchArray, uniqueName, withPre } from './lowerCtx.js';
import { constValue, numLit, resolveIdentifier } from './resolve.js';
import { ts } from './ts.js';
import { isAnyOrUnknown, isArrayLike, isRank2 } from './typeInfo.js';

type Method = 'map' | 'reduce' | 'forEach' | 'filter';

interface ArrayCall {
  readonly method: Method;
  readonly receiver: ts.Expression;
  readonly call: ts.CallExpression;
}

/** `xs.map(cb)` and friends on an array receiver, or undefined. */
export function asArrayCall(ctx: LowerCtx, call: ts.CallExpression): ArrayCall | undefined {
  const callee = skipOuter(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.name.text;
  if (method !== 'map' && method !== 'reduce' && method !== 'forEach' && method !== 'filter')
    return undefined;
  const recvType = ctx.checker.getTypeAtLocation(callee.expression);
  // Untyped JS (`any`): an identifier receiver is inferred from its uses when it is lowered.
  const untyped = isAnyOrUnknown(recvType) && ts.isIdentifier(skipOuter(callee.expression));
  if (!untyped && !isArrayLike(ctx.checker, recvType)) return undefined;
  return { method, receiver: callee.expression, call };
}

function callbackOf(ctx: LowerCtx, arg: ts.Expression | undefined): { fn: Helper; name?: string } {
  const a = arg ? skipOuter(arg) : undefined;
  if (a && (ts.isArrowFunction(a) || ts.isFunctionExpression(a))) {
    if (a.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword))
      reject('await', 'async callback (IO-bound pattern)');
    return { fn: a };
  }
  if (a && ts.isIdentifier(a)) {
    const fn = resolveHelper(ctx, a);
    if (fn) return { fn, name: a.text };
    reject('calls-function', `calls ${a.text}()`);
  }
  return reject('unsupported-syntax', `callback ${a ? short(a) : '(none)'}`);
}

interface LoweredIteration {
  /** Statements before the loop (e.g. the accumulator's `let`). */
  readonly before: Stmt[];
  readonly loop: Stmt;
  /** The reduce accumulator (its IR name), for `reduce`. */
  readonly acc?: string;
  /** IR name of the array iterated. */
  readonly array: string;
}

/**
 * Lowers the iteration of an array call. `out` is the array `map` stores to (loop kernels only).
 */
export function lowerIteration(ctx: LowerCtx, ac: ArrayCall, out?: string): LoweredIteration {
  const { method, call } = ac;
  if (method === 'filter') reject('allocates', 'filter() allocates a result array');
  if (method === 'map' && !out) reject('allocates', 'map() allocates a new array');
  const recv = skipOuter(ac.receiver);
  const literal = literalTable(ctx, recv);
  if (!literal && !ts.isIdentifier(recv)) {
    lowerExpr(ctx, recv);
    reject('unsupported-syntax', `${method}() over ${short(recv)}`);
  }
  const arr = literal ?? resolveIdentifier(ctx, recv as ts.Identifier);
  if (arr.kind !== 'array' && arr.kind !== 'const-array')
    reject('unsupported-syntax', `${method}() over ${short(recv)}`);
  touchArray(ctx, arr.name, 'read');
  const cb = callbackOf(ctx, call.arguments[0]);
  if (method !== 'reduce' && call.arguments.length > 1)
    reject('unsupported-syntax', `${method}() with a thisArg`);
  const params = [...cb.fn.parameters];
  const before: Stmt[] = [];
  let acc: string | undefined;
  let start: Expr = c(0);
  if (method === 'reduce') {
    const accParam = params.shift();
    if (!accParam || !ts.isIdentifier(accParam.name))
      reject('unsupported-syntax', 'reduce() callback without an accumulator');
    const init = call.arguments[1];
    const r = withPre(ctx, (): Expr =>
      init ? lowerExpr(ctx, init) : { kind: 'load', array: arr.name, index: c(0) },
    );
    acc = declareScalar(ctx, accParam.name);
    before.push(...r.pre, { kind: 'let', name: acc, dtype: 'f64', init: r.value });
    if (!init) start = c(1);
  }
  const [itemP, indexP, arrayP] = params;
  for (const p of params)
    if (!ts.isIdentifier(p.name) || p.dotDotDotToken)
      reject('unsupported-syntax', `callback parameter ${short(p.name)}`);
  const index = indexP ? declareScalar(ctx, indexP.name as ts.Identifier) : uniqueName(ctx, 'i');
  ctx.intVars.add(index);
  if (arrayP) ctx.bindings.set(symbolOf(ctx, arrayP.name), arr);
  // Over an array of rows the element is a row (`(a, row) => a + row[1]`), bound like `const row = xs[i]`.
  const rows = itemP !== undefined && arr.kind === 'array' && isRank2(arr.el);
  if (rows) ctx.bindings.set(symbolOf(ctx, itemP.name), { kind: 'row', name: arr.name, row: v(index) });
  const first: Stmt[] =
    itemP && !rows
      ? [
          {
            kind: 'let',
            name: declareScalar(ctx, itemP.name as ts.Identifier),
            dtype: 'f64',
            init: { kind: 'load', array: arr.name, index: v(index) },
          },
        ]
      : [];
  const body = cb.fn.body!;
  ctx.loopDepth++;
  let stmts: Stmt[];
  try {
    if (method === 'forEach') {
      stmts = ts.isBlock(body)
        ? lowerBody(ctx, body.statements, 'callback')
        : withPreStmts(ctx, () => {
            lowerExpr(ctx, body);
          });
    } else {
      const r = withPre(ctx, () =>
        ts.isBlock(body) ? lowerReturning(ctx, body.statements) : lowerExpr(ctx, body),
      );
      const last: Stmt =
        method === 'reduce'
          ? { kind: 'assign', name: acc!, value: r.value }
          : { kind: 'store', array: out!, index: v(index), value: r.value };
      stmts = [...r.pre, last];
    }
  } finally {
    ctx.loopDepth--;
  }
  if (cb.name && !ctx.inlined.includes(cb.name)) ctx.inlined.push(cb.name);
  return {
    before,
    // Over a literal the trip is its (constant) length.
    loop: makeFor(ctx, index, start, tripEnd(ctx, arr.name), 1, [...first, ...stmts]),
    array: arr.name,
    ...(acc ? { acc } : {}),
  };
}

/** Values of an array literal of numeric constants (`[0, 1, 2]`), or undefined. */
export function literalValues(ctx: LowerCtx, e: ts.Expression): number[] | undefined {
  if (!ts.isArrayLiteralExpression(e) || e.elements.length === 0) return undefined;
  const out: number[] = [];
  for (const el of e.elements) {
    const v = ts.isSpreadElement(el) || ts.isOmittedExpression(el) ? undefined : constValue(ctx.checker, el);
    if (v === undefined) return undefined;
    out.push(v);
  }
  return out;
}

/**
 * `[0, 1, 2].map((i) => …)`: the literal (made anew on each call, never changed) is a constant table
 * of the kernel, iterated like an array.
 */
function literalTable(ctx: LowerCtx, e: ts.Expression): Binding | undefined {
  const values = literalValues(ctx, e);
  if (!values) return undefined;
  const name = uniqueName(ctx, 'literal');
  ctx.consts.push({ kind: 'const-array', name, dtype: 'f64', values: values.map(numLit) });
  return { kind: 'const-array', name, el: 'number[]' };
}

/** `xs.length`, or the length of a constant table as a constant. */
export function tripEnd(ctx: LowerCtx, array: string): Expr {
  const table = ctx.consts.find((t) => t.name === array);
  return table ? c(table.values.length) : { kind: 'len', array };
}

function withPreStmts(ctx: LowerCtx, f: () => void): Stmt[] {
  return withPre(ctx, f).pre;
}

/** `xs.reduce(…)` inside an expression: the loop goes to `ctx.pre`, the accumulator is the value. */
export function lowerArrayMethodExpr(ctx: LowerCtx, call: ts.CallExpression): Expr | undefined {
  const ac = asArrayCall(ctx, call);
  if (!ac) return undefined;
  if (ac.method === 'forEach') reject('unsupported-syntax', 'forEach() used as a value');
  const it = lowerIteration(ctx, ac);
  ctx.pre.push(...it.before, it.loop);
  return v(it.acc!);
}

/** `xs.forEach(…);` (or a discarded reduce) as a statement: its loop. */
export function lowerArrayMethodStmt(ctx: LowerCtx, call: ts.CallExpression): Stmt[] | undefined {
  const ac = asArrayCall(ctx, call);
  if (!ac) return undefined;
  const it = lowerIteration(ctx, ac);
  return [...it.before, it.loop];
}
