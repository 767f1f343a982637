// Arrays of objects read field by field in a hot loop → struct of arrays: one Float64Array per field
// the loop reads, filled once before the outermost loop around it (the boundary of the hot region),
// and the loop reads `pointsX[i]` instead of `p.x` (contiguous doubles instead of a pointer chase to
// each object and its boxed fields). Syntax only; the fields' types come from the declared type.
import { ts } from '../../analysis/ts.js';
import { forEachDescendant } from '../io/scope.js';
import type { TextEdit } from '../types.js';
import { elementType } from './elementType.js';
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

/** Arrays shorter than this (as a literal) are too small for columns to pay. */
export const SMALL_LITERAL = 32;

/** One loop reading elements of an array: the element reads it makes, and what else it does with them. */
export interface ObjectsSite {
  readonly loop: ts.ForOfStatement | ts.ForStatement;
  readonly array: ts.Identifier;
  /** The loop's index (for `A[i].f`) — undefined for `for…of`, which the rewrite turns into an index loop. */
  readonly index: string | undefined;
  /** `p.f` / `A[i].f` nodes the loop reads. */
  readonly reads: readonly ts.PropertyAccessExpression[];
  /** The first use that is not a field read, and why it stops the rewrite. */
  readonly problem: string | undefined;
}

/** How an element expression (`p` or `A[i]`) is used: a field read, or the reason it stops the rewrite. */
function elementUse(e: ts.Expression, source: ts.SourceFile): ts.PropertyAccessExpression | string {
  const p = e.parent;
  if (!ts.isPropertyAccessExpression(p) || p.expression !== e)
    return `the element escapes the loop's reads (\`${p.getText(source)}\`): the objects are needed whole`;
  if (ts.isCallExpression(p.parent) && p.parent.expression === p)
    return `a method is called on the elements (\`${p.parent.getText(source)}\`): the objects are needed whole`;
  if (isWritten(p))
    return `the loop writes \`${p.getText(source)}\`: typed columns would go stale (fields written, not only read)`;
  if (ts.isPropertyAccessExpression(p.parent) || ts.isElementAccessExpression(p.parent))
    if (p.parent.expression === p) return `the loop reads through a field (\`${p.parent.getText(source)}\`)`;
  return p;
}

function forOfSite(loop: ts.ForOfStatement, source: ts.SourceFile): ObjectsSite | undefined {
  const init = loop.initializer;
  if (!ts.isIdentifier(loop.expression) || !ts.isVariableDeclarationList(init)) return undefined;
  const d = init.declarations[0];
  if (init.declarations.length !== 1 || !d || !ts.isIdentifier(d.name)) return undefined;
  const refs = uses(loop.statement, d.name.text);
  const found = refs.map((r) => elementUse(r, source));
  const reads = found.filter((x): x is ts.PropertyAccessExpression => typeof x !== 'string');
  if (reads.length === 0) return undefined;
  const problem = found.find((x): x is string => typeof x === 'string');
  return { loop, array: loop.expression, index: undefined, reads, problem };
}

/** `for (let i = 0; i < A.length; i++)` → [i, A], else undefined. */
export function indexLoop(loop: ts.ForStatement): { index: string; array: ts.Identifier } | undefined {
  const init = loop.initializer;
  const d = init && ts.isVariableDeclarationList(init) ? init.declarations[0] : undefined;
  if (!d || !ts.isIdentifier(d.name) || d.initializer?.getText() !== '0') return undefined;
  const i = d.name.text;
  const c = loop.condition;
  if (!c || !ts.isBinaryExpression(c) || c.operatorToken.kind !== ts.SyntaxKind.LessThanToken)
    return undefined;
  if (c.left.getText() !== i || !ts.isPropertyAccessExpression(c.right) || c.right.name.text !== 'length')
    return undefined;
  if (!ts.isIdentifier(c.right.expression)) return undefined;
  const inc = loop.incrementor?.getText().replace(/\s+/g, '');
  if (inc !== `${i}++` && inc !== `++${i}` && inc !== `${i}+=1`) return undefined;
  return { index: i, array: c.right.expression };
}

