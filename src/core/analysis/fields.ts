// Object fields read by a loop (`this.n`, `grid.data`): when no statement of the loop writes the field
// and it is a plain data property (not a getter), its value is the same on every iteration, so it is
// read once and passed to the loop kernel as a parameter (a number or a numeric array).
import type { Binding, LowerCtx } from './lowerCtx.js';
import { isInside, note, reject, short } from './lowerCtx.js';
import { bindParam, valueKind } from './resolve.js';
import { ts } from './ts.js';

const skip = (e: ts.Expression): ts.Expression => {
  while (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e) || ts.isAsExpression(e))
    e = e.expression;
  return e;
};

/** `this` or the identifier an `obj.field` read starts from, when it is declared outside `region`. */
function objectText(
  checker: ts.TypeChecker,
  e: ts.PropertyAccessExpression,
  region: ts.Node,
  thisObject = 'this',
): string | undefined {
  const obj = skip(e.expression);
  if (obj.kind === ts.SyntaxKind.ThisKeyword) return thisObject;
  if (!ts.isIdentifier(obj)) return undefined;
  const decl = checker.getSymbolAtLocation(obj)?.valueDeclaration;
  if (!decl || isInside(decl, region)) return undefined;
  return obj.text;
}

function isAssignTarget(n: ts.Node): boolean {
  let x = n;
  while (ts.isParenthesizedExpression(x.parent) || ts.isNonNullExpression(x.parent)) x = x.parent;
  const p = x.parent;
  if (ts.isBinaryExpression(p) && p.left === x) {
    return (
      p.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
      p.operatorToken.kind <= ts.SyntaxKind.LastAssignment
    );
  }
  return (
    (ts.isPrefixUnaryExpression(p) || ts.isPostfixUnaryExpression(p)) &&
    (p.operator === ts.SyntaxKind.PlusPlusToken || p.operator === ts.SyntaxKind.MinusMinusToken)
  );
}

/** Every `obj.field` with this text in `region`, and whether one of them (or `obj` itself) is written. */
function occurrences(
  region: ts.Node,
  objText: string,
  field: string,
): { reads: ts.PropertyAccessExpression[]; written: boolean } {
  const reads: ts.PropertyAccessExpression[] = [];
  let written = false;
  const visit = (n: ts.Node): void => {
    if (ts.isPropertyAccessExpression(n) && n.name.text === field) {
      const o = skip(n.expression);
      const t = o.kind === ts.SyntaxKind.ThisKeyword ? 'this' : ts.isIdentifier(o) ? o.text : undefined;
      if (t === objText) {
        if (isAssignTarget(n)) written = true;
        else reads.push(n);
      }
    }
    if (objText !== 'this' && ts.isIdentifier(n) && n.text === objText && isAssignTarget(n)) written = true;
    ts.forEachChild(n, visit);
  };
  visit(region);
  return { reads, written };
}

/** Why the field cannot be read once (a getter, a method), or undefined for a data property. */
export function accessorReason(checker: ts.TypeChecker, e: ts.PropertyAccessExpression): string | undefined {
  const sym = checker.getSymbolAtLocation(e.name);
  for (const d of sym?.declarations ?? []) {
    if (ts.isGetAccessorDeclaration(d) || ts.isSetAccessorDeclaration(d))
      return `${short(e)} is a getter (it may compute or have side effects on each read)`;
    if (ts.isMethodDeclaration(d) || ts.isMethodSignature(d)) return `${short(e)} is a method`;
  }
  return undefined;
}

/**
 * True when the prescan may leave `e` to the lowering: a read of a field of `this` or of an object
 * declared outside the loop, never written inside it, not an accessor (the lowering types it).
 */
export function isFieldRead(ctx: LowerCtx, root: ts.Node, e: ts.PropertyAccessExpression): boolean {
  if (ctx.mode !== 'loop' || isAssignTarget(e)) return false;
  const obj = objectText(ctx.checker, e, root);
  if (!obj || accessorReason(ctx.checker, e)) return false;
  return !occurrences(root, obj, e.name.text).written;
}

/**
 * The parameter a field read becomes in a loop kernel, or undefined when `e` is not a field of an
 * outside object (the caller says why). Rejects getters and fields the loop writes, with the reason.
 */
export function resolveField(ctx: LowerCtx, e: ts.PropertyAccessExpression): Binding | undefined {
  if (ctx.mode !== 'loop') return undefined;
  const obj = objectText(ctx.checker, e, ctx.region, ctx.thisObject);
  if (!obj) return undefined;
  const field = e.name.text;
  const key = `${obj}.${field}`;
  const bound = ctx.fields.get(key);
  if (bound) return bound;
  const why = accessorReason(ctx.checker, e);
  if (why) reject('object-property', why);
  const occ = occurrences(ctx.region, obj, field);
  if (occ.written)
    reject(
      'object-property',
      `writes property ${key} inside the loop (a written field is not lowered; use a local and assign it after the loop)`,
    );
  const kind = valueKind(ctx, key, ctx.checker.getTypeAtLocation(e), () =>
    occ.reads.length > 0 ? occ.reads : [e],
  );
  const b = bindParam(ctx, undefined, obj === 'this' ? field : `${obj}_${field}`, kind);
  ctx.fields.set(key, b);
  ctx.freeParams.push(
    b.kind === 'scalar'
      ? { kind: 'scalar', name: b.name, dtype: 'f64' }
      : { kind: 'array', name: b.name, dtype: 'f64', container: 'array', access: 'read' },
  );
  note(ctx, `${key} is read once, before the loop, as parameter ${b.name} (the loop does not write it)`);
  return b;
}
