// `for (let i = a; i < n; i += dim)`: a loop whose step is a loop-invariant value known only at run
// time (`i -= dim` for a descending one, `i > n`). It lowers to an IR `for` with `stepExpr`; compiled
// targets run it only when the step is a non-zero integer of the loop's direction (their wrappers fall
// back to the original JS otherwise). Other counters of the loop with a constant step (`j++`) are
// derived from the iteration count, `j0 + round((i - i0) / dim) * step` (exact: the division is of
// whole multiples of the step, rounded back where a fractional step left an ulp).
import type { Expr, Stmt } from '../ir/types.js';
import { assignedNames, c, v } from './irUtil.js';
import { liveAfter } from './liveness.js';
import { lowerExpr, skipOuter } from './lowerExpr.js';
import type { Binding, LowerCtx } from './lowerCtx.js';
import { reject, short, uniqueName, withPre } from './lowerCtx.js';
import type { Induction } from './lowerFor.js';
import { commaParts } from './lowerFor.js';
import { bodyOf, conditionOf, isIntExpr, lowerBody, makeFor, stepOf } from './lowerLoop.js';
import { lowerDeclaration } from './lowerStmt.js';
import { ts } from './ts.js';

/** `x += e` / `x -= e` / `x = x + e` / `x = x - e` on `sym`: the sign and `e`, or undefined. */
function runtimeStep(
  ctx: LowerCtx,
  inc: ts.Expression,
  sym: ts.Symbol,
): { sign: 1 | -1; by: ts.Expression } | undefined {
  const e = skipOuter(inc);
  if (!ts.isBinaryExpression(e)) return undefined;
  const isX = (x: ts.Expression): boolean =>
    ts.isIdentifier(skipOuter(x)) && ctx.checker.getSymbolAtLocation(skipOuter(x)) === sym;
  if (!isX(e.left)) return undefined;
  const k = e.operatorToken.kind;
  if (k === ts.SyntaxKind.PlusEqualsToken) return { sign: 1, by: e.right };
  if (k === ts.SyntaxKind.MinusEqualsToken) return { sign: -1, by: e.right };
  const r = skipOuter(e.right);
  if (k !== ts.SyntaxKind.EqualsToken || !ts.isBinaryExpression(r) || !isX(r.left)) return undefined;
  if (r.operatorToken.kind === ts.SyntaxKind.PlusToken) return { sign: 1, by: r.right };
  if (r.operatorToken.kind === ts.SyntaxKind.MinusToken) return { sign: -1, by: r.right };
  return undefined;
}

const bin = (op: '+' | '-' | '*' | '/', left: Expr, right: Expr): Expr => ({ kind: 'bin', op, left, right });

/**
 * True when every part of the loop's incrementor assigns a variable a value of other variables and
 * constants only (`k = k2`, `size *= 2`): a step the while form may prove ends (a doubling counter),
 * where `n = n.next` or `i = next(i)` keeps its own reason.
 */
export function isScalarStep(s: ts.ForStatement): boolean {
  const plain = (n: ts.Node): boolean =>
    !ts.isPropertyAccessExpression(n) &&
    !ts.isElementAccessExpression(n) &&
    !ts.isCallExpression(n) &&
    ts.forEachChild(n, (c) => (plain(c) ? undefined : true)) === undefined;
  return commaParts(s.incrementor!).every((inc) => {
    const e = skipOuter(inc);
    return (
      ts.isBinaryExpression(e) &&
      e.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
      e.operatorToken.kind <= ts.SyntaxKind.LastAssignment &&
      ts.isIdentifier(skipOuter(e.left)) &&
      plain(e.right)
    );
  });
}

/** True when every part of the loop's incrementor steps one of its variables by a constant or a run-time value. */
export function isRuntimeStepFor(ctx: LowerCtx, s: ts.ForStatement, vars: readonly Induction[]): boolean {
  return commaParts(s.incrementor!).every((inc) =>
    vars.some((y) => stepOf(ctx, inc, y.sym) !== undefined || runtimeStep(ctx, inc, y.sym) !== undefined),
  );
}

