// Assembling kernels: a whole kernel-shaped function, or one loop alone (free variables become
// parameters, an accumulator initialised outside becomes a scalar parameter and the result).
import type { Expr, Kernel, KernelResult, Param, Pattern, Stmt } from '../ir/types.js';
import { asArrayCall, lowerIteration } from './arrayMethods.js';
import {
  finishFresh,
  freshField,
  freshIsTyped,
  freshNames,
  freshNotes,
  hasFresh,
  lowerFreshMap,
} from './freshArrays.js';
import { assignedNames, someExpr, someStmt, stmtExprs, visitExpr, visitStmts } from './irUtil.js';
import type { LowerCtx } from './lowerCtx.js';
import { createCtx, Reject, reject, uniqueName, withPre } from './lowerCtx.js';
import { lowerExpr, skipOuter } from './lowerExpr.js';
import { lowerLoopStmt } from './lowerLoop.js';
import { lowerStmts } from './lowerStmt.js';
import { deadAfter } from './mustWrite.js';
import { classify } from './patterns.js';
import { prescan } from './prescan.js';
import { bindParam, identifierKind, scalarParamOf } from './resolve.js';
import { ts } from './ts.js';
import { irArrayType, isAnyOrUnknown, isInt32Element, isNumberType } from './typeInfo.js';

export interface Lowered {
  readonly pattern: Pattern;
  readonly orderSensitive: boolean;
  /** Every translatable loop has a kernel (analyze and scaffold must never disagree). */
  readonly kernel: Kernel;
  /** What the kernel assumed that the code does not state (the verdict's notes). */
  readonly notes?: readonly string[];
}

const i32Ops = new Set(['|', '&', '^', '<<', '>>']);

/** Marks `let`s i32 when every value they ever hold is an int32 (bitwise ops, int32 array loads). */
function inferI32(ctx: LowerCtx, body: readonly Stmt[]): void {
  const values = new Map<string, Expr[]>();
  const lets: Stmt[] = [];
  visitStmts(body, (s) => {
    if (s.kind === 'let') {
      lets.push(s);
      values.set(s.name, [s.init]);
    }
  });
  visitStmts(body, (s) => {
    if (s.kind === 'assign') values.get(s.name)?.push(s.value);
  });
  const i32 = new Set(values.keys());
  const isI32 = (e: Expr): boolean => {
    switch (e.kind) {
      case 'const':
        return typeof e.value === 'number' && (e.value | 0) === e.value && !Object.is(e.value, -0);
      case 'var':
        return i32.has(e.name);
      case 'bin':
        return i32Ops.has(e.op);
      case 'un':
        return e.op === '~';
      case 'call':
        return e.fn === 'imul';
      case 'load': {
        const a = ctx.arrays.get(e.array);
        return a !== undefined && isInt32Element(a.el);
      }
      case 'select':
        return isI32(e.then) && isI32(e.else);
      default:
        return false;
    }
  };
  for (let changed = true; changed;) {
    changed = false;
    for (const name of [...i32])
      if (!values.get(name)!.every(isI32)) {
        i32.delete(name);
        changed = true;
      }
  }
  // Only lets whose values are int32 by construction (not merely integer constants).
  for (const s of lets) {
    if (s.kind !== 'let' || !i32.has(s.name)) continue;
    const vals = values.get(s.name)!;
    const real = vals.some((e) => someExpr(e, (x) => x.kind !== 'const'));
    if (real) (s as { dtype: 'f64' | 'i32' }).dtype = 'i32';
  }
}

function arrayParam(ctx: LowerCtx, name: string): Param {
  const a = ctx.arrays.get(name)!;
  const { dtype, container, rank } = irArrayType(a.el);
  const fresh = freshField(ctx, name);
  return {
    kind: 'array',
    name,
    dtype,
    container,
    access: a.read && a.written ? 'readwrite' : a.written || fresh ? 'write' : 'read',
    ...(rank ? { rank } : {}),
    ...(a.inferred ? { typeSource: 'inferred' as const } : {}),
    ...(fresh ? { fresh } : {}),
  };
}

/** The fresh output arrays of a whole-function kernel, after its own parameters (see freshArrays.ts). */
function freshParamsOf(ctx: LowerCtx, body: readonly Stmt[], params: readonly Param[]): Param[] {
  if (!hasFresh(ctx)) return [];
  finishFresh(ctx, body, params);
  freshNotes(ctx);
  return freshNames(ctx).map((n) => arrayParam(ctx, n));
}

