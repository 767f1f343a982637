// Inlining small accessor methods (`m.get(i, j)` over `this.data[i][j]`, `m.set(i, j, v)`): the
// method's `this` is the receiver, whose array fields become kernel parameters like any field. Only
// a method with a body of its own, declared once, short and loop-free, and not overridden by a class
// of the same file; the verdict notes that the receiver is assumed to be that class.
import type { Expr, Stmt } from '../ir/types.js';
import { bindParams, lowerReturning } from './inline.js';
import { skipOuter } from './lowerExpr.js';
import type { LowerCtx } from './lowerCtx.js';
import { isInside, note, Reject, reject, withPre } from './lowerCtx.js';
import { lowerStmts } from './lowerStmt.js';
import { ts } from './ts.js';

interface Accessor {
  readonly fn: ts.MethodDeclaration & { body: ts.Block };
  readonly receiver: string;
  readonly label: string;
}

function hasLoop(n: ts.Node): boolean {
  let hit = false;
  const visit = (x: ts.Node): void => {
    if (hit) return;
    if (ts.isIterationStatement(x, false) || ts.isFunctionLike(x)) hit = true;
    else ts.forEachChild(x, visit);
  };
  ts.forEachChild(n, visit);
  return hit;
}

/** A class of `sf` that extends `cls` (by name) and declares a member `name`. */
function overriddenIn(sf: ts.SourceFile, cls: ts.ClassLikeDeclaration, name: string): string | undefined {
  const base = cls.name?.text;
  if (!base) return undefined;
  let found: string | undefined;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (
      ts.isClassLike(n) &&
      n !== cls &&
      n.heritageClauses?.some((h) => h.types.some((t) => t.expression.getText() === base)) &&
      n.members.some((m) => m.name?.getText() === name)
    )
      found = n.name?.text ?? '<class>';
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

function resolveAccessor(ctx: LowerCtx, call: ts.CallExpression): Accessor | undefined {
  const callee = skipOuter(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const recv = skipOuter(callee.expression);
  let receiver: string;
  if (recv.kind === ts.SyntaxKind.ThisKeyword) receiver = ctx.thisObject ?? 'this';
  else if (ts.isIdentifier(recv)) {
    const decl = ctx.checker.getSymbolAtLocation(recv)?.valueDeclaration;
    if (!decl || isInside(decl, ctx.region)) return undefined;
    receiver = recv.text;
  } else return undefined;
  const decls = ctx.checker.getSymbolAtLocation(callee.name)?.declarations ?? [];
  const fn = decls[0];
  if (
    decls.length !== 1 ||
    !fn ||
    !ts.isMethodDeclaration(fn) ||
    !fn.body ||
    fn.getSourceFile().isDeclarationFile
  )
    return undefined;
  if (fn.asteriskToken || fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) return undefined;
  if (!ts.isClassLike(fn.parent) || fn.body.statements.length > 2 || hasLoop(fn.body)) return undefined;
  const label = `${fn.parent.name?.text ?? '<class>'}.${callee.name.text}`;
  const sub =
    overriddenIn(fn.getSourceFile(), fn.parent, callee.name.text) ??
    overriddenIn(call.getSourceFile(), fn.parent, callee.name.text);
  if (sub)
    reject(
      'calls-function',
      `calls ${receiver}.${callee.name.text}(), which ${sub} overrides (the method is chosen at run time)`,
    );
  return { fn: fn as Accessor['fn'], receiver, label };
}

function withThis<T>(ctx: LowerCtx, a: Accessor, f: () => T): T {
  if (ctx.inlineStack.includes(a.fn)) reject('calls-function', `calls ${a.label}() recursively`);
  const saved = ctx.thisObject;
  ctx.inlineStack.push(a.fn);
  ctx.thisObject = a.receiver;
  try {
    const value = f();
    if (!ctx.inlined.includes(a.label)) ctx.inlined.push(a.label);
    note(
      ctx,
      `${a.receiver === 'this' ? 'this' : a.receiver}.${a.fn.name.getText()}() is inlined as ${a.label} (assumes no other class overrides it)`,
    );
    return value;
  } finally {
    ctx.thisObject = saved;
    ctx.inlineStack.pop();
  }
}

/** `m.get(i, j)` as an expression, or undefined when the callee is not an accessor method. */
export function inlineMethodCall(ctx: LowerCtx, call: ts.CallExpression): Expr | undefined {
  const a = resolveAccessor(ctx, call);
  if (!a) return undefined;
  return withThis(ctx, a, () => {
    bindParams(ctx, a.fn, call.arguments, a.fn.name.getText());
    return lowerReturning(ctx, a.fn.body.statements);
  });
}

/** `m.set(i, j, v);` as statements (a trailing `return this` dropped), or undefined. */
export function inlineMethodStmt(ctx: LowerCtx, call: ts.CallExpression): Stmt[] | undefined {
  const a = resolveAccessor(ctx, call);
  if (!a) return undefined;
  const { pre, value } = withPre(ctx, () =>
    withThis(ctx, a, (): Stmt[] => {
      bindParams(ctx, a.fn, call.arguments, a.fn.name.getText());
      let list: readonly ts.Statement[] = a.fn.body.statements;
      const last = list.at(-1);
      if (
        last &&
        ts.isReturnStatement(last) &&
        (!last.expression || last.expression.kind === ts.SyntaxKind.ThisKeyword)
      )
        list = list.slice(0, -1);
      if (list.some((s) => ts.isReturnStatement(s)))
        reject('calls-function', `calls ${a.label}() (its value is discarded but it returns one)`);
      return lowerStmts(ctx, list);
    }),
  );
  return [...pre, ...value];
}

/** For the prescan: true for an accessor the lowering inlines, the reason for one it refuses, else false. */
export function methodCheck(ctx: LowerCtx, call: ts.CallExpression): boolean | string {
  try {
    return resolveAccessor(ctx, call) !== undefined;
  } catch (err) {
    return err instanceof Reject ? err.reason : false;
  }
}
