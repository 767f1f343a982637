// Which bindings hold arrays of records, and which of their fields are numbers — syntax only: the
// object literal a parser's `.map` callback returns (`price: Number(f[2])`), or a local interface /
// type alias the records are declared with (`JSON.parse(text) as Trade[]`, `rows: Trade[]`).
import { ts } from '../../analysis/ts.js';
import type { ColumnType, RecordSource } from './types.js';

/** A field's column: a typed array for numbers, a plain array for anything else. */
export type FieldKind = ColumnType | 'Array';

export interface RecordBinding {
  readonly name: ts.Identifier;
  readonly source: RecordSource;
  /** Every field the records are known to have. */
  readonly fields: ReadonlyMap<string, FieldKind>;
  /** The record count when the source says it (an array literal, `Array.from({ length: K })`). */
  readonly size?: number;
  /** The variable statement (columns go after it) or the parameter (columns open the function body). */
  readonly decl: ts.VariableStatement | ts.ParameterDeclaration;
  /** For `const rows = src.map((line) => { …; return { … } })`: the parser, to fill columns directly. */
  readonly parser?: Parser;
}

export interface Parser {
  readonly receiver: ts.Expression;
  readonly fn: ts.ArrowFunction | ts.FunctionExpression;
  readonly obj: ts.ObjectLiteralExpression;
}

const strip = (e: ts.Expression): ts.Expression => {
  let x = e;
  while (ts.isParenthesizedExpression(x) || ts.isAsExpression(x) || ts.isSatisfiesExpression(x))
    x = x.expression;
  return x;
};

const NUMBER_CALLS = new Set(['Number', 'parseFloat', 'parseInt', 'Number.parseFloat', 'Number.parseInt']);
const INT32_OPS = new Set([
  ts.SyntaxKind.BarToken,
  ts.SyntaxKind.AmpersandToken,
  ts.SyntaxKind.CaretToken,
  ts.SyntaxKind.LessThanLessThanToken,
  ts.SyntaxKind.GreaterThanGreaterThanToken,
]);
const ARITH_OPS = new Set([
  ts.SyntaxKind.PlusToken,
  ts.SyntaxKind.MinusToken,
  ts.SyntaxKind.AsteriskToken,
  ts.SyntaxKind.SlashToken,
  ts.SyntaxKind.PercentToken,
]);

/** The column a value expression fills: Int32Array only where the value is an int32 by construction. */
export function valueKind(e: ts.Expression, locals: ReadonlyMap<string, ts.Expression>): FieldKind {
  const x = strip(e);
  if (ts.isNumericLiteral(x)) return 'Float64Array';
  if (ts.isIdentifier(x)) {
    const init = locals.get(x.text);
    return init ? valueKind(init, new Map()) : 'Array';
  }
  if (ts.isPrefixUnaryExpression(x)) {
    if (x.operator === ts.SyntaxKind.PlusToken) return 'Float64Array';
    if (x.operator === ts.SyntaxKind.MinusToken)
      return valueKind(x.operand, locals) === 'Array' ? 'Array' : 'Float64Array';
    return 'Array';
  }
  if (ts.isCallExpression(x)) {
    const callee = x.expression.getText();
    return NUMBER_CALLS.has(callee) || /^Math\.\w+$/.test(callee) ? 'Float64Array' : 'Array';
  }
  if (ts.isBinaryExpression(x)) {
    const op = x.operatorToken.kind;
    if (INT32_OPS.has(op)) return 'Int32Array';
    if (ARITH_OPS.has(op)) {
      const [l, r] = [valueKind(x.left, locals), valueKind(x.right, locals)];
      return l !== 'Array' && r !== 'Array' ? 'Float64Array' : 'Array';
    }
  }
  return 'Array';
}

/** The object literal a callback returns (expression body, or a block ending in its only return). */
function returnedObject(
  fn: ts.Expression,
): { obj: ts.ObjectLiteralExpression; locals: Map<string, ts.Expression> } | undefined {
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
  const locals = new Map<string, ts.Expression>();
  if (!ts.isBlock(fn.body)) {
    const b = strip(fn.body);
    return ts.isObjectLiteralExpression(b) ? { obj: b, locals } : undefined;
  }
  const stmts = fn.body.statements;
  const last = stmts[stmts.length - 1];
  if (!last || !ts.isReturnStatement(last) || !last.expression) return undefined;
  const obj = strip(last.expression);
  if (!ts.isObjectLiteralExpression(obj)) return undefined;
  for (const s of stmts.slice(0, -1)) {
    // Only consts: a `let` may be given a string later in the callback.
    if (!ts.isVariableStatement(s) || !(s.declarationList.flags & ts.NodeFlags.Const)) continue;
    for (const d of s.declarationList.declarations)
      if (ts.isIdentifier(d.name) && d.initializer) locals.set(d.name.text, d.initializer);
  }
  return { obj, locals };
}

function literalFields(
  obj: ts.ObjectLiteralExpression,
  locals: ReadonlyMap<string, ts.Expression>,
): Map<string, FieldKind> | undefined {
  const out = new Map<string, FieldKind>();
  for (const p of obj.properties) {
    if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)))
      out.set(p.name.text, valueKind(p.initializer, locals));
    else if (ts.isShorthandPropertyAssignment(p)) out.set(p.name.text, valueKind(p.name, locals));
    else return undefined; // spreads, computed keys, methods: the fields are not known
  }
  return out;
}