function finish(ctx: LowerCtx, name: string, params: Param[], body: Stmt[], result: KernelResult): Lowered {
  inferI32(ctx, body);
  const { pattern, orderSensitive } = classify(body, ctx.deps);
  const kernel: Kernel = {
    irVersion: 1,
    name,
    params,
    consts: ctx.consts,
    body,
    result,
    pattern,
    orderSensitive,
    inlined: ctx.inlined,
  };
  return { pattern, orderSensitive, kernel, ...(ctx.notes.length ? { notes: ctx.notes } : {}) };
}

/** Lowers a whole function as a kernel (params numbers/arrays; lets, loops, ifs, stores, a final return). */
export function lowerFunctionKernel(
  checker: ts.TypeChecker,
  fn: ts.FunctionLikeDeclaration,
  name: string,
): Lowered {
  if (!fn.body) reject('unsupported-syntax', 'function without a body');
  if (fn.asteriskToken || fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword))
    reject('await', 'async or generator function');
  const ctx = createCtx(checker, 'function', fn);
  const params: Param[] = [];
  for (const p of fn.parameters) {
    if (!ts.isIdentifier(p.name) || p.dotDotDotToken || p.initializer || p.questionToken)
      reject('unsupported-syntax', 'parameter shape');
    const sym = checker.getSymbolAtLocation(p.name);
    if (!sym) reject('unknown-types', `cannot resolve ${p.name.text}`);
    const kind = identifierKind(ctx, p.name, sym);
    const b = bindParam(ctx, sym, p.name.text, kind);
    params.push(
      b.kind === 'scalar'
        ? scalarParamOf(b.name, kind)
        : { kind: 'array', name: b.name, dtype: 'f64', container: 'array', access: 'read' },
    );
  }
  const statements = ts.isBlock(fn.body)
    ? [...fn.body.statements]
    : [ts.factory.createReturnStatement(fn.body)];
  const last = statements.at(-1);
  let result: KernelResult = { kind: 'void' };
  let body: Stmt[];
  if (last && ts.isReturnStatement(last) && last.expression) {
    body = lowerStmts(ctx, statements.slice(0, -1));
    const ret = skipOuter(last.expression);
    const asArray = ts.isIdentifier(ret) ? ctx.bindings.get(checker.getSymbolAtLocation(ret)!) : undefined;
    const mapped = lowerFreshMap(ctx, ret);
    if (mapped) {
      body.push(...mapped.stmts);
      result = { kind: 'array', name: mapped.name };
    } else if (
      asArray?.kind === 'array' &&
      (params.some((p) => p.name === asArray.name) || freshNames(ctx).includes(asArray.name))
    ) {
      result = { kind: 'array', name: asArray.name };
    } else {
      const retType = ts.isBlock(fn.body)
        ? checker.getTypeAtLocation(last.expression)
        : checker.getTypeAtLocation(fn.body);
      if (!isNumberType(retType) && !isAnyOrUnknown(retType))
        reject('unsupported-syntax', 'returns something other than a number or an array parameter');
      const r = withPre(ctx, () =>
        lowerExpr(ctx, ts.isBlock(fn.body!) ? last.expression! : (fn.body as ts.Expression)),
      );
      body.push(...r.pre);
      result = { kind: 'scalar', expr: r.value };
    }
  } else if (last && alwaysReturns(last)) {
    // `if (…) { …; return 1; } else { …; return -1; }` at the end: every path returns a number, so the
    // result expression after the body is never reached.
    body = lowerStmts(ctx, statements);
    result = { kind: 'scalar', expr: { kind: 'const', value: 'NaN' } };
  } else {
    body = lowerStmts(ctx, statements);
  }
  if (!someStmt(body, (s) => s.kind === 'for')) reject('unsupported-syntax', 'no loop');
  // `return x` inside needs a number result; a bare `return` one without (JS would give undefined).
  const returns = { value: false, bare: false };
  visitStmts(body, (s) => {
    if (s.kind === 'return') returns[s.value ? 'value' : 'bare'] = true;
  });
  if (returns.value && result.kind !== 'scalar')
    reject('early-exit', 'returns a number early but not at its end');
  if (returns.bare && result.kind === 'scalar')
    reject('early-exit', 'returns nothing early but a number at its end');
  const copies = localParamCopies(ctx, params, body, result);
  const fresh = freshParamsOf(ctx, body, params);
  return finish(
    ctx,
    name,
    [...params.map((p) => (p.kind === 'array' ? arrayParam(ctx, p.name) : p)), ...fresh],
    [...copies, ...body],
    result,
  );
}

