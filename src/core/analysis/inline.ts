// Inlining calls to pure helper functions (same module or imported from an analysed workspace
// file) into the kernel, instead of rejecting the loop with "calls f()".
import type { Expr, Stmt } from '../ir/types.js';
import { visitStmts } from './irUtil.js';
import { resolveField } from './fields.js';
import { lowerExpr, rowOf, skipOuter } from './lowerExpr.js';
import type { LowerCtx } from './lowerCtx.js';
import { note, reject, short, symbolOf, uniqueName, withPre } from './lowerCtx.js';
import { lowerStmts } from './lowerStmt.js';
import { inlineMethodStmt } from './methods.js';
import { reassigned } from './liveness.js';
import { resolveIdentifier } from './resolve.js';
import { ts } from './ts.js';
import { elementTypeOfType, isAnyOrUnknown, isNumberType } from './typeInfo.js';

export type Helper = ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression | ts.MethodDeclaration;

/** The function a callee identifier names (following imports), when it has a body we can read. */
export function resolveHelper(ctx: LowerCtx, id: ts.Identifier): Helper | undefined {
  let sym = ctx.checker.getSymbolAtLocation(id);
  if (sym && (sym.flags & ts.SymbolFlags.Alias) !== 0) sym = ctx.checker.getAliasedSymbol(sym);
  const decl = sym?.valueDeclaration;
  if (!decl || decl.getSourceFile().isDeclarationFile) return undefined;
  let fn: ts.Node | undefined = decl;
  if (ts.isVariableDeclaration(decl)) fn = variableHelper(ctx, id, decl, sym!);
  // `export default (x, lo, hi) => …` imported by name.
  if (ts.isExportAssignment(decl)) fn = skipOuter(decl.expression);
  // CommonJS `module.exports = function f(…) {…}` required by name.
  if (ts.isBinaryExpression(decl) && decl.operatorToken.kind === ts.SyntaxKind.EqualsToken)
    fn = skipOuter(decl.right);
  if (
    !fn ||
    !(ts.isFunctionDeclaration(fn) || ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) ||
    !fn.body
  )
    return undefined;
  if (fn.asteriskToken || fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) return undefined;
  return fn;
}

/**
 * The function a variable holds for good: `const f = (…) => …`, a `let`/`var` never assigned again, or
 * CommonJS `let f = require('./f')` (the module's `module.exports = function …`, as the checker types it).
 */
function variableHelper(
  ctx: LowerCtx,
  id: ts.Identifier,
  decl: ts.VariableDeclaration,
  sym: ts.Symbol,
): ts.Node | undefined {
  if (!decl.initializer) return undefined;
  const list = decl.parent;
  const constant = ts.isVariableDeclarationList(list) && (list.flags & ts.NodeFlags.Const) !== 0;
  if (!constant && reassigned(decl, sym, ctx.checker)) return undefined;
  const init = skipOuter(decl.initializer);
  const required =
    ts.isCallExpression(init) &&
    ts.isIdentifier(init.expression) &&
    init.expression.text === 'require' &&
    init.arguments.length === 1 &&
    ts.isStringLiteral(init.arguments[0]!);
  if (ts.isPropertyAccessExpression(init)) return propertyHelper(ctx, init);
  if (!required) return init;
  const target = ctx.checker.getTypeAtLocation(id).getSymbol()?.valueDeclaration;
  return target && !target.getSourceFile().isDeclarationFile ? target : undefined;
}

/**
 * The function a property holds when this file assigns it exactly once, ES5-namespace style
 * (`numeric.dotVV = function dotVV(x, y) {…}` read as `var dotVV = numeric.dotVV` or called as
 * `numeric.dotVV(x, y)`), and its body does not use `this`. Other code could replace the property at
 * run time; the note says the kernel took the one defined here.
 */
export function propertyHelper(ctx: LowerCtx, prop: ts.PropertyAccessExpression): ts.Node | undefined {
  const sym = ctx.checker.getSymbolAtLocation(prop);
  const decls = sym?.declarations ?? [];
  if (decls.length !== 1) return undefined;
  const d = decls[0]!;
  let fn: ts.Expression | undefined;
  if (ts.isBinaryExpression(d) && d.operatorToken.kind === ts.SyntaxKind.EqualsToken) fn = d.right;
  else if (ts.isPropertyAccessExpression(d) && ts.isBinaryExpression(d.parent) && d.parent.left === d)
    fn = d.parent.right;
  else if (ts.isPropertyAssignment(d)) fn = d.initializer;
  if (!fn) return undefined;
  fn = skipOuter(fn);
  if (!(ts.isFunctionExpression(fn) || ts.isArrowFunction(fn)) || usesThis(fn.body)) return undefined;
  if (fn.getSourceFile().isDeclarationFile) return undefined;
  note(
    ctx,
    `${short(prop)}() is inlined as this file assigns it (once); code that replaces it at run time is not seen`,
  );
  return fn;
}

