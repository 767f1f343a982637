// Plain objects used as hash maps — `counts[k] = (counts[k] || 0) + 1`, `k in seen`, `delete open[id]`
// in a loop — become a `Map` (`get`/`set`/`has`/`delete`): no dictionary-mode object, no string
// conversion of numeric keys on every access. Where the object is used as an object after the loop
// (returned, `Object.entries`, JSON), it is rebuilt once there with `Object.fromEntries`, so what the
// program sees is the same object. Syntax only; the key type comes from the declared type.
import { ts } from '../../analysis/ts.js';
import type { TextEdit } from '../types.js';
import { applyEdits } from '../io/index.js';
import type { AdvisorVerdict } from '../layout/types.js';
import { awaits, enclosingLoops, freshName, isWritten, uses } from '../layout/syntax.js';
import { afterLoopEdits } from './afterLoop.js';
import { keyFacts } from './keys.js';
import { TABLE_CLASS, tableHelperText, tableMisfit } from './table.js';

export interface HashSite {
  readonly statement: ts.VariableStatement;
  readonly decl: ts.VariableDeclaration & {
    readonly name: ts.Identifier;
    readonly initializer: ts.Expression;
  };
  readonly block: ts.Block | ts.SourceFile | ts.ModuleBlock;
  /** Uses of the object in its block (the declared name excluded). */
  readonly refs: readonly ts.Identifier[];
  /** The `o[k]` uses inside loops. */
  readonly inLoops: readonly ts.ElementAccessExpression[];
}

function isEmptyObject(e: ts.Expression): boolean {
  return ts.isObjectLiteralExpression(e) && e.properties.length === 0;
}
function isNullProto(e: ts.Expression): boolean {
  return (
    ts.isCallExpression(e) &&
    e.expression.getText() === 'Object.create' &&
    e.arguments[0]?.kind === ts.SyntaxKind.NullKeyword
  );
}

export function hashSite(s: ts.Statement): HashSite | undefined {
  if (!ts.isVariableStatement(s) || s.declarationList.declarations.length !== 1) return undefined;
  const decl = s.declarationList.declarations[0]!;
  const block = s.parent;
  if (!ts.isIdentifier(decl.name) || !decl.initializer) return undefined;
  if (!ts.isBlock(block) && !ts.isSourceFile(block) && !ts.isModuleBlock(block)) return undefined;
  const init = decl.initializer;
  if (!ts.isObjectLiteralExpression(init) && !isNullProto(init)) return undefined;
  const refs = uses(block, decl.name.text).filter((r) => r !== decl.name);
  const inLoops = refs
    .map((r) => r.parent)
    .filter(
      (p): p is ts.ElementAccessExpression => ts.isElementAccessExpression(p) && enclosingLoops(p).length > 0,
    );
  // A hash map is filled in the loop: a table only read there (a lookup of constants) is none.
  if (!inLoops.some((e) => isWritten(e))) return undefined;
  return { statement: s, decl: decl as HashSite['decl'], block, refs, inLoops };
}

const CONSTANT_KEY = (k: ts.Expression): boolean =>
  ts.isStringLiteral(k) || ts.isNoSubstitutionTemplateLiteral(k);
const SIMPLE_KEY = (k: ts.Expression): boolean =>
  ts.isIdentifier(k) ||
  ts.isNumericLiteral(k) ||
  ts.isStringLiteral(k) ||
  (ts.isPropertyAccessExpression(k) && SIMPLE_KEY(k.expression));
const COMPOUND: ReadonlyMap<ts.SyntaxKind, string> = new Map([
  [ts.SyntaxKind.PlusEqualsToken, '+'],
  [ts.SyntaxKind.MinusEqualsToken, '-'],
  [ts.SyntaxKind.AsteriskEqualsToken, '*'],
]);

