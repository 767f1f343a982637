// Fresh output arrays (`ArrayParam.fresh` in the IR): an array the function allocates itself and
// fills — `var ret = []` + `ret[i] = …`/`ret.push(…)`, `new Array(n)`, `Array(n).fill(0)`,
// `new Float64Array(n)`, `xs.map(v => …)` — becomes a written typed-array parameter that the wrapper
// allocates before the kernel runs. A plain array (`[]`, `new Array(n)`, `fill(0)`, `map` over a
// `number[]`) must be written at exactly the indices 0..len-1 in order, or the original's holes and
// growth could not be reproduced: one unconditional store `ret[i] = …` (or push) per iteration of one
// top-level `for (i = 0; i < end; i++)`, no read of `ret` inside it, no early exit. A typed array
// starts at zero and keeps its length, so any in-kernel use of it is exact.
import type { DType, Expr, Param, Stmt } from '../ir/types.js';
import { c, sameExpr, someExpr, someStmt, stmtExprs, visitExpr, visitStmts } from './irUtil.js';
import type { LowerCtx } from './lowerCtx.js';
import { isInside, note, reject, short, symbolOf, touchArray, uniqueName, withPre } from './lowerCtx.js';
import { asArrayCall, lowerIteration, tripEnd } from './arrayMethods.js';
import { lowerExpr, skipOuter } from './lowerExpr.js';
import { isIntExpr } from './lowerLoop.js';
import { referencesIn } from './infer.js';
import { ts } from './ts.js';
import type { KnownElement } from './typeInfo.js';
import { elementTypeOfType, isRank2 } from './typeInfo.js';

const TYPED: Readonly<Record<string, DType>> = {
  Float64Array: 'f64',
  Float32Array: 'f32',
  Int32Array: 'i32',
  Uint32Array: 'u32',
  Int16Array: 'i16',
  Uint16Array: 'u16',
  Int8Array: 'i8',
  Uint8Array: 'u8',
  Uint8ClampedArray: 'u8c',
};

/** What the source allocates. */
type FreshInit =
  | { readonly kind: 'empty' }
  | { readonly kind: 'holes'; readonly n: ts.Expression }
  | { readonly kind: 'zeros'; readonly n: ts.Expression; readonly typed?: string }
  | { readonly kind: 'map'; readonly call: ts.CallExpression };

interface FreshState {
  readonly name: string;
  readonly init: FreshInit['kind'];
  readonly dtype: DType;
  readonly plain: boolean;
  /** The allocation's own length (holes, zeros, map); absent for `[]` (the trip count decides). */
  readonly length?: Expr;
  /** Set by `finishFresh`: the length as an expression of the kernel's parameters. */
  final?: Expr;
}

const states = new WeakMap<LowerCtx, Map<string, FreshState>>();

function freshOf(ctx: LowerCtx): Map<string, FreshState> {
  let m = states.get(ctx);
  if (!m) states.set(ctx, (m = new Map<string, FreshState>()));
  return m;
}

/** True when the context has fresh output arrays. */
export function hasFresh(ctx: LowerCtx): boolean {
  return (states.get(ctx)?.size ?? 0) > 0;
}

/** The allocation `init` makes, when it is one of the fresh-array forms. */
function freshInitOf(ctx: LowerCtx, init: ts.Expression): FreshInit | undefined {
  const e = skipOuter(init);
  if (ts.isArrayLiteralExpression(e) && e.elements.length === 0) return { kind: 'empty' };
  const arrayCtor = (x: ts.Expression): ts.Expression | undefined => {
    const y = skipOuter(x);
    if (!(ts.isNewExpression(y) || ts.isCallExpression(y)) || !ts.isIdentifier(y.expression))
      return undefined;
    const args = y.arguments ?? [];
    return y.expression.text === 'Array' && args.length === 1 ? args[0] : undefined;
  };
  const n = arrayCtor(e);
  if (n) return { kind: 'holes', n };
  if (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.expression.text in TYPED) {
    const arg = e.arguments?.[0];
    if (e.arguments?.length === 1 && arg && !ts.isArrayLiteralExpression(skipOuter(arg)))
      return { kind: 'zeros', n: arg, typed: e.expression.text };
    return undefined;
  }
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) {
    const m = e.expression.name.text;
    const zero =
      e.arguments.length === 1 && ts.isNumericLiteral(e.arguments[0]!) && e.arguments[0].text === '0';
    const len = arrayCtor(e.expression.expression);
    if (m === 'fill' && zero && len) return { kind: 'zeros', n: len };
    if (m === 'map' && asArrayCall(ctx, e)) return { kind: 'map', call: e };
  }
  return undefined;
}

