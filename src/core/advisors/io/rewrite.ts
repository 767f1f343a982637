// The text of an independent loop rewritten to bounded concurrency:
//
//   for (const r of await hotloopMapInOrder(items, 8, async (item) => { <fetch>; return { a }; })) {
//     if (!r.ok) throw r.error;
//     const { a } = r.value;
//     <commit>
//   }
//
// The fetch phase runs per item, at most `limit` at once; the commit phase runs in input order, so
// pushes, sums and logs after the last await happen as before, and the first failure is thrown where
// the sequential loop threw it.
import { ts } from '../../analysis/ts.js';
import { HELPER_NAME } from './helper.js';
import { referencedNames } from './scope.js';
import { commitNodes, fetchDeclarations, type BodySplit } from './split.js';

export interface LoopRewriteInput {
  readonly source: ts.SourceFile;
  readonly loop: ts.Statement;
  readonly split: BodySplit;
  /** Source text of the items (`urls`, `Array.from({ length: n }, (_, k) => k)`). */
  readonly items: string;
  /** The callback's parameter (`url`, `{ id, name }`, `i`). */
  readonly param: string;
  /** Names the parameter binds. */
  readonly params: readonly string[];
  readonly concurrency: number;
  /** A name free in the file for the outcome variable. */
  readonly outcome: string;
}

/** Names assigned or incremented as a whole (`x = …`, `x++`), which a `const` destructuring would forbid. */
function reassigned(nodes: readonly ts.Node[]): Set<string> {
  const out = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
      n.operatorToken.kind <= ts.SyntaxKind.LastAssignment &&
      ts.isIdentifier(n.left)
    )
      out.add(n.left.text);
    else if (
      (ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) &&
      ts.isIdentifier(n.operand) &&
      (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)
    )
      out.add(n.operand.text);
    ts.forEachChild(n, visit);
  };
  nodes.forEach(visit);
  return out;
}

/** A statement's text with its leading comments, each line indented by `indent` (first line only for code). */
function statementText(s: ts.Statement, source: ts.SourceFile, indent: string, text?: string): string {
  const lead = source.text.slice(s.getFullStart(), s.getStart(source));
  const comments = lead
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  return [...comments, text ?? s.getText(source)].map((l) => indent + l).join('\n');
}

/** Indentation of the line `pos` is on. */
export function lineIndent(text: string, pos: number): string {
  const start = text.lastIndexOf('\n', pos - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))![0];
}

/** The replacement text of the whole loop statement. */
export function loopReplacement(input: LoopRewriteInput): string {
  const { source, split, outcome } = input;
  const base = lineIndent(source.text, input.loop.getStart(source));
  const inner = `${base}  `;
  const commit = commitNodes(split);
  const used = referencedNames(commit, new Set(split.hoisted.map((h) => h.operand)));
  const declared = fetchDeclarations(split).names;
  const carried = [...new Set([...input.params, ...declared])].filter(
    (n) => used.has(n) || split.hoisted.some((h) => h.name === n),
  );
  const fetchLines = [
    ...split.fetch.map((s) => statementText(s, source, inner)),
    ...split.hoisted.map((h) => `${inner}const ${h.name} = await ${h.operand.getText(source)};`),
  ];
  if (carried.length > 0) fetchLines.push(`${inner}return { ${carried.join(', ')} };`);
  const keyword = carried.some((n) => reassigned(commit).has(n)) ? 'let' : 'const';
  const commitLines = [`${inner}if (!${outcome}.ok) throw ${outcome}.error;`];
  if (carried.length > 0)
    commitLines.push(`${inner}${keyword} { ${carried.join(', ')} } = ${outcome}.value;`);
  if (split.commitHead)
    commitLines.push(statementText(split.commitHead.statement, source, inner, split.commitHead.text));
  for (const s of split.commit) commitLines.push(statementText(s, source, inner));
  return [
    `for (const ${outcome} of await ${HELPER_NAME}(${input.items}, ${input.concurrency}, async (${input.param}) => {`,
    ...fetchLines,
    `${base}})) {`,
    ...commitLines,
    `${base}}`,
  ].join('\n');
}