function indexSite(loop: ts.ForStatement, source: ts.SourceFile): ObjectsSite | undefined {
  const h = indexLoop(loop);
  if (!h) return undefined;
  const { index, array } = h;
  const found: (ts.PropertyAccessExpression | string)[] = [];
  let other: string | undefined;
  for (const r of uses(loop.statement, array.text)) {
    const p = r.parent;
    const el =
      ts.isElementAccessExpression(p) && p.expression === r && p.argumentExpression.getText(source) === index;
    // `A[i][j]`: rows, not objects (the rows rewrite's).
    if (el && ts.isElementAccessExpression(p.parent) && p.parent.expression === p) return undefined;
    if (el) found.push(elementUse(p, source));
    else if (!(ts.isPropertyAccessExpression(p) && p.name.text === 'length' && !isWritten(p)))
      other ??= `the loop uses \`${array.text}\` other than as \`${array.text}[${index}].field\` (\`${p.getText(source)}\`)`;
  }
  const reads = found.filter((x): x is ts.PropertyAccessExpression => typeof x !== 'string');
  if (reads.length === 0 || reads.every((r) => r.name.text === 'length')) return undefined;
  if (uses(loop.statement, index).some((u) => isWritten(u)))
    other ??= `the loop changes its index \`${index}\``;
  return {
    loop,
    array,
    index,
    reads,
    problem: found.find((x): x is string => typeof x === 'string') ?? other,
  };
}

const ARITHMETIC = new Set([
  ts.SyntaxKind.AsteriskToken,
  ts.SyntaxKind.SlashToken,
  ts.SyntaxKind.MinusToken,
  ts.SyntaxKind.PlusToken,
  ts.SyntaxKind.PercentToken,
  ts.SyntaxKind.AsteriskAsteriskToken,
  ts.SyntaxKind.PlusEqualsToken,
  ts.SyntaxKind.MinusEqualsToken,
  ts.SyntaxKind.AsteriskEqualsToken,
  ts.SyntaxKind.SlashEqualsToken,
]);

/** True when a field read feeds arithmetic (`p.x * w`, `s += p.x`, `Math.sqrt(p.x)`): a numeric loop. */
function numericUse(r: ts.PropertyAccessExpression): boolean {
  let n: ts.Node = r;
  while (ts.isParenthesizedExpression(n.parent)) n = n.parent;
  const p = n.parent;
  if (ts.isBinaryExpression(p))
    return ARITHMETIC.has(p.operatorToken.kind) && (p.right === n || !isWritten(r));
  if (ts.isPrefixUnaryExpression(p)) return p.operator === ts.SyntaxKind.MinusToken;
  return ts.isCallExpression(p) && /^Math\.\w+$/.test(p.expression.getText());
}

/**
 * The loops of `source` that read fields of an array's elements in arithmetic (the numeric loops this
 * advisor is about; a loop that only compares or passes fields is no look-alike worth naming).
 */
export function objectsSites(source: ts.SourceFile): ObjectsSite[] {
  const out: ObjectsSite[] = [];
  forEachDescendant(source, (n) => {
    const s =
      ts.isForOfStatement(n) && !n.awaitModifier
        ? forOfSite(n, source)
        : ts.isForStatement(n)
          ? indexSite(n, source)
          : undefined;
    if (s?.reads.some(numericUse)) out.push(s);
    return true;
  });
  return out;
}

/** The verdict on one site: the struct-of-arrays rewrite, or why not. */
export function objectsVerdict(
  site: ObjectsSite,
  source: ts.SourceFile,
  typescript: boolean,
): AdvisorVerdict {
  const no = (reason: string): AdvisorVerdict => ({ kind: 'left-alone', reason });
  const { loop, array } = site;
  const a = array.text;
  const outer = enclosingLoops(loop);
  if (awaits(loop) || outer.some((l) => awaits(l)))
    return no(
      'the loop awaits: it is IO-bound (the IO advisor’s advice only), memory layout is not its cost',
    );
  if (site.problem) return no(site.problem);
  const decl = declarationOf(a, loop);
  if (!decl) return no(`\`${a}\` is not a local variable or parameter`);
  const el = elementType(decl.type, source);
  if (el.kind === 'unknown') return no(`the element type of \`${a}\` is unknown: ${el.why}`);
  if (el.kind === 'rows') return no(`\`${a}\` holds rows, not objects`);
  const fields = [...new Set(site.reads.map((r) => r.name.text))];
  for (const f of fields) {
    const t = el.fields.get(f);
    if (!t) return no(`\`${el.name}\` declares no field \`${f}\``);
    if (t.kind === 'method')
      return no(`\`${f}\` of \`${el.name}\` is a method: the objects are needed whole`);
    if (t.kind === 'other') return no(`field \`${f}\` of \`${el.name}\` is \`${t.text}\`, not a number`);
  }
  const init = ts.isVariableDeclaration(decl) ? decl.initializer : undefined;
  if (init && ts.isArrayLiteralExpression(init) && init.elements.length < SMALL_LITERAL)
    return no(
      `\`${a}\` is a literal of ${init.elements.length} elements: too small for columns to pay for their copy`,
    );
  // The boundary: the outermost loop around the site that does not declare the array.
  const hoist = outer.filter((l) => !(decl.pos >= l.pos && decl.end <= l.end)).at(-1);
  if (!hoist)
    return no(
      `not hot enough: the loop runs once per call of its function, so a conversion at its start would cost what the columns save (no enclosing loop to hoist it out of)`,
    );
  const impure = firstImpureCall(hoist, source, a);
  if (impure) return no(`the loop around it calls ${impure}: it could change the objects the columns copy`);
  const written = writesOf(hoist, a, fields, source);
  if (written) return no(written);
  return { kind: 'rewrite', ...objectsRewrite(site, hoist, fields, source, typescript) };
}

