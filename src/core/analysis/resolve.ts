// Resolving identifiers while lowering: kernel locals, parameters, free variables of a loop kernel,
// and module-level numeric constants (scalars are folded, tables become `kernel.consts`).
import type { NumLit, ScalarParam } from '../ir/types.js';
import { isBooleanType, isFlag } from './flags.js';
import { bindFreeFresh } from './freshArrays.js';
import { enclosingScope, inferFromUses, numericByAssignments, referencesIn } from './infer.js';
import { intByDeclaration } from './intDecl.js';
import type { Binding, LowerCtx } from './lowerCtx.js';
import { constDType, isInside, note, reject, uniqueName } from './lowerCtx.js';
import { ts } from './ts.js';
import type { KnownElement } from './typeInfo.js';
import { elementTypeOfType, isAnyOrUnknown, isNumberType, isStringType, vagueArrayType } from './typeInfo.js';

export function numLit(v: number): NumLit {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  return v;
}

const mathConsts: Readonly<Record<string, number>> = {
  PI: Math.PI,
  E: Math.E,
  LN2: Math.LN2,
  LN10: Math.LN10,
  LOG2E: Math.LOG2E,
  LOG10E: Math.LOG10E,
  SQRT2: Math.SQRT2,
  SQRT1_2: Math.SQRT1_2,
};
const numberConsts: Readonly<Record<string, number>> = {
  EPSILON: Number.EPSILON,
  MAX_VALUE: Number.MAX_VALUE,
  MIN_VALUE: Number.MIN_VALUE,
  MAX_SAFE_INTEGER: Number.MAX_SAFE_INTEGER,
  MIN_SAFE_INTEGER: Number.MIN_SAFE_INTEGER,
  POSITIVE_INFINITY: Infinity,
  NEGATIVE_INFINITY: -Infinity,
  NaN: NaN,
};

/** `Math.PI`, `Number.EPSILON`…, or undefined. */
export function builtinConst(node: ts.PropertyAccessExpression): number | undefined {
  if (!ts.isIdentifier(node.expression)) return undefined;
  const table =
    node.expression.text === 'Math'
      ? mathConsts
      : node.expression.text === 'Number'
        ? numberConsts
        : undefined;
  return table?.[node.name.text];
}

function isModuleConst(decl: ts.Declaration): decl is ts.VariableDeclaration {
  if (!ts.isVariableDeclaration(decl) || !decl.initializer) return false;
  const list = decl.parent;
  return (
    ts.isVariableDeclarationList(list) &&
    (list.flags & ts.NodeFlags.Const) !== 0 &&
    ts.isVariableStatement(list.parent) &&
    ts.isSourceFile(list.parent.parent)
  );
}

/** Value of a constant numeric expression at module level (literals, arithmetic, Math.PI, other consts). */
export function constValue(checker: ts.TypeChecker, e: ts.Expression, depth = 0): number | undefined {
  if (depth > 8) return undefined;
  if (ts.isNumericLiteral(e)) return Number(e.text.replace(/_/g, ''));
  if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e))
    return constValue(checker, e.expression, depth);
  if (ts.isPrefixUnaryExpression(e)) {
    const v = constValue(checker, e.operand, depth);
    if (v === undefined) return undefined;
    if (e.operator === ts.SyntaxKind.MinusToken) return -v;
    if (e.operator === ts.SyntaxKind.PlusToken) return v;
    return undefined;
  }
  if (ts.isPropertyAccessExpression(e)) return builtinConst(e);
  if (ts.isIdentifier(e)) {
    if (e.text === 'NaN') return NaN;
    if (e.text === 'Infinity') return Infinity;
    const decl = checker.getSymbolAtLocation(e)?.valueDeclaration;
    return decl && isModuleConst(decl) ? constValue(checker, decl.initializer!, depth + 1) : undefined;
  }
  if (ts.isBinaryExpression(e)) {
    const l = constValue(checker, e.left, depth);
    const r = constValue(checker, e.right, depth);
    if (l === undefined || r === undefined) return undefined;
    switch (e.operatorToken.kind) {
      case ts.SyntaxKind.PlusToken:
        return l + r;
      case ts.SyntaxKind.MinusToken:
        return l - r;
      case ts.SyntaxKind.AsteriskToken:
        return l * r;
      case ts.SyntaxKind.SlashToken:
        return l / r;
      case ts.SyntaxKind.AsteriskAsteriskToken:
        return l ** r;
      default:
        return undefined;
    }
  }
  return undefined;
}