/** The element type name of `T[]`, `readonly T[]`, `Array<T>`, `ReadonlyArray<T>`. */
function elementTypeName(t: ts.TypeNode | undefined): string | undefined {
  if (!t) return undefined;
  if (ts.isTypeOperatorNode(t) && t.operator === ts.SyntaxKind.ReadonlyKeyword)
    return elementTypeName(t.type);
  if (
    ts.isArrayTypeNode(t) &&
    ts.isTypeReferenceNode(t.elementType) &&
    ts.isIdentifier(t.elementType.typeName)
  )
    return t.elementType.typeName.text;
  if (
    ts.isTypeReferenceNode(t) &&
    ts.isIdentifier(t.typeName) &&
    (t.typeName.text === 'Array' || t.typeName.text === 'ReadonlyArray') &&
    t.typeArguments?.length === 1
  )
    return elementTypeName(ts.factory.createArrayTypeNode(t.typeArguments[0]!));
  return undefined;
}

/** Fields of a local interface or object type alias: `number` → Float64Array, else a plain column. */
function typeFields(source: ts.SourceFile, name: string): Map<string, FieldKind> | undefined {
  for (const s of source.statements) {
    const members = ts.isInterfaceDeclaration(s)
      ? s.name.text === name && !s.heritageClauses
        ? s.members
        : undefined
      : ts.isTypeAliasDeclaration(s) && s.name.text === name && ts.isTypeLiteralNode(s.type)
        ? s.type.members
        : undefined;
    if (!members) continue;
    const out = new Map<string, FieldKind>();
    for (const m of members) {
      if (!ts.isPropertySignature(m) || !(ts.isIdentifier(m.name) || ts.isStringLiteral(m.name)))
        return undefined;
      const num = !m.questionToken && m.type?.kind === ts.SyntaxKind.NumberKeyword;
      out.set(m.name.text, num ? 'Float64Array' : 'Array');
    }
    return out;
  }
  return undefined;
}

type Found = Pick<RecordBinding, 'source' | 'fields' | 'size' | 'parser'>;

function fromInitializer(init: ts.Expression, source: ts.SourceFile): Found | undefined {
  const x = strip(init);
  if (ts.isArrayLiteralExpression(x) && x.elements.length > 0) {
    let fields: Map<string, FieldKind> | undefined;
    for (const el of x.elements) {
      const f = ts.isObjectLiteralExpression(el) ? literalFields(el, new Map()) : undefined;
      if (!f) return undefined;
      if (fields) for (const [k, v] of fields) if (f.get(k) !== v) fields.set(k, 'Array');
      fields ??= f;
    }
    return fields && { source: 'array-literal', fields, size: x.elements.length };
  }
  if (!ts.isCallExpression(x)) return undefined;
  const callee = x.expression;
  const isMap =
    ts.isPropertyAccessExpression(callee) && callee.name.text === 'map' && x.arguments.length === 1;
  const isFrom = callee.getText(source) === 'Array.from' && x.arguments.length === 2;
  if (!isMap && !isFrom) return undefined;
  const fn = x.arguments[x.arguments.length - 1]!;
  const ret = returnedObject(fn);
  const fields = ret && literalFields(ret.obj, ret.locals);
  if (!fields) return undefined;
  const parser =
    isMap && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))
      ? { receiver: callee.expression, fn, obj: ret.obj }
      : undefined;
  let size: number | undefined;
  const len = isFrom ? x.arguments[0]! : undefined;
  if (len && ts.isObjectLiteralExpression(len))
    for (const p of len.properties)
      if (
        ts.isPropertyAssignment(p) &&
        p.name.getText(source) === 'length' &&
        ts.isNumericLiteral(p.initializer)
      )
        size = Number(p.initializer.text);
  return { source: 'mapped-literal', fields, size, parser };
}

/** The record bindings of a file: `const` variables and typed parameters. */
export function recordBindings(source: ts.SourceFile): RecordBinding[] {
  const out: RecordBinding[] = [];
  const typed = (t: ts.TypeNode | undefined): Found | undefined => {
    const name = elementTypeName(t);
    const fields = name !== undefined ? typeFields(source, name) : undefined;
    return fields && { source: 'typed', fields };
  };
  const visit = (n: ts.Node): void => {
    if (ts.isVariableStatement(n) && n.declarationList.flags & ts.NodeFlags.Const)
      for (const d of n.declarationList.declarations) {
        if (!ts.isIdentifier(d.name) || !d.initializer) continue;
        const asType = ts.isAsExpression(d.initializer) ? d.initializer.type : undefined;
        const found = fromInitializer(d.initializer, source) ?? typed(d.type) ?? typed(asType);
        if (found) out.push({ name: d.name, decl: n, ...found });
      }
    if (ts.isParameter(n) && ts.isIdentifier(n.name) && !n.dotDotDotToken) {
      const found = typed(n.type);
      if (found) out.push({ name: n.name, decl: n, ...found });
    }
    ts.forEachChild(n, visit);
  };
  visit(source);
  return out;
}