/** Why the region may change the array or the fields the columns copy, else undefined. */
function writesOf(
  region: ts.Node,
  a: string,
  fields: readonly string[],
  source: ts.SourceFile,
): string | undefined {
  let why: string | undefined;
  forEachDescendant(region, (n) => {
    if (why) return false;
    if (ts.isPropertyAccessExpression(n) && fields.includes(n.name.text) && isWritten(n))
      why = `the loop around it writes \`${n.getText(source)}\`: the columns would go stale`;
    else if (ts.isIdentifier(n) && n.text === a) {
      const p = n.parent;
      if (isWritten(n) || (ts.isElementAccessExpression(p) && p.expression === n && isWritten(p)))
        why = `the loop around it changes \`${a}\` (\`${p.getText(source)}\`)`;
    }
    return true;
  });
  return why;
}

function objectsRewrite(
  site: ObjectsSite,
  hoist: ts.IterationStatement,
  fields: readonly string[],
  source: ts.SourceFile,
  typescript: boolean,
): { summary: string; assumes: string; edits: TextEdit[] } {
  const text = source.text;
  const a = site.array.text;
  const taken = new Set<string>();
  const col = new Map<string, string>();
  for (const f of fields) {
    const name = freshName(text, `${a}${f[0]!.toUpperCase()}${f.slice(1)}`, taken);
    taken.add(name);
    col.set(f, name);
  }
  const k = freshName(text, 'k', taken);
  const e = freshName(text, 'e', new Set([...taken, k]));
  const i = site.index ?? freshName(text, 'i', new Set([...taken, k, e]));
  const bang = typescript ? '!' : '';
  const at = ts.isLabeledStatement(hoist.parent) ? hoist.parent : hoist;
  const ind = indentAt(text, at.getStart(source));
  const lines = [
    `// hotloop: struct of arrays — ${a}'s ${fields.join(', ')} as typed columns, read-only below`,
    ...fields.map((f) => `const ${col.get(f)!} = new Float64Array(${a}.length);`),
    `for (let ${k} = 0; ${k} < ${a}.length; ${k}++) {`,
    `  const ${e} = ${a}[${k}]${bang};`,
    ...fields.map((f) => `  ${col.get(f)!}[${k}] = ${e}.${f};`),
    '}',
  ];
  const start = lineStartAt(text, at.getStart(source));
  const edits: TextEdit[] = [{ start, end: start, text: lines.map((l) => `${ind}${l}\n`).join('') }];
  if (ts.isForOfStatement(site.loop))
    edits.push({
      start: site.loop.getStart(source),
      end: site.loop.statement.getStart(source),
      text: `for (let ${i} = 0; ${i} < ${a}.length; ${i}++) `,
    });
  for (const r of site.reads)
    edits.push({ start: r.getStart(source), end: r.end, text: `${col.get(r.name.text)!}[${i}]${bang}` });
  return {
    summary: `\`${a}\` is an array of objects whose ${fields.map((f) => `\`${f}\``).join(', ')} the hot loop reads: copy them once into Float64Array columns before the enclosing loop (contiguous doubles, no pointer chase per element)`,
    assumes: `nothing changes \`${a}\` or its objects' ${fields.join(', ')} while the enclosing loop runs, and the array has no holes`,
    edits,
  };
}
