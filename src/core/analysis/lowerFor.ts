// Lowering `for (init; cond; step)` to IR `for` loops: an index declared in the loop or outside it
// (`let i; … for (i = 0; …)`), ascending or descending constant steps, several induction variables
// (`for (i = 0, j = n - 1; i < n; i++, j--)`: j is derived from the iteration count), and counters whose
// value is read after the loop (their final value is computed and assigned after it).
import type { Expr, Stmt } from '../ir/types.js';
import { assignedNames, c, exprVars, someStmt, v } from './irUtil.js';
import { liveAfter } from './liveness.js';
import { lowerExpr, skipOuter } from './lowerExpr.js';
import type { Binding, LowerCtx } from './lowerCtx.js';
import { declareScalar, reject, short, symbolOf, uniqueName, withPre } from './lowerCtx.js';
import type { Cmp } from './lowerLoop.js';
import {
  add,
  bodyOf,
  conditionOf,
  hasOwnContinue,
  isIntExpr,
  lowerBody,
  lowerForAsWhile,
  makeFor,
  stepOf,
} from './lowerLoop.js';
import { lowerDeclaration, lowerExprStatement } from './lowerStmt.js';
import { isRuntimeStepFor, isScalarStep, lowerRuntimeStep } from './lowerStepFor.js';
import { resolveIdentifier } from './resolve.js';
import { ts } from './ts.js';

export interface Induction {
  readonly id: ts.Identifier;
  readonly sym: ts.Symbol;
  readonly init: ts.Expression | undefined;
  /** Declared by this loop's own `let`/`var` list (else a variable of the enclosing code). */
  readonly declared: boolean;
  step?: number;
}

const bin = (op: '+' | '-' | '*' | '/' | '<' | '>', left: Expr, right: Expr): Expr => ({
  kind: 'bin',
  op,
  left,
  right,
});
const call = (fn: 'floor' | 'ceil', arg: Expr): Expr => ({ kind: 'call', fn, args: [arg] });

/** Comma lists (`a, b, c`) as their parts. */
export function commaParts(e: ts.Expression): ts.Expression[] {
  const x = skipOuter(e);
  return ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.CommaToken
    ? [...commaParts(x.left), ...commaParts(x.right)]
    : [x];
}

/** The loop's initialised variables, in order, and the other declarations of its list. */
function inductionsOf(
  ctx: LowerCtx,
  s: ts.ForStatement,
): { vars: Induction[]; others: ts.VariableDeclaration[] } {
  const init = s.initializer;
  if (!init) reject('unsupported-syntax', 'for loop without an initialiser');
  if (ts.isVariableDeclarationList(init)) {
    const vars: Induction[] = [];
    const others: ts.VariableDeclaration[] = [];
    for (const d of init.declarations) {
      if (ts.isIdentifier(d.name) && d.initializer)
        vars.push({ id: d.name, sym: symbolOf(ctx, d.name), init: d.initializer, declared: true });
      else others.push(d);
    }
    return { vars, others };
  }
  const vars = commaParts(init).map((e): Induction => {
    if (
      !ts.isBinaryExpression(e) ||
      e.operatorToken.kind !== ts.SyntaxKind.EqualsToken ||
      !ts.isIdentifier(skipOuter(e.left))
    ) {
      reject('unsupported-syntax', `for loop initialiser ${short(e)}`);
    }
    const id = skipOuter(e.left) as ts.Identifier;
    return { id, sym: symbolOf(ctx, id), init: e.right, declared: false };
  });
  return { vars, others: [] };
}

/**
 * `for (j = 0; j < 16; j++, offset++)`: a counter of the enclosing code stepped by a constant in the
 * incrementor (not initialised by the loop) is one more induction variable, starting from its value.
 */
function outerCounter(ctx: LowerCtx, inc: ts.Expression, vars: Induction[]): Induction | undefined {
  const e = skipOuter(inc);
  const target =
    ts.isPrefixUnaryExpression(e) || ts.isPostfixUnaryExpression(e)
      ? e.operand
      : ts.isBinaryExpression(e)
        ? e.left
        : undefined;
  const id = target && skipOuter(target);
  if (!id || !ts.isIdentifier(id)) return undefined;
  const sym = ctx.checker.getSymbolAtLocation(id);
  if (!sym || vars.some((x) => x.sym === sym) || stepOf(ctx, inc, sym) === undefined) return undefined;
  const x: Induction = { id, sym, init: id, declared: false };
  vars.push(x);
  return x;
}