/** Values of a module-level numeric table initializer (`[1, 2]`, `new Float64Array([…])`, `Float32Array.of(…)`). */
function tableValues(checker: ts.TypeChecker, init: ts.Expression): NumLit[] | undefined {
  let elems: readonly ts.Expression[] | undefined;
  if (ts.isArrayLiteralExpression(init)) elems = init.elements;
  else if (
    ts.isNewExpression(init) &&
    init.arguments?.length === 1 &&
    ts.isArrayLiteralExpression(init.arguments[0]!)
  ) {
    elems = init.arguments[0].elements;
  } else if (
    ts.isCallExpression(init) &&
    ts.isPropertyAccessExpression(init.expression) &&
    init.expression.name.text === 'of'
  ) {
    elems = init.arguments;
  }
  if (!elems) return undefined;
  const out: NumLit[] = [];
  for (const el of elems) {
    const v = constValue(checker, el);
    if (v === undefined) return undefined;
    out.push(numLit(v));
  }
  return out;
}

function moduleConstBinding(
  ctx: LowerCtx,
  sym: ts.Symbol,
  decl: ts.VariableDeclaration,
  id: ts.Identifier,
): Binding | undefined {
  const init = decl.initializer!;
  const scalar = constValue(ctx.checker, init);
  if (scalar !== undefined) return { kind: 'const-scalar', value: numLit(scalar) };
  const values = tableValues(ctx.checker, init);
  if (!values) return undefined;
  const el = elementTypeOfType(ctx.checker, ctx.checker.getTypeAtLocation(decl.name));
  if (el === 'unknown') return undefined;
  const name = uniqueName(ctx, id.text);
  const binding: Binding = { kind: 'const-array', name, el };
  ctx.consts.push({ kind: 'const-array', name, dtype: constDType(el), values });
  ctx.bindings.set(sym, binding);
  return binding;
}

/** A scalar or array decided for a value: from its type, or (no usable type) from its uses. */
export type ValueKind =
  | { readonly kind: 'scalar'; readonly inferred?: true; readonly truthy?: true }
  | { readonly kind: 'array'; readonly el: KnownElement; readonly inferred?: true };

/**
 * What `id` (a parameter, a free variable, a field) holds: a number, a numeric array (rank 1 or 2),
 * or a rejection. A type that says nothing (`any`: untyped JS, an import that does not resolve) falls
 * back to the uses of `occurrences`, so the verdict is the same with or without node_modules.
 */
export function valueKind(
  ctx: LowerCtx,
  text: string,
  type: ts.Type,
  occurrences: () => readonly ts.Node[],
  declared?: string,
  numericLocal?: () => boolean,
): ValueKind {
  if (isNumberType(type)) return { kind: 'scalar' };
  const el = elementTypeOfType(ctx.checker, type);
  if (el !== 'unknown') return { kind: 'array', el };
  const vague = vagueArrayType(ctx.checker, type);
  if (isAnyOrUnknown(type) || vague) {
    const inf = inferFromUses(occurrences(), text);
    const why = vague
      ? `its type ${vague} does not say its elements are numbers`
      : declared
        ? `its type ${declared} does not resolve`
        : 'no type';
    if (inf.kind === 'scalar' && vague) reject('unknown-types', `${text} is ${vague}, used as a number`);
    // A local whose every value the loop computes needs no check (its `undefined` before would fail one).
    if ((inf.kind === 'scalar' || (inf.kind === 'none' && inf.noEvidence)) && numericLocal?.()) {
      note(
        ctx,
        `${text}: a number (no type; every value it is assigned is computed by the loop or is a number)`,
      );
      return { kind: 'scalar' };
    }
    if (inf.kind === 'scalar') {
      note(ctx, `${text}: a number inferred from its use (${why}); the wrapper checks it at run time`);
      return { kind: 'scalar', inferred: true };
    }
    if (inf.kind === 'array') {
      note(
        ctx,
        `${text}: a numeric array${inf.rank === 2 ? ' of rows' : ''} inferred from its use (${why}); the wrapper checks it at run time`,
      );
      return {
        kind: 'array',
        el: inf.rank === 2 ? 'ArrayLike<number>[]' : 'ArrayLike<number>',
        inferred: true,
      };
    }
    reject('unknown-types', inf.why);
  }
  return badType(ctx, text, type);
}