/** The element `KnownElement` of a fresh array of `dtype` (the kernel sees a typed array). */
function elementOf(dtype: DType): KnownElement {
  const name = Object.entries(TYPED).find(([, d]) => d === dtype)![0];
  return name as KnownElement;
}

function lowerLength(ctx: LowerCtx, n: ts.Expression, typed: boolean): Expr {
  const r = withPre(ctx, () => lowerExpr(ctx, n));
  if (r.pre.length) reject('allocates', `the length of a new array (${short(n)}) is not a plain expression`);
  // `new Float64Array(x)` truncates x and takes NaN as 0 (ToIndex); `new Array(x)` throws unless x is a valid length.
  if (!typed || isIntExpr(ctx, r.value)) return r.value;
  return {
    kind: 'select',
    cond: { kind: 'bin', op: '===', left: r.value, right: r.value },
    then: { kind: 'call', fn: 'trunc', args: [r.value] },
    else: c(0),
  };
}

/** Registers `id` as a fresh output array for `init`; returns the statements of the allocation (a map's loop). */
function declareFresh(ctx: LowerCtx, id: ts.Identifier | undefined, init: FreshInit): Stmt[] {
  const name = uniqueName(ctx, id ? id.text : 'mapped');
  let dtype: DType = 'f64';
  let plain = true;
  let length: Expr | undefined;
  let out: Stmt[] = [];
  if (init.kind === 'holes' || init.kind === 'zeros') {
    if (init.kind === 'zeros' && init.typed) {
      dtype = TYPED[init.typed]!;
      plain = false;
    }
    length = lowerLength(ctx, init.n, !plain);
  }
  const state: FreshState = { name, init: init.kind, dtype, plain, ...(length ? { length } : {}) };
  if (init.kind === 'map') {
    const recvType = ctx.checker.getTypeAtLocation(
      (init.call.expression as ts.PropertyAccessExpression).expression,
    );
    const el = elementTypeOfType(ctx.checker, recvType);
    if (el in TYPED) {
      dtype = TYPED[el]!;
      plain = false;
    } else if (isRank2(el))
      reject('allocates', `map() over an array of rows (${el}) builds an array of arrays`);
    else if (el !== 'number[]' && el !== 'unknown')
      reject(
        'allocates',
        `map() over ${el}: the result is a number[] or a typed array depending on the argument`,
      );
    bindFresh(ctx, id, { ...state, dtype, plain });
    const it = lowerIteration(ctx, asArrayCall(ctx, init.call)!, name);
    if (el === 'unknown')
      note(
        ctx,
        `${name}: map() over an untyped array taken as a number[] (a typed array's map would give a typed array)`,
      );
    freshOf(ctx).set(name, { ...state, dtype, plain, length: tripEnd(ctx, it.array) });
    out = [...it.before, it.loop];
    return out;
  }
  bindFresh(ctx, id, state);
  return out;
}

function bindFresh(ctx: LowerCtx, id: ts.Identifier | undefined, state: FreshState): void {
  const el = elementOf(state.dtype);
  if (id) ctx.bindings.set(symbolOf(ctx, id), { kind: 'array', name: state.name, el });
  if (!ctx.arrays.has(state.name))
    ctx.arrays.set(state.name, { name: state.name, el, read: false, written: false });
  freshOf(ctx).set(state.name, state);
}

/**
 * `var ret = []` (and the other forms) at the kernel's top level, outside any loop: a fresh output
 * array. Returns its statements, or undefined when `init` is not such an allocation.
 */
export function lowerFreshDeclaration(
  ctx: LowerCtx,
  id: ts.Identifier,
  init: ts.Expression,
): Stmt[] | undefined {
  if (ctx.loopDepth > 0) return undefined;
  const f = freshInitOf(ctx, init);
  return f ? declareFresh(ctx, id, f) : undefined;
}

/**
 * A loop alone reads `ret` declared outside it: a fresh output array when its declaration allocates
 * one, sits in the same block before the loop, and nothing between them uses it.
 */