/** The statements of a `for` initialiser (`let i = n`, `i = n, j = 0`). */
function lowerInit(ctx: LowerCtx, init: ts.ForInitializer): Stmt[] {
  if (ts.isVariableDeclarationList(init)) return init.declarations.flatMap((d) => lowerDeclaration(ctx, d));
  return commaParts(init).flatMap((e) => lowerExprStatement(ctx, e));
}

/** Iterations of the loop (not negative), for final values: `ceil((end - start) / step)` clamped at 0. */
function iterations(start: Expr, end: Expr, step: number): Expr {
  const span = bin('-', end, start);
  const count = call('ceil', step === 1 ? span : bin('/', span, c(step)));
  return { kind: 'select', cond: bin('<', start, end), then: count, else: c(0) };
}

/**
 * The loop condition on `x`: `x < b`-like comparisons, or `x !== b` with a unit step (numeric.js's
 * `for (i = n - 1; i !== -1; --i)`), read as `<`/`>` — the same loop whenever the JS one ends, which
 * needs integer start and bound (`exact`: checked once they are lowered).
 */
function condOf(
  ctx: LowerCtx,
  cond: ts.Expression | undefined,
  x: Induction,
): { cmp: Cmp; bound: () => Expr; exact?: true } | undefined {
  const plain = conditionOf(ctx, cond, x.sym);
  if (plain || !cond || (x.step !== 1 && x.step !== -1)) return plain;
  const e = skipOuter(cond);
  if (
    !ts.isBinaryExpression(e) ||
    (e.operatorToken.kind !== ts.SyntaxKind.ExclamationEqualsEqualsToken &&
      e.operatorToken.kind !== ts.SyntaxKind.ExclamationEqualsToken)
  )
    return undefined;
  const isX = (y: ts.Expression): boolean =>
    ts.isIdentifier(skipOuter(y)) && ctx.checker.getSymbolAtLocation(skipOuter(y)) === x.sym;
  const other = isX(e.left) ? e.right : isX(e.right) ? e.left : undefined;
  if (!other) return undefined;
  return { cmp: x.step === 1 ? '<' : '>', bound: () => lowerExpr(ctx, other), exact: true };
}

/** True when `sym` is assigned, incremented or decremented in `body` (not in a nested function). */
function writesIn(ctx: LowerCtx, body: ts.Node, sym: ts.Symbol): boolean {
  const isSym = (x: ts.Expression): boolean => {
    const y = skipOuter(x);
    return ts.isIdentifier(y) && ctx.checker.getSymbolAtLocation(y) === sym;
  };
  let hit = false;
  const visit = (n: ts.Node): void => {
    if (hit || ts.isFunctionLike(n)) return;
    if (
      (ts.isBinaryExpression(n) &&
        n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
        n.operatorToken.kind <= ts.SyntaxKind.LastAssignment &&
        isSym(n.left)) ||
      ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) &&
        (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken) &&
        isSym(n.operand))
    )
      hit = true;
    else ts.forEachChild(n, visit);
  };
  visit(body);
  return hit;
}

