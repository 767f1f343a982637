// The columnar advisor: an array of records (parsed from CSV/JSON) that filter/map/reduce pipelines
// read numeric fields from → one typed column per field read (Float64Array; Int32Array where the
// parser makes an int32), built once right after the parse, and each pipeline one loop over the
// columns. Left alone, with the reason: small arrays, records that escape or change, records without
// numeric fields, and one pass over the records (building the columns is a pass too: it cannot pay).
import { scriptKindOf, ts } from '../../analysis/ts.js';
import type { Range } from '../../analysis/types.js';
import { lineIndent } from '../io/rewrite.js';
import { forEachDescendant } from '../io/scope.js';
import type { TextEdit } from '../types.js';
import { chainLoop, classifyUse, type Chain, type Names } from './chains.js';
import { directParse } from './direct.js';
import { recordBindings, type FieldKind, type RecordBinding } from './records.js';
import type { ColumnarFinding, ColumnarVerdict, ColumnType } from './types.js';

/** Fewer records than this: building columns costs more than the pipelines save. */
export const SMALL_RECORDS = 1000;

const ITERATING = new Set(['map', 'forEach', 'flatMap', 'filter', 'reduce', 'some', 'every', 'find', 'from']);

function rangeOf(source: ts.SourceFile, n: ts.Node): Range {
  const s = source.getLineAndCharacterOfPosition(n.getStart(source));
  const e = source.getLineAndCharacterOfPosition(n.end);
  return { start: { line: s.line, character: s.character }, end: { line: e.line, character: e.character } };
}

function functionOf(n: ts.Node): ts.SignatureDeclaration | undefined {
  for (let p = n.parent as ts.Node | undefined; p; p = p.parent) if (ts.isFunctionLike(p)) return p;
  return undefined;
}

function functionName(fn: ts.SignatureDeclaration | undefined): string {
  if (!fn) return '<module>';
  if (fn.name && ts.isIdentifier(fn.name)) return fn.name.text;
  return ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)
    ? fn.parent.name.text
    : '<anonymous>';
}

/** The node the binding is visible in. */
function scopeOf(b: RecordBinding): ts.Node {
  return ts.isParameter(b.decl) ? b.decl.parent : b.decl.parent;
}

/** Does `n` run more than once per run of `scope` (in a loop, or in a callback of an iterating call)? */
function repeated(n: ts.Node, scope: ts.Node): boolean {
  for (let p = n.parent as ts.Node | undefined; p && p !== scope; p = p.parent) {
    if (ts.isIterationStatement(p, false)) return true;
    if (
      ts.isFunctionLike(p) &&
      ts.isCallExpression(p.parent) &&
      ts.isPropertyAccessExpression(p.parent.expression) &&
      ITERATING.has(p.parent.expression.name.text)
    )
      return true;
  }
  return false;
}

function freshName(text: string, base: string): string {
  for (let k = 0; ; k++) {
    const name = k === 0 ? base : `${base}${k}`;
    if (!new RegExp(`\\b${name}\\b`).test(text)) return name;
  }
}

interface Uses {
  readonly chains: Chain[];
  /** `rows.length` reads (outside pipelines). */
  readonly lengths: ts.PropertyAccessExpression[];
  readonly others: string[];
  readonly pipeline: boolean;
}

function usesOf(b: RecordBinding, scope: ts.Node): Uses {
  const name = b.name.text;
  const out: Uses = { chains: [], lengths: [], others: [], pipeline: false };
  forEachDescendant(scope, (n) => {
    if (!ts.isIdentifier(n) || n.text !== name || n === b.name) return true;
    const p = n.parent;
    if ((ts.isPropertyAccessExpression(p) && p.name === n) || (ts.isPropertyAssignment(p) && p.name === n))
      return true;
    if ((ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isFunctionDeclaration(p)) && p.name === n) {
      out.others.push(`the name \`${name}\` is declared again inside`);
      return true;
    }
    if (ts.isPropertyAccessExpression(p) && p.expression === n && /^(filter|map|reduce)$/.test(p.name.text))
      (out as { pipeline: boolean }).pipeline = true;
    const u = classifyUse(n, b.fields);
    if (u.kind === 'chain') out.chains.push(u.chain);
    else if (u.kind === 'length') out.lengths.push(u.node);
    else out.others.push(u.reason);
    return true;
  });
  return out;
}