export function bindFreeFresh(ctx: LowerCtx, id: ts.Identifier, sym: ts.Symbol): boolean {
  if (ctx.mode !== 'loop' || ctx.noFresh) return false;
  const decl = sym.valueDeclaration;
  if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer || !ts.isIdentifier(decl.name))
    return false;
  const stmt = decl.parent.parent;
  if (!ts.isVariableStatement(stmt)) return false;
  let loopStmt: ts.Node = ctx.region;
  while ((loopStmt.parent as ts.Node | undefined) && loopStmt.parent !== stmt.parent)
    loopStmt = loopStmt.parent;
  if (loopStmt.parent !== stmt.parent || !ts.isStatement(loopStmt) || loopStmt.pos < stmt.end) return false;
  if (ts.isVariableStatement(loopStmt)) return false;
  const f = freshInitOf(ctx, decl.initializer);
  if (!f || f.kind === 'map') return false;
  const block = stmt.parent;
  const between = referencesIn(ctx.checker, sym, block).filter(
    (r) => r.pos >= stmt.end && r.end <= ctx.region.pos && !isInside(r, ctx.region),
  );
  if (between.length) return false;
  if (f.kind !== 'empty' && !sameAtLoop(ctx, f.n, block, stmt, loopStmt)) return false;
  declareFresh(ctx, decl.name, f);
  const name = freshNames(ctx).at(-1)!;
  ctx.freeParams.push({ kind: 'array', name, dtype: 'f64', container: 'typed', access: 'write' });
  return true;
}

/** Assignments, increments or calls inside `n`: a statement that may change what a length reads. */
function mayWrite(n: ts.Node): boolean {
  let found = false;
  const visit = (x: ts.Node): void => {
    if (found) return;
    if (
      ts.isCallExpression(x) ||
      ts.isNewExpression(x) ||
      ((ts.isPrefixUnaryExpression(x) || ts.isPostfixUnaryExpression(x)) &&
        (x.operator === ts.SyntaxKind.PlusPlusToken || x.operator === ts.SyntaxKind.MinusMinusToken)) ||
      (ts.isBinaryExpression(x) &&
        x.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
        x.operatorToken.kind <= ts.SyntaxKind.LastAssignment)
    )
      found = true;
    else ts.forEachChild(x, visit);
  };
  visit(n);
  return found;
}

/**
 * The length `n` given at the declaration `decl` means the same at the loop: it reads only parameters,
 * literals and `.length` (no `this`, no field, no local), and the statements between are declarations
 * without assignments or calls.
 */
function sameAtLoop(
  ctx: LowerCtx,
  n: ts.Expression,
  block: ts.Node,
  decl: ts.Statement,
  loop: ts.Node,
): boolean {
  const seen = { ok: true };
  const visit = (x: ts.Node): void => {
    if (x.kind === ts.SyntaxKind.ThisKeyword) seen.ok = false;
    else if (ts.isPropertyAccessExpression(x) && x.name.text !== 'length') seen.ok = false;
    else if (ts.isIdentifier(x) && !(ts.isPropertyAccessExpression(x.parent) && x.parent.name === x)) {
      const d = ctx.checker.getSymbolAtLocation(x)?.valueDeclaration;
      if (!d || !ts.isParameter(d)) seen.ok = false;
    }
    if (seen.ok) ts.forEachChild(x, visit);
  };
  visit(n);
  if (!seen.ok) return false;
  const list = ts.isBlock(block) || ts.isSourceFile(block) ? block.statements : [];
  return list
    .filter((s) => s.pos >= decl.end && s.end <= loop.pos)
    .every((s) => ts.isVariableStatement(s) && !mayWrite(s));
}

/** `ret.push(v)` on a fresh `[]`: a store at the counter of the enclosing `for`, or undefined if not that form. */
export function lowerFreshPush(ctx: LowerCtx, call: ts.CallExpression): Stmt[] | undefined {
  const callee = skipOuter(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'push') return undefined;
  const recv = skipOuter(callee.expression);
  if (!ts.isIdentifier(recv)) return undefined;
  const sym = ctx.checker.getSymbolAtLocation(recv);
  if (!sym) return undefined;
  // A loop alone meets `ret` here first: bind it (a fresh array when its declaration allows).
  if (!ctx.bindings.has(sym) && !bindFreeFresh(ctx, recv, sym)) return undefined;
  const b = ctx.bindings.get(sym);
  const state = b?.kind === 'array' ? freshOf(ctx).get(b.name) : undefined;
  if (!state) return undefined;
  if (state.init !== 'empty') reject('allocates', `${recv.text}.push() on an array made with a length`);
  if (call.arguments.length !== 1)
    reject('allocates', `${recv.text}.push() with ${call.arguments.length} values`);
  const stmt = call.parent;
  for (
    let p: ts.Node = stmt;
    !ts.isSourceFile(p) && !ts.isIterationStatement(p, false) && !ts.isFunctionLike(p);
    p = p.parent
  )
    if (ts.isIfStatement(p) || ts.isConditionalExpression(p))
      reject(
        'allocates',
        `${recv.text}.push() under a condition: how long the new array gets depends on the data`,
      );
  const body = ts.isBlock(stmt.parent) ? stmt.parent.parent : stmt.parent;
  if (!ts.isExpressionStatement(stmt) || !ts.isForStatement(body) || !body.incrementor)
    reject('allocates', `${recv.text}.push() not directly in the body of a counted for loop`);
  const inc = skipOuter(body.incrementor);
  const counter =
    (ts.isPostfixUnaryExpression(inc) || ts.isPrefixUnaryExpression(inc)) && ts.isIdentifier(inc.operand)
      ? inc.operand
      : undefined;
  const cb = counter ? ctx.bindings.get(ctx.checker.getSymbolAtLocation(counter)!) : undefined;
  if (!cb || cb.kind !== 'scalar')
    reject('allocates', `${recv.text}.push() in a loop whose counter is not i++`);
  const r = withPre(ctx, () => lowerExpr(ctx, call.arguments[0]!));
  touchArray(ctx, state.name, 'write');
  return [
    ...r.pre,
    { kind: 'store', array: state.name, index: { kind: 'var', name: cb.name }, value: r.value },
  ];
}

