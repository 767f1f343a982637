// `number[][]` read row by row in a hot loop (`m[i][j]` with `j < m[i].length`) → one flat
// Float64Array with a stride, filled once before the outermost loop around it: one contiguous block
// instead of an array of row objects, each its own allocation.
import { ts } from '../../analysis/ts.js';
import { forEachDescendant } from '../io/scope.js';
import type { TextEdit } from '../types.js';
import { elementType } from './elementType.js';
import { indexLoop } from './objects.js';
import {
  awaits,
  declarationOf,
  enclosingLoops,
  firstImpureCall,
  freshName,
  indentAt,
  isWritten,
  lineStartAt,
  uses,
} from './syntax.js';
import type { AdvisorVerdict } from './types.js';

export interface RowsSite {
  /** The loop over the rows (`for (let i = 0; i < m.length; i++)`). */
  readonly loop: ts.ForStatement;
  readonly array: ts.Identifier;
  readonly index: string;
  /** `m[i][j]` reads and `m[i].length` bounds, to replace. */
  readonly cells: readonly ts.ElementAccessExpression[];
  readonly lengths: readonly ts.PropertyAccessExpression[];
  readonly problem: string | undefined;
}

/** True when `j` is the index of a loop around `at` bounded by `j < m[i].length`. */
function boundedByRow(j: string, rowText: string, at: ts.Node): boolean {
  return enclosingLoops(at).some((l) => {
    if (!ts.isForStatement(l)) return false;
    const d =
      l.initializer && ts.isVariableDeclarationList(l.initializer)
        ? l.initializer.declarations[0]
        : undefined;
    const c = l.condition;
    return (
      d !== undefined &&
      ts.isIdentifier(d.name) &&
      d.name.text === j &&
      d.initializer?.getText() === '0' &&
      c !== undefined &&
      ts.isBinaryExpression(c) &&
      c.operatorToken.kind === ts.SyntaxKind.LessThanToken &&
      c.left.getText() === j &&
      c.right.getText().replace(/\s+/g, '') === `${rowText}.length` &&
      !uses(l.statement, j).some((u) => isWritten(u))
    );
  });
}

function rowsSite(loop: ts.ForStatement, source: ts.SourceFile): RowsSite | undefined {
  const h = indexLoop(loop);
  if (!h) return undefined;
  const { index, array } = h;
  const cells: ts.ElementAccessExpression[] = [];
  const lengths: ts.PropertyAccessExpression[] = [];
  let problem: string | undefined;
  const rowText = `${array.text}[${index}]`;
  for (const r of uses(loop.statement, array.text)) {
    const p = r.parent;
    const row =
      ts.isElementAccessExpression(p) && p.expression === r && p.argumentExpression.getText(source) === index;
    const q = p.parent;
    if (row && ts.isElementAccessExpression(q) && q.expression === p) {
      const j = q.argumentExpression;
      if (isWritten(q)) problem ??= `the loop writes \`${q.getText(source)}\`: the flat copy would go stale`;
      else if (!ts.isIdentifier(j) || !boundedByRow(j.text, rowText, q))
        problem ??= `\`${q.getText(source)}\`: the column index is not a loop index bounded by \`${rowText}.length\``;
      cells.push(q);
    } else if (row && ts.isPropertyAccessExpression(q) && q.name.text === 'length' && !isWritten(q))
      lengths.push(q);
    else if (!(ts.isPropertyAccessExpression(p) && p.name.text === 'length' && !isWritten(p)))
      problem ??= `the loop uses \`${array.text}\` other than as \`${rowText}[j]\` (\`${(row ? q : p).getText(source)}\`)`;
  }
  if (cells.length === 0) return undefined;
  if (uses(loop.statement, index).some((u) => isWritten(u)))
    problem ??= `the loop changes its index \`${index}\``;
  return { loop, array, index, cells, lengths, problem };
}

export function rowsSites(source: ts.SourceFile): RowsSite[] {
  const out: RowsSite[] = [];
  forEachDescendant(source, (n) => {
    const s = ts.isForStatement(n) ? rowsSite(n, source) : undefined;
    if (s) out.push(s);
    return true;
  });
  return out;
}