/** `{ typeSource: 'inferred' }` for a value typed from its use, else nothing (a spread into a param). */
export function inferredSource(kind: ValueKind): { typeSource?: 'inferred' } {
  return kind.inferred ? { typeSource: 'inferred' } : {};
}

/** The kernel parameter of a scalar bound as `name`: f64, or a truthy flag's i32 0/1. */
export function scalarParamOf(name: string, kind: ValueKind): ScalarParam {
  if (kind.kind === 'scalar' && kind.truthy) return { kind: 'scalar', name, dtype: 'i32', truthy: true };
  return { kind: 'scalar', name, dtype: 'f64', ...inferredSource(kind) };
}

/** Binds `sym` to a new kernel parameter (scalar or array) named after `text`; returns the binding. */
export function bindParam(
  ctx: LowerCtx,
  sym: ts.Symbol | undefined,
  text: string,
  kind: ValueKind,
): Extract<Binding, { kind: 'scalar' | 'array' }> {
  const name = uniqueName(ctx, text);
  if (kind.kind === 'scalar') {
    const b = { kind: 'scalar' as const, name, dtype: kind.truthy ? ('i32' as const) : ('f64' as const) };
    if (kind.truthy) ctx.intVars.add(name);
    if (sym) ctx.bindings.set(sym, b);
    return b;
  }
  const b = { kind: 'array' as const, name, el: kind.el };
  if (sym) ctx.bindings.set(sym, b);
  ctx.arrays.set(name, {
    name,
    el: kind.el,
    read: false,
    written: false,
    ...(kind.inferred ? { inferred: true as const } : {}),
  });
  return b;
}

/** The kind of the value a declared identifier (parameter, variable) holds, inferring from its uses where untyped. */
export function identifierKind(ctx: LowerCtx, id: ts.Identifier, sym: ts.Symbol): ValueKind {
  const decl = sym.valueDeclaration ?? sym.declarations?.[0];
  const scope = decl ? enclosingScope(decl) : ctx.region;
  const typeNode = decl && (ts.isParameter(decl) || ts.isVariableDeclaration(decl)) ? decl.type : undefined;
  const declared =
    typeNode && typeNode.kind !== ts.SyntaxKind.AnyKeyword && typeNode.kind !== ts.SyntaxKind.UnknownKeyword
      ? typeNode.getText()
      : undefined;
  const type = ctx.checker.getTypeAtLocation(id);
  // A boolean only ever tested (`if (negate)`, `!found`, `inClockwise ? 1 : -1`) in every function that
  // sees it: the kernel takes its truthiness, 1/0 (flags.ts).
  // So is an untyped value used only that way (jpeg-js `if (formatAsRGBA)`): any JS value has a truthiness.
  if ((isBooleanType(type) || isAnyOrUnknown(type)) && decl && !ts.isSourceFile(scope) && isFlag(ctx, sym)) {
    note(
      ctx,
      `${id.text}: a boolean only tested for truthiness; the kernel takes it as 1/0 (the wrapper passes \`${id.text} ? 1 : 0\`)`,
    );
    return { kind: 'scalar', truthy: true };
  }
  return valueKind(
    ctx,
    id.text,
    type,
    () => usesFor(ctx, id.text, referencesIn(ctx.checker, sym, scope)),
    declared,
    () =>
      ctx.mode === 'loop' && decl !== undefined && numericByAssignments(ctx.checker, sym, decl, ctx.region),
  );
}

/**
 * The uses that type an untyped value of a loop kernel: all of its function's, unless they conflict
 * (numbers in one branch, rows in another: skmeans' `sum`, uni- and multi-dimensional code sharing names)
 * while the loop's own uses agree — then the loop's. Either way the wrapper checks the inferred kind at
 * run time and runs the original JS on anything else.
 */