const mentions = (list: readonly Stmt[], name: string, what: 'load' | 'any'): boolean =>
  someStmt(
    list,
    (s) =>
      (what === 'any' && s.kind === 'store' && s.array === name) ||
      stmtExprs(s).some((e) =>
        someExpr(e, (x) => (x.kind === 'load' || (what === 'any' && x.kind === 'len')) && x.array === name),
      ),
  );

/** Top-level `let`s never assigned: their names and initialisers (to write a length in parameters only). */
function constantLets(body: readonly Stmt[]): Map<string, Expr> {
  const assigned = new Set<string>();
  visitStmts(body, (s) => {
    if (s.kind === 'assign') assigned.add(s.name);
  });
  const out = new Map<string, Expr>();
  for (const s of body) if (s.kind === 'let' && !assigned.has(s.name)) out.set(s.name, s.init);
  return out;
}

function substitute(e: Expr, lets: ReadonlyMap<string, Expr>, depth = 0): Expr {
  if (depth > 8) return e;
  switch (e.kind) {
    case 'var': {
      const init = lets.get(e.name);
      return init ? substitute(init, lets, depth + 1) : e;
    }
    case 'bin':
      return { ...e, left: substitute(e.left, lets, depth), right: substitute(e.right, lets, depth) };
    case 'un':
      return { ...e, arg: substitute(e.arg, lets, depth) };
    case 'call':
      return { ...e, args: e.args.map((a) => substitute(a, lets, depth)) };
    case 'select':
      return {
        ...e,
        cond: substitute(e.cond, lets, depth),
        then: substitute(e.then, lets, depth),
        else: substitute(e.else, lets, depth),
      };
    default:
      return e;
  }
}

/** The length in parameters only (lets substituted), or a rejection saying what it depends on. */
function inParams(e: Expr, lets: ReadonlyMap<string, Expr>, params: readonly Param[], what: string): Expr {
  const out = substitute(e, lets);
  const scalars = new Set(params.filter((p) => p.kind === 'scalar').map((p) => p.name));
  const arrays = new Set(params.filter((p) => p.kind === 'array').map((p) => p.name));
  visitExpr(out, (x) => {
    if (x.kind === 'load') reject('allocates', `${what} reads an array element`);
    if (x.kind === 'var' && !scalars.has(x.name))
      reject('allocates', `${what} depends on ${x.name}, computed in the function`);
    if (x.kind === 'len' && !arrays.has(x.array)) reject('allocates', `${what} depends on ${x.array}.length`);
  });
  return out;
}