/** True when `this` appears in `body` outside nested non-arrow functions. */
function usesThis(body: ts.Node): boolean {
  let hit = false;
  const visit = (n: ts.Node): void => {
    if (hit) return;
    if (n.kind === ts.SyntaxKind.ThisKeyword) hit = true;
    else if (!(ts.isFunctionExpression(n) || ts.isFunctionDeclaration(n))) ts.forEachChild(n, visit);
  };
  visit(body);
  return hit;
}

/** Inlines `ns.f(args)` where `ns.f` is a {@link propertyHelper}; undefined when it is not one. */
export function inlinePropertyCall(
  ctx: LowerCtx,
  call: ts.CallExpression,
  callee: ts.PropertyAccessExpression,
): Expr | undefined {
  if (!ts.isIdentifier(skipOuter(callee.expression))) return undefined;
  const fn = propertyHelper(ctx, callee) as Helper | undefined;
  if (!fn) return undefined;
  const name = short(callee);
  return withHelper(ctx, fn, name, () => {
    bindParams(ctx, fn, call.arguments, callee.name.text);
    const body = fn.body!;
    return ts.isBlock(body) ? lowerReturning(ctx, body.statements) : lowerExpr(ctx, body);
  });
}

/** The reason a call to `id` is not inlined: what the callee is, when that says why. */
export function callReason(ctx: LowerCtx, id: ts.Identifier): string {
  const decl = ctx.checker.getSymbolAtLocation(id)?.valueDeclaration;
  if (decl && ts.isParameter(decl)) {
    return `calls ${id.text}(), a function parameter known only at run time (a kernel cannot take a function; call a named function to have it inlined)`;
  }
  if (decl?.getSourceFile().isDeclarationFile)
    return `calls ${id.text}(), declared without a body here (a library function)`;
  return `calls ${id.text}()`;
}

function assignsTo(body: ts.Node, sym: ts.Symbol, checker: ts.TypeChecker): boolean {
  let hit = false;
  const visit = (n: ts.Node): void => {
    if (hit) return;
    let target: ts.Expression | undefined;
    if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
      n.operatorToken.kind <= ts.SyntaxKind.LastAssignment
    )
      target = n.left;
    if (
      (ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) &&
      (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)
    )
      target = n.operand;
    if (
      target &&
      ts.isIdentifier(skipOuter(target)) &&
      checker.getSymbolAtLocation(skipOuter(target)) === sym
    )
      hit = true;
    ts.forEachChild(n, visit);
  };
  visit(body);
  return hit;
}

/** Binds a helper's parameters to the call's arguments (scalars as lets, arrays as aliases). */
export function bindParams(ctx: LowerCtx, fn: Helper, args: readonly ts.Expression[], prefix: string): void {
  fn.parameters.forEach((p, k) => {
    if (!ts.isIdentifier(p.name) || p.dotDotDotToken)
      reject('calls-function', `calls ${prefix}() (cannot inline: parameter ${short(p.name)})`);
    const arg = args[k] ?? p.initializer;
    if (!arg) reject('calls-function', `calls ${prefix}() (cannot inline: argument ${p.name.text} missing)`);
    const sym = symbolOf(ctx, p.name);
    const a = skipOuter(arg);
    // An array argument (an array, a field array, a row `points[i]`) is aliased, whatever the parameter's type says.
    const row = rowOf(ctx, a);
    const alias =
      row ??
      (ts.isIdentifier(a)
        ? resolveIdentifier(ctx, a)
        : ts.isPropertyAccessExpression(a) && a.name.text !== 'length'
          ? resolveField(ctx, a)
          : undefined);
    if (alias && alias.kind !== 'scalar' && alias.kind !== 'const-scalar') {
      ctx.bindings.set(sym, alias);
      return;
    }
    let type = ctx.checker.getTypeAtLocation(p.name);
    if (isAnyOrUnknown(type)) type = ctx.checker.getTypeAtLocation(arg);
    if (isNumberType(type) || isAnyOrUnknown(type)) {
      const value = lowerExpr(ctx, arg);
      const reassigned = assignsTo(fn.body!, sym, ctx.checker);
      if (!reassigned && value.kind === 'const') {
        ctx.bindings.set(sym, { kind: 'const-scalar', value: value.value });
        return;
      }
      if (!reassigned && value.kind === 'var') {
        ctx.bindings.set(sym, { kind: 'scalar', name: value.name, dtype: 'f64' });
        return;
      }
      const name = uniqueName(ctx, `${prefix}_${p.name.text}`);
      ctx.pre.push({ kind: 'let', name, dtype: 'f64', init: value });
      ctx.bindings.set(sym, { kind: 'scalar', name, dtype: 'f64' });
      return;
    }
    if (elementTypeOfType(ctx.checker, type) !== 'unknown')
      reject('calls-function', `calls ${prefix}() (cannot inline: array argument ${short(arg)})`);
    reject(
      'calls-function',
      `calls ${prefix}() (cannot inline: parameter ${p.name.text} is not a number or numeric array)`,
    );
  });
  for (const extra of args.slice(fn.parameters.length)) lowerExpr(ctx, extra);
}