/** Lowers a `for` statement (see the file comment). */
export function lowerFor(ctx: LowerCtx, s: ts.ForStatement): Stmt[] {
  // No initialiser, or no step: a while loop (with the initialiser's statements before it).
  if (!s.initializer) return lowerForAsWhile(ctx, s, []);
  if (!s.incrementor) return lowerForAsWhile(ctx, s, lowerInit(ctx, s.initializer));
  const { vars, others } = inductionsOf(ctx, s);
  // A break leaves a counter read after the loop at the value it had: the while form keeps it.
  if (
    hasOwnContinue(s.statement, ts.isBreakStatement) &&
    !hasOwnContinue(s.statement) &&
    vars.some((x) => liveAfter(s, x.sym, ctx.checker))
  )
    return lowerForAsWhile(ctx, s, lowerInit(ctx, s.initializer));
  // `for (i = n - 1; i > 0; --i) { …; --i; … }` (unrolled by hand): the counter is stepped in the body
  // too, so the trip count is not the header's; the while form runs it as JS does.
  const stepped = (x: Induction): boolean =>
    commaParts(s.incrementor!).some((inc) => stepOf(ctx, inc, x.sym) !== undefined);
  if (!hasOwnContinue(s.statement) && vars.some((x) => stepped(x) && writesIn(ctx, s.statement, x.sym)))
    return lowerForAsWhile(ctx, s, lowerInit(ctx, s.initializer));
  const incs = commaParts(s.incrementor);
  for (const inc of incs) {
    const iv =
      vars.find((x) => x.step === undefined && stepOf(ctx, inc, x.sym) !== undefined) ??
      outerCounter(ctx, inc, vars);
    // `i += dim`: a step known at run time (lowerStepFor.ts). Any other step (`k = k2`, `k *= 2`): the
    // while form, which runs the loop as JS does once it can tell the loop ends (a doubling counter).
    if (!iv && !isRuntimeStepFor(ctx, s, vars) && isScalarStep(s) && !hasOwnContinue(s.statement))
      return lowerForAsWhile(ctx, s, lowerInit(ctx, s.initializer));
    if (!iv) return lowerRuntimeStep(ctx, s, vars, others);
    iv.step = stepOf(ctx, inc, iv.sym);
  }
  const primary = vars.find(
    (x) => x.step !== undefined && x.step !== 0 && condOf(ctx, s.condition, x) !== undefined,
  );
  if (!primary)
    reject(
      'unsupported-syntax',
      vars.length === 0
        ? 'for loop without an index'
        : `loop condition ${s.condition ? short(s.condition) : '(none)'} with step ${incs.map(short).join(', ') || '(none)'}`,
    );
  const step = primary.step!;
  const cond = condOf(ctx, s.condition, primary)!;
  if (step > 0 !== (cond.cmp === '<' || cond.cmp === '<='))
    reject('unsupported-syntax', `loop condition ${short(s.condition!)} with step ${step}`);
  const pre: Stmt[] = others.flatMap((d) => lowerDeclaration(ctx, d));
  // Initialisers run in order before the first test. A value needed again (to derive another variable or
  // a final value) is captured in a local `x_0`; a lone index keeps its start expression.
  const saved = new Map<ts.Symbol, Binding | undefined>(vars.map((x) => [x.sym, ctx.bindings.get(x.sym)]));
  const live = new Set(vars.filter((x) => liveAfter(s, x.sym, ctx.checker)));
  const initial = new Map<Induction, Expr>();
  for (const x of vars) {
    const r = withPre(ctx, () => lowerExpr(ctx, x.init!));
    pre.push(...r.pre);
    // A variable of the list with no step (`minDist = Infinity`) is a plain local the body may update.
    if (x.step !== undefined && (r.value.kind === 'const' || (vars.length === 1 && live.size === 0))) {
      initial.set(x, r.value);
      continue;
    }
    const name = uniqueName(ctx, `${x.id.text}_0`);
    pre.push({ kind: 'let', name, dtype: 'f64', init: r.value });
    if (isIntExpr(ctx, r.value)) ctx.intVars.add(name);
    initial.set(x, v(name));
    ctx.bindings.set(x.sym, { kind: 'scalar', name, dtype: 'f64' });
  }
  const { pre: p2, value: bound } = withPre(ctx, cond.bound);
  if (p2.length > 0) reject('unsupported-syntax', 'the loop bound calls a helper with statements');
  const start = initial.get(primary)!;
  const intStep = Number.isInteger(step);
  const intStart = isIntExpr(ctx, start) && intStep;
  if (cond.exact && !(intStart && isIntExpr(ctx, bound)))
    reject(
      'unsupported-syntax',
      `loop condition ${short(s.condition!)} from a start or to a bound not proven integers`,
    );
  let loop: Stmt;
  let count: Expr;
  const derived: Stmt[] = [];
  const deriveOthers = (iter: Expr): void => {
    for (const x of vars) {
      if (x === primary || x.step === undefined) continue;
      const name = uniqueName(ctx, x.id.text);
      const base = initial.get(x)!;
      const value = add(base, x.step === 1 ? iter : bin('*', iter, c(x.step)));
      derived.push({ kind: 'let', name, dtype: 'f64', init: value });
      if (Number.isInteger(x.step) && isIntExpr(ctx, base)) ctx.intVars.add(name);
      ctx.bindings.set(x.sym, { kind: 'scalar', name, dtype: 'f64' });
    }
  };
  const checkBody = (body: readonly Stmt[], index: string): void => {
    const assigned = assignedNames(body);
    const names = [index, ...derived.map((d) => (d.kind === 'let' ? d.name : ''))];
    for (const n of names)
      if (assigned.has(n)) reject('unsupported-syntax', `the loop variable ${n} is modified inside the loop`);
    if (live.size > 0 && someStmt(body, (x) => x.kind === 'break'))
      reject('early-exit', `break in a loop whose counter is read after it`);
    const reused = step < 0 || derived.length > 0 || live.size > 0;
    if (reused)
      for (const name of exprVars(start))
        if (assigned.has(name))
          reject('unsupported-syntax', `the loop start changes inside the loop (${name})`);
  };
  try {
    if (step > 0) {
      let end = bound;
      if (cond.cmp === '<=') {
        // i <= b  ⟺  i < b + 1 for integer i and b; from a non-integer start, i < start + (m + ½)·step
        // where m = floor((b - start) / step) whole steps fit (half a step clear of rounding).
        const m = call(
          'floor',
          step === 1 ? bin('-', bound, start) : bin('/', bin('-', bound, start), c(step)),
        );
        end =
          isIntExpr(ctx, bound) && intStart
            ? add(bound, c(1))
            : intStart
              ? add(call('floor', bound), c(1))
              : add(start, bin('*', add(m, c(0.5)), c(step)));
      }
      const index = uniqueName(ctx, primary.id.text);
      if (intStart) ctx.intVars.add(index);
      ctx.bindings.set(primary.sym, { kind: 'scalar', name: index, dtype: 'f64' });
      const iter = step === 1 ? bin('-', v(index), start) : bin('/', bin('-', v(index), start), c(step));
      deriveOthers(iter);
      const body = lowerBody(ctx, bodyOf(s.statement), 'loop');
      checkBody(body, index);
      loop = makeFor(ctx, index, start, end, step, [...derived, ...body]);
      count = iterations(start, end, step);
    } else {
      // Descending: for (k = 0; k < count; k++) { let i = start - k * |step|; … }
      const mag = -step;
      const k = uniqueName(ctx, `${primary.id.text}_k`);
      ctx.intVars.add(k);
      const span = bin('-', start, bound);
      const scaled = mag === 1 ? span : bin('/', span, c(mag));
      const n = cond.cmp === '>=' ? add(call('floor', scaled), c(1)) : call('ceil', scaled);
      const index = uniqueName(ctx, primary.id.text);
      if (intStart) ctx.intVars.add(index);
      ctx.bindings.set(primary.sym, { kind: 'scalar', name: index, dtype: 'f64' });
      deriveOthers(v(k));
      const first: Stmt = {
        kind: 'let',
        name: index,
        dtype: 'f64',
        init: bin('-', start, mag === 1 ? v(k) : bin('*', v(k), c(mag))),
      };
      const body = lowerBody(ctx, bodyOf(s.statement), 'loop');
      checkBody(body, index);
      loop = makeFor(ctx, k, c(0), n, 1, [first, ...derived, ...body]);
      count = { kind: 'select', cond: bin('>', n, c(0)), then: n, else: c(0) };
    }
  } finally {
    for (const [sym, b] of saved) {
      if (b) ctx.bindings.set(sym, b);
      else ctx.bindings.delete(sym);
    }
  }
  return [...pre, loop, ...finalValues(ctx, vars, live, initial, count)];
}

/** After the loop, counters read later get their final value: `x_0 + count * step_x`. */
function finalValues(
  ctx: LowerCtx,
  vars: readonly Induction[],
  live: ReadonlySet<Induction>,
  initial: ReadonlyMap<Induction, Expr>,
  count: Expr,
): Stmt[] {
  const out: Stmt[] = [];
  for (const x of vars) {
    if (!live.has(x)) continue;
    const base = initial.get(x)!;
    const st = x.step;
    const value = st === undefined ? base : add(base, st === 1 ? count : bin('*', count, c(st)));
    if (x.declared) {
      out.push({ kind: 'let', name: declareScalar(ctx, x.id), dtype: 'f64', init: value });
      continue;
    }
    const b = resolveIdentifier(ctx, x.id);
    if (b.kind !== 'scalar') reject('unsupported-syntax', `the loop counter ${x.id.text} is not a number`);
    out.push({ kind: 'assign', name: b.name, value });
  }
  return out;
}