/** Checks that the one top-level loop writing plain array `s` writes exactly 0..len-1 in order; returns the trip count. */
function coveredLength(s: FreshState, body: readonly Stmt[]): Expr {
  const name = s.name;
  const writers = body.filter((st) => someStmt([st], (x) => x.kind === 'store' && x.array === name));
  const src = s.init === 'map' ? 'map()' : name;
  if (writers.length !== 1 || writers[0]!.kind !== 'for')
    reject('allocates', `${src} is written outside one top-level loop, so its holes cannot be ruled out`);
  const loop = writers[0] as Extract<Stmt, { kind: 'for' }>;
  const k = body.indexOf(loop);
  if (mentions(body.slice(0, k), name, 'any'))
    reject('allocates', `${name} is used before the loop that fills it`);
  if (loop.step !== 1 || loop.stepExpr || !sameExpr(loop.start, c(0)))
    reject('allocates', `the loop filling ${name} does not count up from 0 by 1`);
  const tops = loop.body.filter((st) => st.kind === 'store' && st.array === name);
  let stores = 0;
  visitStmts(loop.body, (st) => {
    if (st.kind === 'store' && st.array === name) stores++;
  });
  const top = tops[0];
  if (stores !== 1 || !top || top.kind !== 'store' || !sameExpr(top.index, { kind: 'var', name: loop.index }))
    reject(
      'allocates',
      `${name} is not written exactly once per iteration at the loop's index (conditional or repeated writes leave holes)`,
    );
  if (
    mentions(loop.body, name, 'load') ||
    someStmt(loop.body, (x) =>
      stmtExprs(x).some((e) => someExpr(e, (y) => y.kind === 'len' && y.array === name)),
    )
  )
    reject('allocates', `${name} is read inside the loop that fills it`);
  if (
    someStmt(
      loop.body,
      (x) => x.kind === 'break' || x.kind === 'continue' || x.kind === 'return' || x.kind === 'throw',
    )
  )
    reject('allocates', `the loop filling ${name} may exit early, leaving it short`);
  return loop.end;
}

/**
 * Decides each fresh array's length as an expression of `params` (the kernel's parameters, fresh
 * ones excluded), checking the coverage rules; `body` is the kernel body.
 */
export function finishFresh(ctx: LowerCtx, body: readonly Stmt[], params: readonly Param[]): void {
  const lets = constantLets(body);
  for (const s of freshOf(ctx).values()) {
    const what = `the length of ${s.name}`;
    if (!s.plain) {
      s.final = inParams(s.length!, lets, params, what);
      continue;
    }
    const trip = inParams(
      coveredLength(s, body),
      lets,
      params,
      `the trip count of the loop filling ${s.name}`,
    );
    if (s.init === 'empty' && trip.kind === 'len') {
      s.final = trip;
      continue;
    }
    if (s.init === 'empty') {
      // A loop `i < end` from 0 runs ceil(end) times when end > 0, never otherwise (NaN included).
      s.final = {
        kind: 'select',
        cond: { kind: 'bin', op: '>', left: trip, right: c(0) },
        then: { kind: 'call', fn: 'ceil', args: [trip] },
        else: c(0),
      };
      continue;
    }
    const own = inParams(s.length!, lets, params, what);
    if (!sameExpr(own, trip))
      reject('allocates', `${s.name} is allocated with a length the loop filling it may not reach (holes)`);
    s.final = own;
  }
}

/** The `fresh` field of array parameter `name`, once `finishFresh` ran; undefined for other arrays. */
export function freshField(ctx: LowerCtx, name: string): { length: Expr; plain: boolean } | undefined {
  const s = states.get(ctx)?.get(name);
  return s?.final ? { length: s.final, plain: s.plain } : undefined;
}

/** True when the fresh array `name` is a typed array (`new Float64Array(n)`), not a plain one. */
export function freshIsTyped(ctx: LowerCtx, name: string): boolean {
  return states.get(ctx)?.get(name)?.plain === false;
}

/** The fresh arrays' names, in order of declaration. */
export function freshNames(ctx: LowerCtx): string[] {
  return [...(states.get(ctx)?.keys() ?? [])];
}

/** Notes for the verdict: each fresh array and what the wrapper does at the boundary. */
export function freshNotes(ctx: LowerCtx): void {
  for (const s of states.get(ctx)?.values() ?? []) {
    note(
      ctx,
      s.plain
        ? `${s.name}: a new array the wrapper allocates as a Float64Array and copies into a number[] on return (one pass over the result, the boundary cost)`
        : `${s.name}: a new ${Object.entries(TYPED).find(([, d]) => d === s.dtype)![0]} the wrapper allocates and returns as is`,
    );
  }
}

/**
 * `return xs.map(cb)` (or a loop alone that is that call): a fresh output array named after the
 * receiver; returns the statements and the array's IR name, or undefined when `e` is not a map call.
 */
export function lowerFreshMap(ctx: LowerCtx, e: ts.Expression): { stmts: Stmt[]; name: string } | undefined {
  const x = skipOuter(e);
  if (!ts.isCallExpression(x)) return undefined;
  const f = freshInitOf(ctx, x);
  if (f?.kind !== 'map') return undefined;
  const before = new Set(freshOf(ctx).keys());
  const stmts = declareFresh(ctx, undefined, f);
  const name = [...freshOf(ctx).keys()].find((k) => !before.has(k))!;
  return { stmts, name };
}