export function rowsVerdict(site: RowsSite, source: ts.SourceFile, typescript: boolean): AdvisorVerdict {
  const no = (reason: string): AdvisorVerdict => ({ kind: 'left-alone', reason });
  const { loop, array } = site;
  const m = array.text;
  const outer = enclosingLoops(loop);
  if (awaits(loop) || outer.some((l) => awaits(l)))
    return no(
      'the loop awaits: it is IO-bound (the IO advisor’s advice only), memory layout is not its cost',
    );
  if (site.problem) return no(site.problem);
  const decl = declarationOf(m, loop);
  if (!decl) return no(`\`${m}\` is not a local variable or parameter`);
  const el = elementType(decl.type, source);
  if (el.kind === 'unknown') return no(`the rows of \`${m}\` are not known to be numbers: ${el.why}`);
  if (el.kind === 'objects') return no(`\`${m}\` holds objects, not rows of numbers`);
  const init = ts.isVariableDeclaration(decl) ? decl.initializer : undefined;
  if (init && ts.isArrayLiteralExpression(init))
    return no(
      `\`${m}\` is a literal of ${init.elements.length} rows: a constant-size matrix, too small for a copy to pay`,
    );
  const hoist = outer.filter((l) => !(decl.pos >= l.pos && decl.end <= l.end)).at(-1);
  if (!hoist)
    return no(
      'not hot enough: the rows are read once per call of its function, so a flat copy at its start would cost what it saves (no enclosing loop to hoist it out of)',
    );
  const impure = firstImpureCall(hoist, source, m);
  if (impure) return no(`the loop around it calls ${impure}: it could change the rows the flat copy holds`);
  let changed: string | undefined;
  forEachDescendant(hoist, (n) => {
    if (changed) return false;
    if (ts.isIdentifier(n) && n.text === m) {
      const p = n.parent;
      const q = p.parent;
      if (
        isWritten(n) ||
        (ts.isElementAccessExpression(p) &&
          (isWritten(p) || (ts.isElementAccessExpression(q) && isWritten(q))))
      )
        changed = `the loop around it changes \`${m}\` (\`${q.getText(source)}\`)`;
    }
    return true;
  });
  if (changed) return no(changed);
  return { kind: 'rewrite', ...rowsRewrite(site, hoist, source, typescript) };
}

function rowsRewrite(
  site: RowsSite,
  hoist: ts.IterationStatement,
  source: ts.SourceFile,
  typescript: boolean,
): { summary: string; assumes: string; edits: TextEdit[] } {
  const text = source.text;
  const m = site.array.text;
  const flat = freshName(text, `${m}Flat`);
  const stride = freshName(text, `${m}Stride`, new Set([flat]));
  const r = freshName(text, 'r', new Set([flat, stride]));
  const row = freshName(text, 'row', new Set([flat, stride, r]));
  const bang = typescript ? '!' : '';
  const at = ts.isLabeledStatement(hoist.parent) ? hoist.parent : hoist;
  const ind = indentAt(text, at.getStart(source));
  const lines = [
    `// hotloop: ${m}'s rows as one flat Float64Array (row r at r * ${stride}), read-only below`,
    `const ${stride} = ${m}.length > 0 ? ${m}[0]${bang}.length : 0;`,
    `const ${flat} = new Float64Array(${m}.length * ${stride});`,
    `for (let ${r} = 0; ${r} < ${m}.length; ${r}++) {`,
    `  const ${row} = ${m}[${r}]${bang};`,
    `  if (${row}.length !== ${stride}) throw new RangeError(\`${m}: row \${${r}} has \${${row}.length} values, row 0 has \${${stride}}\`);`,
    `  ${flat}.set(${row}, ${r} * ${stride});`,
    '}',
  ];
  const start = lineStartAt(text, at.getStart(source));
  const edits: TextEdit[] = [{ start, end: start, text: lines.map((l) => `${ind}${l}\n`).join('') }];
  for (const c of site.cells)
    edits.push({
      start: c.getStart(source),
      end: c.end,
      text: `${flat}[${site.index} * ${stride} + ${c.argumentExpression.getText(source)}]${bang}`,
    });
  for (const l of site.lengths) edits.push({ start: l.getStart(source), end: l.end, text: stride });
  return {
    summary: `\`${m}\` is a \`number[][]\` the hot loop reads row by row: copy it once into one flat Float64Array with a stride before the enclosing loop (one contiguous block, no row pointer per access)`,
    assumes: `nothing changes \`${m}\` or its rows while the enclosing loop runs; all rows have the same length (the copy throws a RangeError otherwise)`,
    edits,
  };
}
