// Parsing straight into columns: when the records are read only by the pipelines (and `.length`),
// the parser's `.map` becomes a loop that fills the columns, and no record object is made. The
// callback's statements run as before, per line and in order; the fields no pipeline reads are
// dropped, so they must be pure (property reads, arithmetic, `Number(…)`: nothing that could throw
// or have an effect).
import { ts } from '../../analysis/ts.js';
import { forEachDescendant } from '../io/scope.js';
import { PURE_CALL } from './chains.js';
import type { FieldKind, RecordBinding } from './records.js';

function pure(e: ts.Node): boolean {
  let ok = true;
  const check = (n: ts.Node): boolean => {
    if (
      (ts.isCallExpression(n) && !PURE_CALL.test(n.expression.getText())) ||
      ts.isNewExpression(n) ||
      ts.isFunctionLike(n) ||
      ts.isAwaitExpression(n) ||
      ts.isYieldExpression(n) ||
      ts.isTaggedTemplateExpression(n) ||
      ts.isDeleteExpression(n) ||
      ts.isPostfixUnaryExpression(n) ||
      (ts.isPrefixUnaryExpression(n) &&
        (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) ||
      (ts.isBinaryExpression(n) &&
        n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
        n.operatorToken.kind <= ts.SyntaxKind.LastAssignment)
    )
      ok = false;
    return ok;
  };
  if (check(e)) forEachDescendant(e, check);
  return ok;
}

function freshName(text: string, base: string): string {
  for (let k = 0; ; k++) {
    const name = k === 0 ? base : `${base}${k}`;
    if (!new RegExp(`\\b${name}\\b`).test(text)) return name;
  }
}

export interface DirectParse {
  /** The statement that replaces the records' declaration (the source, the columns, the filling loop). */
  readonly text: string;
  /** The source array's name: the pipelines' loops and `.length` read it instead of the records. */
  readonly src: string;
  /** The loop index's name (free in the pipelines' callbacks and in the parser). */
  readonly i: string;
}

/** The parse-into-columns replacement of `b`'s declaration, or why it cannot be done. */
export function directParse(
  b: RecordBinding,
  cols: ReadonlyMap<string, FieldKind>,
  colsName: string,
  indent: string,
  bang: string,
): DirectParse | string {
  const p = b.parser;
  if (!p || ts.isParameter(b.decl) || b.decl.declarationList.declarations.length !== 1) return 'no parser';
  const { fn, obj } = p;
  if (fn.parameters.length !== 1 || !ts.isIdentifier(fn.parameters[0]!.name))
    return 'the parser takes an index';
  if (fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword) || fn.asteriskToken)
    return 'async parser';
  const src = fn.getSourceFile();
  const body = ts.isBlock(fn.body) ? fn.body.statements.slice(0, -1) : [];
  const seen = { early: false, self: false };
  for (const s of body)
    forEachDescendant(
      s,
      (n) => {
        if (ts.isReturnStatement(n)) seen.early = true;
        if (n.kind === ts.SyntaxKind.ThisKeyword || (ts.isIdentifier(n) && n.text === 'arguments'))
          seen.self = true;
        return true;
      },
      true,
    );
  if (seen.early || seen.self || body.some((s) => ts.isReturnStatement(s)))
    return 'the parser returns early or uses this';
  const values = new Map<string, ts.Expression>();
  for (const prop of obj.properties) {
    const name =
      ts.isPropertyAssignment(prop) || ts.isShorthandPropertyAssignment(prop) ? prop.name.getText(src) : '';
    const value = ts.isPropertyAssignment(prop)
      ? prop.initializer
      : ts.isShorthandPropertyAssignment(prop)
        ? prop.name
        : undefined;
    if (!value) return 'the parser returns more than fields';
    if (!cols.has(name) && !pure(value)) return `the parser's field \`${name}\` has effects`;
    values.set(name.replace(/^['"]|['"]$/g, ''), value);
  }
  const fnText = fn.getText(src);
  const srcName = freshName(src.text, `${b.name.text}Source`);
  const i = freshName(`${fnText} ${srcName} ${colsName}`, 'i');
  const param = fn.parameters[0]!.name.getText(src);
  const pad = `${indent}  `;
  const entries = [...cols].map(([f, kind]) =>
    kind === 'Array'
      ? `${pad}${f}: new Array(${srcName}.length),`
      : `${pad}${f}: new ${kind}(${srcName}.length),`,
  );
  const lines = [
    `const ${srcName} = ${p.receiver.getText(src)};`,
    `${indent}// Hotloop (columnar): the parser fills one column per field the pipelines read; no record objects.`,
    `${indent}const ${colsName} = {`,
    ...entries,
    `${indent}};`,
    `${indent}for (let ${i} = 0; ${i} < ${srcName}.length; ${i}++) {`,
    `${pad}const ${param} = ${srcName}[${i}]${bang};`,
    ...body.map((s) => `${pad}${s.getText(src)}`),
    ...[...cols.keys()].map((f) => `${pad}${colsName}.${f}[${i}] = ${values.get(f)!.getText(src)};`),
    `${indent}}`,
  ];
  return { text: lines.join('\n'), src: srcName, i };
}