function columnsBuild(
  b: RecordBinding,
  cols: ReadonlyMap<string, FieldKind>,
  names: Names,
  indent: string,
): string {
  const { rows, i } = names;
  const row = freshName(`${rows} ${names.cols}`, 'row');
  const entries = [...cols].map(([f, kind]) =>
    kind === 'Array'
      ? `${indent}  ${f}: ${rows}.map((${row}) => ${row}.${f}),`
      : `${indent}  ${f}: new ${kind}(${rows}.length),`,
  );
  const fills = [...cols]
    .filter(([, k]) => k !== 'Array')
    .map(([f]) => `${indent}  ${names.cols}.${f}[${i}] = ${row}.${f};`);
  const by = b.source === 'typed' ? 'built once' : 'built once, right after the parse';
  return [
    `${indent}// Hotloop (columnar): one column per field the pipelines read, ${by}.`,
    `${indent}const ${names.cols} = {`,
    ...entries,
    `${indent}};`,
    `${indent}for (let ${i} = 0; ${i} < ${rows}.length; ${i}++) {`,
    `${indent}  const ${row} = ${rows}[${i}]${names.bang};`,
    ...fills,
    `${indent}}`,
    '',
  ].join('\n');
}

function verdictOf(b: RecordBinding, u: Uses, source: ts.SourceFile, typescript: boolean): ColumnarVerdict {
  const no = (reason: string): ColumnarVerdict => ({ kind: 'left-alone', reason });
  const numeric = [...b.fields].filter(([, k]) => k !== 'Array').map(([f]) => f);
  if (b.source === 'array-literal' || (b.size !== undefined && b.size < SMALL_RECORDS))
    return no(
      `a small array (${b.size ?? '?'} records${b.source === 'array-literal' ? ' written out in the source' : ''}): building columns costs more than the pipelines save below ~${SMALL_RECORDS}`,
    );
  if (numeric.length === 0)
    return no(
      `the records have no numeric field (${[...b.fields.keys()].join(', ')}): typed columns would hold nothing`,
    );
  if (u.others.length > 0) return no(u.others[0]!);
  const read = new Set(u.chains.flatMap((c) => [...c.fields]));
  if (![...read].some((f) => numeric.includes(f)))
    return no(
      `the pipelines read only non-numeric fields (${[...read].join(', ') || 'none'}): typed columns would not help`,
    );
  const scope = scopeOf(b);
  if (u.chains.length < 2 && !u.chains.some((c) => repeated(c.node, scope)))
    return no(
      'one pipeline, run once: it reads the records in one pass, and building the columns is a pass too — it cannot pay',
    );
  const fn = ts.isParameter(b.decl) ? b.decl.parent : undefined;
  if (fn && (!('body' in fn) || !fn.body || !ts.isBlock(fn.body)))
    return no('the function has no block body to build the columns in');
  for (const c of u.chains)
    for (const d of u.chains)
      if (c !== d && c.node.pos <= d.node.pos && d.node.end <= c.node.end)
        return no("a pipeline runs inside another pipeline's callback");
  return rewrite(b, u, read, source, typescript);
}

