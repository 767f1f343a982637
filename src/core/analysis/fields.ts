// Object fields read by a loop (`this.n`, `grid.data`): when no statement of the loop writes the field
// and it is a plain data property (not a getter), its value is the same on every iteration, so it is
// read once and passed to the loop kernel as a parameter (a number or a numeric array). A number
// field the loop writes (`this.peak = mag`, `this._crc = …`) is a live-out like an outer variable: its
// value on entry is a parameter, its final value the kernel's result (written back by the caller).
import type { Binding, LowerCtx } from './lowerCtx.js';
import { isInside, note, reject, short } from './lowerCtx.js';
import type { ValueKind } from './resolve.js';
import { bindParam, inferredSource, valueKind } from './resolve.js';
import { ts } from './ts.js';
import { isAnyOrUnknown, isNumberType } from './typeInfo.js';

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
  if (ctx.mode !== 'loop') return false;
  const obj = objectText(ctx.checker, e, root);
  if (!obj || accessorReason(ctx.checker, e)) return false;
  const occ = occurrences(root, obj, e.name.text);
  if (!occ.written) return !isAssignTarget(e);
  // A written field: the lowering takes it when it holds a number (or has no type to say otherwise).
  const t = ctx.checker.getTypeAtLocation(e);
  return (
    (isNumberType(t) || isAnyOrUnknown(t) || maybeNumber(t)) &&
    writableField(root, obj, e.name.text) === undefined
  );
}

/**
 * `number | undefined` (a JS constructor's `this.peak = 0` read in a method): a number or nothing, so
 * its kind comes from its uses and the wrapper checks it is a number at run time.
 */
function maybeNumber(t: ts.Type): boolean {
  if (!t.isUnion()) return false;
  const nothing = ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Void;
  return (
    t.types.some((m) => (m.flags & ts.TypeFlags.NumberLike) !== 0) &&
    t.types.every((m) => (m.flags & (ts.TypeFlags.NumberLike | nothing)) !== 0)
  );
}

/** Why a field written in `root` (`e` names it) cannot be a live-out of the loop, when one can say. */
export function fieldWriteReason(
  ctx: LowerCtx,
  root: ts.Node,
  e: ts.PropertyAccessExpression,
): string | undefined {
  const obj = objectText(ctx.checker, e, root);
  return obj ? writableField(root, obj, e.name.text) : undefined;
}

/**
 * Why the field `obj.field` written in `region` cannot be a live-out, or undefined: `obj` itself is
 * reassigned there, or another object's field of the same name is used there (it may be the same
 * object, whose field the kernel would read stale).
 */
function writableField(region: ts.Node, obj: string, field: string): string | undefined {
  let why: string | undefined;
  const visit = (n: ts.Node): void => {
    if (why) return;
    if (ts.isPropertyAccessExpression(n) && n.name.text === field) {
      const o = skip(n.expression);
      const t = o.kind === ts.SyntaxKind.ThisKeyword ? 'this' : ts.isIdentifier(o) ? o.text : undefined;
      if (t !== obj) why = `${short(n)} may be the same field as ${obj}.${field}, which the loop writes`;
    }
    if (obj !== 'this' && ts.isIdentifier(n) && n.text === obj && isAssignTarget(n))
      why = `the loop assigns ${obj} itself`;
    ts.forEachChild(n, visit);
  };
  visit(region);
  return why;
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
  const type = ctx.checker.getTypeAtLocation(e);
  const vague = occ.written && (maybeNumber(type) || isAnyOrUnknown(type));
  const kind = vague
    ? writtenKind(ctx, key, occ.reads)
    : valueKind(ctx, key, type, () => (occ.reads.length > 0 ? occ.reads : [e]));
  if (occ.written) return writtenField(ctx, obj, field, kind);
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

/** A number field the loop writes: a free scalar (its entry value a parameter, its final value a live-out). */
function writtenField(ctx: LowerCtx, obj: string, field: string, kind: ValueKind): Binding {
  const key = `${obj}.${field}`;
  const why = writableField(ctx.region, obj, field);
  if (why || kind.kind !== 'scalar')
    reject(
      'object-property',
      `writes property ${key} inside the loop (${why ?? 'it does not hold a number'}; use a local and assign it after the loop)`,
    );
  const b = bindParam(ctx, undefined, obj === 'this' ? field : `${obj}_${field}`, kind);
  ctx.fields.set(key, b);
  ctx.freeParams.push({ kind: 'scalar', name: b.name, dtype: 'f64', ...inferredSource(kind) });
  ctx.freeScalars.add(b.name);
  note(
    ctx,
    `${key} is written by the loop: its value before the loop is parameter ${b.name} and its final value a result of the kernel, which the caller assigns back to ${key}`,
  );
  return b;
}

/**
 * The kind of a written field with no usable type: what its reads show, or — read nowhere but written
 * with numbers (`this.peakBand = i`; the writes are lowered as numbers or refused) — a number the
 * wrapper checks at run time (its value on entry comes back unchanged when the loop does not write it).
 */
function writtenKind(ctx: LowerCtx, key: string, reads: readonly ts.Node[]): ValueKind {
  const any = ctx.checker.getAnyType();
  if (reads.length > 0) return valueKind(ctx, key, any, () => reads);
  note(ctx, `${key}: a number (the loop only writes numbers to it); the wrapper checks it at run time`);
  return { kind: 'scalar', inferred: true };
}