/** The Map form of one use of the object, or why there is none. */
function mapUse(
  r: ts.Identifier,
  m: string,
  source: ts.SourceFile,
  o: { typescript: boolean; numberValues: boolean; sub: (n: ts.Node) => string },
): TextEdit | string {
  const typescript = o.typescript;
  const t = o.sub;
  const edit = (n: ts.Node, text: string): TextEdit => ({ start: n.getStart(source), end: n.end, text });
  const p = r.parent;
  if (ts.isBinaryExpression(p) && p.right === r && p.operatorToken.kind === ts.SyntaxKind.InKeyword)
    return edit(p, `${m}.has(${t(p.left)})`);
  if (!ts.isElementAccessExpression(p) || p.expression !== r)
    return `\`${r.text}\` is used as an object while it is filled (\`${t(p)}\`)`;
  const k = p.argumentExpression;
  const q = p.parent;
  const statement = ts.isExpressionStatement(q.parent);
  if (ts.isDeleteExpression(q))
    return ts.isExpressionStatement(q.parent)
      ? edit(q, `${m}.delete(${t(k)})`)
      : `\`${t(q)}\`'s value is used`;
  if (!isWritten(p)) {
    const guarded =
      (ts.isVariableDeclaration(q) && !q.type) ||
      (ts.isBinaryExpression(q) &&
        q.left === p &&
        [ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(q.operatorToken.kind));
    return edit(p, `${m}.get(${t(k)})${typescript && !guarded ? '!' : ''}`);
  }
  if ((ts.isPrefixUnaryExpression(q) || ts.isPostfixUnaryExpression(q)) && statement && SIMPLE_KEY(k)) {
    if (!o.numberValues) return `\`${t(q)}\`: ++/-- on values not declared as numbers`;
    const op = q.operator === ts.SyntaxKind.PlusPlusToken ? '+' : '-';
    return edit(q, `${m}.set(${t(k)}, ${m}.get(${t(k)})${typescript ? '!' : ''} ${op} 1)`);
  }
  if (!ts.isBinaryExpression(q) || !statement)
    return `\`${t(q)}\`: only whole-statement assignments become Map.set`;
  if (q.operatorToken.kind === ts.SyntaxKind.EqualsToken) return edit(q, `${m}.set(${t(k)}, ${t(q.right)})`);
  const op = COMPOUND.get(q.operatorToken.kind);
  if (!op) return `\`${t(q)}\`: the operator ${q.operatorToken.getText(source)} has no Map form here`;
  if (!SIMPLE_KEY(k)) return `\`${t(q)}\`: the key would be computed twice`;
  return edit(q, `${m}.set(${t(k)}, ${m}.get(${t(k)})${typescript ? '!' : ''} ${op} (${t(q.right)}))`);
}

/** The statement of `block` that holds `n`. */
function statementOf(n: ts.Node, block: HashSite['block']): ts.Statement {
  let s: ts.Node = n;
  while (s.parent !== block) s = s.parent;
  return s as ts.Statement;
}

/** The verdict on one site; `chosen.table` says whether the rewrite is the typed integer table. */
export function hashVerdict(
  site: HashSite,
  source: ts.SourceFile,
  typescript: boolean,
  chosen: { table: boolean } = { table: false },
): AdvisorVerdict {
  const no = (reason: string): AdvisorVerdict => ({ kind: 'left-alone', reason });
  const o = site.decl.name.text;
  const init = site.decl.initializer;
  if (site.inLoops.some((e) => enclosingLoops(e).some((l) => awaits(l))))
    return no('the loop awaits: it is IO-bound (the IO advisor’s advice only), hashing is not its cost');
  if (site.inLoops.every((e) => CONSTANT_KEY(e.argumentExpression)))
    return no(
      `every key is a constant string (${[...new Set(site.inLoops.map((e) => e.argumentExpression.getText(source)))].join(', ')}): a fixed-shape record, fast as it is`,
    );
  if (ts.isObjectLiteralExpression(init) && !isEmptyObject(init))
    return no(
      `\`${o}\` starts with literal keys (${init.properties.map((p) => p.name?.getText(source) ?? '…').join(', ')}): a JSON-like record, not a hash map`,
    );
  const keys = keyFacts(site.decl.type, source);
  if (keys.kind === 'unknown') return no(`the key type of \`${o}\` is unknown: ${keys.why}`);
  if (keys.kind === 'string' && !isNullProto(init))
    return no(
      `string keys on a \`{}\`: keys such as \`toString\` or \`__proto__\` would read Object.prototype's where a Map would not (use \`Object.create(null)\` for an exact rewrite)`,
    );
  const last = statementOf(site.inLoops.at(-1)!, site.block);
  const before = site.refs.filter((r) => r.pos < last.end);
  const after = site.refs.filter((r) => r.pos >= last.end);
  const misfit =
    keys.kind === 'number'
      ? tableMisfit({ typescript, keyKind: keys.kind, value: keys.value, before, after })
      : 'string keys';
  const table = misfit === undefined;
  chosen.table = table;
  const m = freshName(source.text, table ? `${o}Table` : `${o}Map`);
  const edits: TextEdit[] = [];
  // Two passes: the second rebuilds each edit from sub-expressions that have the first's edits in them
  // (`o[k] = (o[k] || 0) + 1` → `.set(k, (.get(k) || 0) + 1)`); edits inside another are then dropped.
  let inner: TextEdit[] = [];
  for (let pass = 0; pass < 2; pass++) {
    const sub = (n: ts.Node): string => {
      const [s0, e0] = [n.getStart(source), n.end];
      const within = inner.filter((e) => e.start >= s0 && e.end <= e0 && !(e.start === s0 && e.end === e0));
      return applyEdits(
        source.text.slice(s0, e0),
        within.map((e) => ({ ...e, start: e.start - s0, end: e.end - s0 })),
      );
    };
    const found: TextEdit[] = [];
    for (const r of before) {
      const e = mapUse(r, m, source, { typescript, numberValues: keys.value === 'number', sub });
      if (typeof e === 'string') return no(e);
      found.push(e);
    }
    inner = found;
  }
  edits.push(...inner.filter((e) => !inner.some((x) => x !== e && x.start <= e.start && x.end >= e.end)));
  const kind =
    site.statement.declarationList.getText(source).startsWith('let') && after.some((r) => isWritten(r))
      ? 'let'
      : 'const';
  const types = typescript ? `<${keys.key}, ${keys.value}>` : '';
  edits.push({
    start: site.decl.getStart(source),
    end: site.decl.end,
    text: table ? `${m} = new ${TABLE_CLASS}()` : `${m} = new Map${types}()`,
  });
  if (table && !new RegExp(`\\bclass ${TABLE_CLASS}\\b`).test(source.text)) {
    // Before the code (a class is not hoisted): after the imports.
    const at = source.statements.filter(ts.isImportDeclaration).at(-1)?.end ?? 0;
    edits.push({
      start: at,
      end: at,
      text: at === 0 ? `${tableHelperText().slice(1)}\n` : `\n${tableHelperText().trimEnd()}`,
    });
  }
  const back = afterLoopEdits({
    after,
    name: o,
    map: m,
    last,
    declaration: {
      kind,
      type: site.decl.type ? `: ${site.decl.type.getText(source)}` : '',
      nullProto: isNullProto(init),
    },
    numberKeys: keys.kind === 'number',
    source,
    typescript,
  });
  edits.push(...back.edits);
  return {
    kind: 'rewrite',
    summary: table
      ? `\`${o}\` is a plain object used as a hash map with number keys and number values in a loop, and nothing after the loop reads it: a typed open-addressing table (${TABLE_CLASS}, added after the imports: uint32 keys in a Uint32Array, values in a Float64Array, any other key in a Map) keeps them without dictionary-mode objects, string conversion or boxed keys`
      : `\`${o}\` is a plain object used as a hash map with ${keys.kind} keys in a loop: a Map keeps them as ${keys.kind === 'number' ? 'numbers (no string conversion per access)' : 'keys'} without dictionary-mode objects${back.note}${keys.kind === 'number' ? ` (not the typed integer table: ${misfit})` : ''}`,
    assumes: `\`${o}\` is only indexed, tested with \`in\` and deleted from while it is filled`,
    edits: edits.sort((a, b) => a.start - b.start),
  };
}