function rewrite(
  b: RecordBinding,
  u: Uses,
  read: ReadonlySet<string>,
  source: ts.SourceFile,
  typescript: boolean,
): ColumnarVerdict {
  const text = source.text;
  const rows = b.name.text;
  const cols = new Map([...b.fields].filter(([f]) => read.has(f)));
  const colsName = freshName(text, `${rows}Cols`);
  const bang = typescript ? '!' : '';
  const edits: TextEdit[] = [];
  const anchor = ts.isParameter(b.decl) ? (b.decl.parent as ts.FunctionLikeDeclaration).body! : b.decl;
  const buildNames: Names = {
    rows,
    cols: colsName,
    i: freshName(`${rows} ${colsName}`, 'i'),
    acc: '',
    v: '',
    bang,
  };
  const { chains, lengths } = u;
  const inChain = lengths.some((l) => chains.some((c) => c.node.pos <= l.pos && l.end <= c.node.end));
  const direct = inChain
    ? undefined
    : directParse(b, cols, colsName, lineIndent(text, anchor.getStart(source)), bang);
  const src = typeof direct === 'object' ? direct.src : undefined;
  if (typeof direct === 'object') {
    edits.push({ start: b.decl.getStart(source), end: b.decl.end, text: direct.text });
    for (const l of lengths)
      edits.push({ start: l.getStart(source), end: l.end, text: `${direct.src}.length` });
  } else if (ts.isBlock(anchor) && ts.isParameter(b.decl)) {
    const first = anchor.statements[0];
    const indent = first
      ? lineIndent(text, first.getStart(source))
      : `${lineIndent(text, anchor.getStart(source))}  `;
    const at = text.indexOf('\n', anchor.getStart(source)) + 1;
    edits.push({ start: at, end: at, text: columnsBuild(b, cols, buildNames, indent) });
  } else {
    const nl = text.indexOf('\n', anchor.end);
    const at = nl < 0 ? text.length : nl + 1;
    edits.push({
      start: at,
      end: at,
      text: columnsBuild(b, cols, buildNames, lineIndent(text, anchor.getStart(source))),
    });
  }
  for (const c of chains) {
    const around = `${c.node.getText(source)} ${rows} ${colsName}`;
    const names: Names = {
      rows: src ?? rows,
      cols: colsName,
      i: freshName(around, 'i'),
      acc: freshName(around, 'acc'),
      v: freshName(around, 'v'),
      bang,
    };
    edits.push({
      start: c.node.getStart(source),
      end: c.node.end,
      text: chainLoop(c, names, lineIndent(text, c.node.getStart(source))),
    });
  }
  const columns = [...cols]
    .filter(([, k]) => k !== 'Array')
    .map(([field, type]) => ({ field, type: type as ColumnType }));
  const assumes = [
    `nothing changes \`${rows}\` or its records after the columns are built`,
    'no callback throws (the fused loop runs the stages element by element, so a different one would throw first)',
    ...(b.source === 'typed'
      ? [
          `the fields typed \`number\` hold numbers at run time (${columns.map((c) => c.field).join(', ')}; JSON.parse does not check)`,
        ]
      : []),
    ...(ts.isParameter(b.decl)
      ? [`the caller does not share the records with code that changes them while the function runs`]
      : []),
    ...(src ? [`\`${src}\` has no holes (\`.map\` skipped them)`] : []),
  ].join('; ');
  return {
    kind: 'rewrite',
    summary: `${chains.length} pipeline(s) over the records \`${rows}\` read numeric fields: one typed column per field (${columns.map((c) => `${c.field}: ${c.type}`).join(', ')}), ${src ? 'filled by the parser itself (no record objects)' : 'built once'}; each pipeline becomes one loop over the columns (filters as predicates, no intermediate arrays, same order of operations)`,
    assumes,
    columns,
    pipelines: chains.length,
    edits,
  };
}

/** Finds the columnar opportunities of one file. */
export function adviseColumnar(fileName: string, text: string): ColumnarFinding[] {
  const kind = scriptKindOf(fileName);
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true, kind);
  const typescript = kind === ts.ScriptKind.TS || kind === ts.ScriptKind.TSX;
  const out: ColumnarFinding[] = [];
  for (const b of recordBindings(source)) {
    const u = usesOf(b, scopeOf(b));
    if (!u.pipeline) continue;
    const at = ts.isParameter(b.decl) ? b.decl : b.decl;
    out.push({
      advisor: 'columnar',
      source: b.source,
      records: b.name.text,
      file: fileName,
      line: source.getLineAndCharacterOfPosition(at.getStart(source)).line + 1,
      range: rangeOf(source, at),
      functionName: functionName(functionOf(b.name)),
      verdict: verdictOf(b, u, source, typescript),
    });
  }
  return out;
}