/** True when every path through `s` ends in `return <value>` (a block's last statement, both branches of an if). */
function alwaysReturns(s: ts.Statement): boolean {
  if (ts.isReturnStatement(s)) return s.expression !== undefined;
  if (ts.isBlock(s)) {
    const last = s.statements.at(-1);
    return last !== undefined && alwaysReturns(last);
  }
  if (ts.isIfStatement(s))
    return s.elseStatement !== undefined && alwaysReturns(s.thenStatement) && alwaysReturns(s.elseStatement);
  return false;
}

/**
 * The IR never assigns a parameter: a scalar parameter the function assigns (`fraction *= 2`) is read
 * through a local copy (`let fraction_v = fraction`), renamed in place so the dependence facts keep their keys.
 */
function localParamCopies(
  ctx: LowerCtx,
  params: readonly Param[],
  body: Stmt[],
  result: KernelResult,
): Stmt[] {
  const assigned = assignedNames(body);
  const renames = new Map<string, string>();
  for (const p of params)
    if (p.kind === 'scalar' && assigned.has(p.name)) renames.set(p.name, uniqueName(ctx, `${p.name}_v`));
  if (renames.size === 0) return [];
  const fix = (e: Expr): void => {
    visitExpr(e, (x) => {
      if (x.kind === 'var' && renames.has(x.name)) (x as { name: string }).name = renames.get(x.name)!;
    });
  };
  visitStmts(body, (st) => {
    for (const e of stmtExprs(st)) fix(e);
    if (st.kind === 'assign' && renames.has(st.name)) (st as { name: string }).name = renames.get(st.name)!;
  });
  if (result.kind === 'scalar') fix(result.expr);
  return [...renames].map(([from, to]): Stmt => ({
    kind: 'let',
    name: to,
    dtype: 'f64',
    init: { kind: 'var', name: from },
  }));
}

/** Lowers one loop (statement or array call) alone as a kernel. */
export function lowerLoopKernel(
  checker: ts.TypeChecker,
  node: ts.IterationStatement | ts.CallExpression,
  name: string,
): Lowered {
  try {
    return lowerLoopKernelOnce(checker, node, name, false);
  } catch (err) {
    // A typed array allocated before the loop and live-out scalars: the array as an ordinary parameter.
    if (err instanceof FreshWithLiveOuts) return lowerLoopKernelOnce(checker, node, name, true);
    throw err;
  }
}

/** A loop that fills new typed arrays and updates outer scalars (retried with the arrays as parameters). */
class FreshWithLiveOuts extends Reject {}

function lowerLoopKernelOnce(
  checker: ts.TypeChecker,
  node: ts.IterationStatement | ts.CallExpression,
  name: string,
  noFresh: boolean,
): Lowered {
  const ctx = createCtx(checker, 'loop', node);
  if (noFresh) ctx.noFresh = true;
  const found = prescan(ctx, node);
  let lowered: Lowered;
  try {
    lowered = lowerLoopAlone(ctx, node, name);
  } catch (err) {
    // What the syntax shows (a break, a call…) explains the loop better than where the lowering stopped.
    if (err instanceof Reject) throw found ?? err;
    throw err;
  }
  if (found) throw found;
  return lowered;
}

function lowerLoopAlone(
  ctx: LowerCtx,
  node: ts.IterationStatement | ts.CallExpression,
  name: string,
): Lowered {
  let body: Stmt[];
  let result: KernelResult = { kind: 'void' };
  if (ts.isCallExpression(node)) {
    const mapped = lowerFreshMap(ctx, node);
    if (mapped) return liveOutKernel(ctx, name, mapped.stmts, { kind: 'array', name: mapped.name });
    const ac = asArrayCall(ctx, node);
    if (!ac) reject('unsupported-syntax', 'not an array loop');
    const it = lowerIteration(ctx, ac);
    body = [...it.before, it.loop];
    if (it.acc) {
      result = { kind: 'scalar', expr: { kind: 'var', name: it.acc } };
    }
  } else {
    body = lowerLoopStmt(ctx, node);
  }
  return liveOutKernel(ctx, name, body, result);
}

/**
 * A loop alone updates outer scalars (its live-outs: an accumulator initialised above, a counter):
 * each comes in as a parameter `<name>_in` copied into a local before the loop (the IR never assigns
 * a parameter), and goes out as the result — one live-out as the scalar result, several through a
 * small `liveOuts` array the kernel writes and returns (`liveOuts[k]` is the k-th name, in order of use).
 */