/** Lowers `s` (see the file comment), or rejects with the reason it cannot be. */
export function lowerRuntimeStep(
  ctx: LowerCtx,
  s: ts.ForStatement,
  vars: readonly Induction[],
  others: readonly ts.VariableDeclaration[],
): Stmt[] {
  const steps = new Map<Induction, number>();
  let primary: { x: Induction; sign: 1 | -1; by: ts.Expression } | undefined;
  for (const inc of commaParts(s.incrementor!)) {
    const x = vars.find((y) => !steps.has(y) && primary?.x !== y && stepOf(ctx, inc, y.sym) !== undefined);
    if (x) {
      steps.set(x, stepOf(ctx, inc, x.sym)!);
      continue;
    }
    const r = primary ? undefined : vars.map((y) => ({ x: y, ...runtimeStep(ctx, inc, y.sym) }));
    const found = r?.find((y) => y.by !== undefined);
    if (!found?.by || !found.sign)
      reject('unsupported-syntax', `for loop without a constant step (${short(inc)})`);
    primary = { x: found.x, sign: found.sign, by: found.by };
  }
  if (!primary) return reject('unsupported-syntax', 'for loop without a step');
  const p = primary;
  const cond = conditionOf(ctx, s.condition, p.x.sym);
  const what = `loop condition ${s.condition ? short(s.condition) : '(none)'} with the run-time step ${short(p.by)}`;
  // `<=` would need `< end + 1`, wrong for the fractional steps the reference still runs.
  if (!cond || cond.cmp !== (p.sign > 0 ? '<' : '>')) reject('unsupported-syntax', what);
  for (const x of vars) {
    if (x !== p.x && !steps.has(x))
      reject('unsupported-syntax', `the loop variable ${x.id.text} has no step`);
    if (liveAfter(s, x.sym, ctx.checker))
      reject('unsupported-syntax', `${x.id.text} is read after a loop with a run-time step`);
  }
  const pre: Stmt[] = others.flatMap((d) => lowerDeclaration(ctx, d));
  const saved = new Map<ts.Symbol, Binding | undefined>(vars.map((x) => [x.sym, ctx.bindings.get(x.sym)]));
  try {
    const initial = new Map<Induction, Expr>();
    for (const x of vars) {
      const r = withPre(ctx, () => lowerExpr(ctx, x.init!));
      pre.push(...r.pre);
      const name = uniqueName(ctx, `${x.id.text}_0`);
      pre.push({ kind: 'let', name, dtype: 'f64', init: r.value });
      if (isIntExpr(ctx, r.value)) ctx.intVars.add(name);
      initial.set(x, v(name));
    }
    const by = withPre(ctx, () => lowerExpr(ctx, p.by));
    const end = withPre(ctx, cond.bound);
    if (by.pre.length > 0 || end.pre.length > 0)
      reject('unsupported-syntax', 'the loop bound or step calls a helper with statements');
    const stepExpr: Expr = p.sign > 0 ? by.value : { kind: 'un', op: '-', arg: by.value };
    const index = uniqueName(ctx, p.x.id.text);
    ctx.bindings.set(p.x.sym, { kind: 'scalar', name: index, dtype: 'f64' });
    const i0 = initial.get(p.x)!;
    const iter: Expr = {
      kind: 'call',
      fn: 'round',
      args: [bin('/', bin('-', v(index), i0), stepExpr)],
    };
    const derived: Stmt[] = [];
    for (const x of vars) {
      if (x === p.x) continue;
      const st = steps.get(x)!;
      const name = uniqueName(ctx, x.id.text);
      derived.push({
        kind: 'let',
        name,
        dtype: 'f64',
        init: bin('+', initial.get(x)!, st === 1 ? iter : bin('*', iter, c(st))),
      });
      ctx.bindings.set(x.sym, { kind: 'scalar', name, dtype: 'f64' });
    }
    const body = lowerBody(ctx, bodyOf(s.statement), 'loop');
    const assigned = assignedNames(body);
    for (const n of [index, ...derived.map((d) => (d.kind === 'let' ? d.name : ''))])
      if (assigned.has(n)) reject('unsupported-syntax', `the loop variable ${n} is modified inside the loop`);
    return [...pre, makeFor(ctx, index, i0, end.value, p.sign, [...derived, ...body], stepExpr)];
  } finally {
    for (const [sym, b] of saved) {
      if (b) ctx.bindings.set(sym, b);
      else ctx.bindings.delete(sym);
    }
  }
}