function statementsOf(s: ts.Statement): readonly ts.Statement[] {
  return ts.isBlock(s) ? s.statements : [s];
}

function endsInReturn(list: readonly ts.Statement[]): boolean {
  const last = list.at(-1);
  return last !== undefined && ts.isReturnStatement(last) && last.expression !== undefined;
}

/** Lowers a returning statement list: statements go to `ctx.pre`, `if (c) return a;` chains become selects. */
export function lowerReturning(ctx: LowerCtx, list: readonly ts.Statement[]): Expr {
  for (let k = 0; k < list.length; k++) {
    const s = list[k]!;
    if (ts.isReturnStatement(s)) {
      if (!s.expression) reject('unsupported-syntax', 'a helper returns undefined');
      return lowerExpr(ctx, s.expression);
    }
    if (ts.isIfStatement(s) && endsInReturn(statementsOf(s.thenStatement))) {
      const cond = lowerExpr(ctx, s.expression);
      const rest = list.slice(k + 1);
      const elseList = s.elseStatement ? [...statementsOf(s.elseStatement), ...rest] : rest;
      const a = withPre(ctx, () => lowerReturning(ctx, statementsOf(s.thenStatement)));
      const b = withPre(ctx, () => lowerReturning(ctx, elseList));
      for (const pre of [a.pre, b.pre]) checkHoistable(pre);
      ctx.pre.push(...a.pre, ...b.pre);
      return { kind: 'select', cond, then: a.value, else: b.value };
    }
    ctx.pre.push(...lowerStmts(ctx, [s]));
  }
  return reject('unsupported-syntax', 'a helper may return undefined');
}

/** Branch statements hoisted out of an `if` must not have effects outside themselves. */
function checkHoistable(pre: readonly Stmt[]): void {
  const declared = new Set<string>();
  visitStmts(pre, (s) => {
    if (s.kind === 'let') declared.add(s.name);
    if (s.kind === 'for') declared.add(s.index);
  });
  visitStmts(pre, (s) => {
    if (s.kind === 'store' || (s.kind === 'assign' && !declared.has(s.name))) {
      reject('unsupported-syntax', 'a helper has side effects in a branch that returns');
    }
  });
}

function withHelper<T>(ctx: LowerCtx, fn: Helper, name: string, f: () => T): T {
  if (ctx.inlineStack.includes(fn)) reject('calls-function', `calls ${name}() recursively`);
  ctx.inlineStack.push(fn);
  try {
    const value = f();
    if (!ctx.inlined.includes(name)) ctx.inlined.push(name);
    const from = fn.getSourceFile();
    if (from !== ctx.region.getSourceFile())
      note(
        ctx,
        `${name}() is inlined from ${from.fileName.split('/').pop()!} (a pure helper of the workspace)`,
      );
    return value;
  } finally {
    ctx.inlineStack.pop();
  }
}

/** Inlines `f(args)` as an expression (helper statements go to `ctx.pre`), or undefined when `f` is not a helper. */
export function inlineCall(ctx: LowerCtx, call: ts.CallExpression, id: ts.Identifier): Expr | undefined {
  const fn = resolveHelper(ctx, id);
  if (!fn) return undefined;
  return withHelper(ctx, fn, id.text, () => {
    bindParams(ctx, fn, call.arguments, id.text);
    const body = fn.body!;
    return ts.isBlock(body) ? lowerReturning(ctx, body.statements) : lowerExpr(ctx, body);
  });
}

/** Inlines `f(args);` as statements (a helper that writes arrays), or undefined when `f` is not a helper. */
export function inlineCallStmt(ctx: LowerCtx, call: ts.CallExpression): Stmt[] | undefined {
  const callee = skipOuter(call.expression);
  if (ts.isPropertyAccessExpression(callee)) return inlineMethodStmt(ctx, call);
  if (!ts.isIdentifier(callee)) return undefined;
  const fn = resolveHelper(ctx, callee);
  if (!fn) return undefined;
  const { pre, value } = withPre(ctx, () =>
    withHelper(ctx, fn, callee.text, (): Stmt[] => {
      bindParams(ctx, fn, call.arguments, callee.text);
      const body = fn.body!;
      if (!ts.isBlock(body)) {
        lowerExpr(ctx, body);
        return [];
      }
      let list = body.statements;
      const last = list.at(-1);
      if (last && ts.isReturnStatement(last) && !last.expression)
        list = list.slice(0, -1) as unknown as ts.NodeArray<ts.Statement>;
      if (
        list.some(
          (s) =>
            ts.isReturnStatement(s) || (ts.isIfStatement(s) && endsInReturn(statementsOf(s.thenStatement))),
        )
      ) {
        lowerReturning(ctx, list);
        return [];
      }
      return lowerStmts(ctx, list);
    }),
  );
  return [...pre, ...value];
}