function liveOutKernel(ctx: LowerCtx, name: string, body: Stmt[], result: KernelResult): Lowered {
  const assigned = assignedNames(body);
  // Every outer scalar the loop writes is copied into a local; only those read after the loop go out.
  const written = [...ctx.freeScalars].filter((n) => assigned.has(n));
  const liveOut = written.filter((n) => !deadAfterLoop(ctx, n));
  const renamed = new Map<string, string>();
  for (const n of written) renamed.set(n, uniqueName(ctx, `${n}_in`));
  const params: Param[] = ctx.freeParams.map((p) => {
    if (p.kind === 'array') return arrayParam(ctx, p.name);
    const inName = renamed.get(p.name);
    return inName ? { ...p, name: inName } : p;
  });
  const copies: Stmt[] = written.map((n) => ({
    kind: 'let',
    name: n,
    dtype: 'f64',
    init: { kind: 'var', name: renamed.get(n)! },
  }));
  const core = [...copies, ...body];
  if (hasFresh(ctx)) return freshLoopKernel(ctx, name, params, core, result, liveOut);
  // A flag the loop sets (`broken = true; break;`) goes out as a boolean: the wrapper returns its truthiness.
  const flags = params.filter(
    (p) => p.kind === 'scalar' && p.truthy && liveOut.some((n) => renamed.get(n) === p.name),
  );
  if (liveOut.length === 1) {
    const expr: Expr = { kind: 'var', name: liveOut[0]! };
    return finish(
      ctx,
      name,
      params,
      core,
      flags.length ? { kind: 'scalar', expr, truthy: true } : { kind: 'scalar', expr },
    );
  }
  if (liveOut.length === 0) return finish(ctx, name, params, core, result);
  if (flags.length)
    reject(
      'unsupported-syntax',
      `updates a boolean flag (${flags.map((p) => p.name.replace(/_in$/, '')).join(', ')}) and other outer variables (${liveOut.join(', ')}); a kernel gives back one boolean alone`,
    );
  if (result.kind !== 'void')
    reject(
      'unsupported-syntax',
      `updates outer variables (${liveOut.join(', ')}) inside an array method call`,
    );
  const outs = uniqueName(ctx, 'liveOuts');
  params.push({ kind: 'array', name: outs, dtype: 'f64', container: 'typed', access: 'write' });
  const writes: Stmt[] = liveOut.map((n, k) => ({
    kind: 'store',
    array: outs,
    index: { kind: 'const', value: k },
    value: { kind: 'var', name: n },
  }));
  const lowered = finish(ctx, name, params, core, { kind: 'array', name: outs });
  return { ...lowered, kernel: { ...lowered.kernel, body: [...core, ...writes] } };
}

/**
 * True when the outer variable behind the free scalar `n` is dead after the loop (every path writes
 * it before reading it: RFFT.forward's temporaries, calculateSpectrum's `rval`): not a result of the
 * kernel. Properties (`this.peak`) and loops that are no statement of a function always go out.
 */
function deadAfterLoop(ctx: LowerCtx, n: string): boolean {
  const source = ctx.freeScalarVars.get(n);
  const loop = ctx.region;
  if (source === undefined || !ts.isIterationStatement(loop, false)) return false;
  let fn: ts.Node = loop.parent;
  while (!ts.isFunctionLike(fn) && !ts.isSourceFile(fn)) fn = fn.parent;
  if (ts.isSourceFile(fn)) return false;
  return deadAfter(fn, ts.isLabeledStatement(loop.parent) ? loop.parent : loop, source);
}

/** A loop alone that fills a fresh output array: the kernel returns that array (and nothing else). */
function freshLoopKernel(
  ctx: LowerCtx,
  name: string,
  params: Param[],
  core: Stmt[],
  result: KernelResult,
  liveOut: readonly string[],
): Lowered {
  const names = freshNames(ctx);
  if (liveOut.length) {
    const why = `fills a new array and also updates outer variables (${liveOut.join(', ')})`;
    // Typed arrays have the length they were made with: passed in, the kernel fills them in place.
    if (names.every((n) => freshIsTyped(ctx, n))) throw new FreshWithLiveOuts('allocates', why);
    reject('allocates', why);
  }
  if (names.length > 1)
    reject('allocates', `fills several new arrays (${names.join(', ')}); a loop alone returns one`);
  if (result.kind === 'scalar') reject('allocates', 'fills a new array and also computes a value');
  const inputs = params.filter((p) => !names.includes(p.name));
  finishFresh(ctx, core, inputs);
  freshNotes(ctx);
  // The original's arguments first, the fresh arrays last (as in a whole-function kernel).
  const all = [...inputs, ...names.map((n) => arrayParam(ctx, n))];
  return finish(ctx, name, all, core, { kind: 'array', name: names[0]! });
}