function usesFor(ctx: LowerCtx, text: string, all: readonly ts.Node[]): readonly ts.Node[] {
  if (ctx.mode !== 'loop') return all;
  const whole = inferFromUses(all, text);
  // Only a conflict of kinds (a number here, an array or rows there); a use as an object stays refused.
  const conflict = (whole.kind === 'none' && whole.mixed) || (whole.kind === 'array' && whole.rank === 2);
  if (!conflict) return all;
  const mine = all.filter((r) => isInside(r, ctx.region));
  const own = inferFromUses(mine, text);
  // Elements only copied (`B[i] = Q[i]`) may be rows as well as numbers: the loop must compute with one.
  if (own.kind === 'array' && own.rank === 1 && mine.some(computedElement)) return mine;
  return own.kind === 'scalar' ? mine : all;
}

/** `x[i]` (for the reference `x`) as an operand of arithmetic or a comparison, not merely copied. */
function computedElement(r: ts.Node): boolean {
  let e: ts.Node = r.parent;
  if (!ts.isElementAccessExpression(e) || e.expression !== r) return false;
  while (ts.isParenthesizedExpression(e.parent)) e = e.parent;
  const p = e.parent;
  if (ts.isPrefixUnaryExpression(p)) return p.operator === ts.SyntaxKind.MinusToken;
  if (!ts.isBinaryExpression(p)) return false;
  const k = p.operatorToken.kind;
  if (k === ts.SyntaxKind.EqualsToken || k === ts.SyntaxKind.CommaToken) return false;
  if (k === ts.SyntaxKind.AmpersandAmpersandToken || k === ts.SyntaxKind.BarBarToken) return false;
  return true;
}

function badType(ctx: LowerCtx, text: string, type: ts.Type): never {
  if (isStringType(type)) reject('string-work', `uses string ${text}`);
  if (
    ctx.checker.isArrayType(type) &&
    ctx.checker.getTypeArguments(type as ts.TypeReference).some(isStringType)
  ) {
    reject('string-work', `uses strings (${text} is ${ctx.checker.typeToString(type)})`);
  }
  if (isAnyOrUnknown(type))
    reject('unknown-types', `type of ${text} is unknown (add a type or a JSDoc @type)`);
  reject('unknown-types', `${text} is ${ctx.checker.typeToString(type)}, not a number or a numeric array`);
}

/** The binding of an identifier read or written in the kernel (creating a parameter for a free variable). */
export function resolveIdentifier(ctx: LowerCtx, id: ts.Identifier): Binding {
  if (id.text === 'NaN' || id.text === 'Infinity') return { kind: 'const-scalar', value: id.text };
  if (id.text === 'undefined') reject('unsupported-syntax', 'uses undefined');
  const sym = ctx.checker.getSymbolAtLocation(id);
  if (!sym) reject('unknown-types', `cannot resolve ${id.text}`);
  const bound = ctx.bindings.get(sym);
  if (bound) return bound;
  const decl = sym.valueDeclaration ?? sym.declarations?.[0];
  if (!decl) reject('unknown-types', `cannot resolve ${id.text}`);
  if (ts.isFunctionDeclaration(decl) || ts.isClassDeclaration(decl))
    reject('unsupported-syntax', `uses function ${id.text} as a value`);
  if (isModuleConst(decl)) {
    const b = moduleConstBinding(ctx, sym, decl, id);
    if (b) return b;
  }
  if (isInside(decl, ctx.region)) reject('unsupported-syntax', `${id.text} is used before its declaration`);
  if (ctx.mode === 'function') reject('unsupported-syntax', `reads outer variable ${id.text}`);
  // `var ret = []` just before the loop that fills it: a fresh output array of the loop kernel.
  if (bindFreeFresh(ctx, id, sym)) return ctx.bindings.get(sym)!;
  const kind = identifierKind(ctx, id, sym);
  const b = bindParam(ctx, sym, id.text, kind);
  if (b.kind === 'scalar') {
    ctx.freeParams.push(scalarParamOf(b.name, kind));
    ctx.freeScalars.add(b.name);
    ctx.freeScalarVars.set(b.name, id.text);
    if (intByDeclaration(ctx.checker, sym)) ctx.intVars.add(b.name);
  } else {
    ctx.freeParams.push({ kind: 'array', name: b.name, dtype: 'f64', container: 'array', access: 'read' });
  }
  return b;
}

/** Rejects `id` of `type` with the reason it is neither a number nor a numeric array. */
export function describeBadIdentifier(ctx: LowerCtx, id: ts.Identifier, type: ts.Type): never {
  return badType(ctx, id.text, type);
}

export { describeBadIdentifier as describeBadType };
