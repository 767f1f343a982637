// Splits a loop body into the part that can run concurrently per item (up to and including its last
// await: the "fetch") and the part that must run in input order afterwards (the "commit"). An await
// inside the last awaiting statement is hoisted into a temporary when that statement also has an
// effect (`out.push(await get(x))` → fetch `const v = await get(x)`, commit `out.push(v)`).
import { ts } from '../../analysis/ts.js';
import { awaitsIn, forEachDescendant } from './scope.js';

export interface Hoisted {
  readonly name: string;
  readonly operand: ts.Expression;
}

export interface BodySplit {
  /** Statements that run whole in the fetch phase. */
  readonly fetch: readonly ts.Statement[];
  /** Awaits hoisted out of the last awaiting statement (run in the fetch phase, in order). */
  readonly hoisted: readonly Hoisted[];
  /** The last awaiting statement with its awaits replaced, when hoisted: runs first in the commit phase. */
  readonly commitHead?: { readonly statement: ts.Statement; readonly text: string };
  /** Statements after the last awaiting one. */
  readonly commit: readonly ts.Statement[];
}

/** True when an await sits where it may not run (a branch of `?:`, `&&`, `||`, `??`). */
function conditionallyEvaluated(a: ts.AwaitExpression, stop: ts.Node): boolean {
  for (let n: ts.Node = a; n !== stop; n = n.parent) {
    const p = n.parent;
    if (ts.isConditionalExpression(p) && n !== p.condition) return true;
    if (
      ts.isBinaryExpression(p) &&
      n === p.right &&
      [
        ts.SyntaxKind.AmpersandAmpersandToken,
        ts.SyntaxKind.BarBarToken,
        ts.SyntaxKind.QuestionQuestionToken,
        ts.SyntaxKind.AmpersandAmpersandEqualsToken,
        ts.SyntaxKind.BarBarEqualsToken,
        ts.SyntaxKind.QuestionQuestionEqualsToken,
      ].includes(p.operatorToken.kind)
    )
      return true;
    if (ts.isOptionalChain(p)) return true;
  }
  return false;
}

/** The outermost awaits of `stmt` (an await inside another await's operand stays with it). */
function outermostAwaits(stmt: ts.Statement): ts.AwaitExpression[] {
  const all = awaitsIn(stmt);
  return all.filter((a) => !all.some((b) => b !== a && b.pos <= a.pos && a.end <= b.end));
}

function hoistable(stmt: ts.Statement): stmt is ts.ExpressionStatement {
  if (!ts.isExpressionStatement(stmt)) return false;
  let e = stmt.expression;
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  if (ts.isAwaitExpression(e)) return false; // the statement is the IO itself
  const outer = outermostAwaits(stmt);
  return outer.length > 0 && outer.every((a) => !conditionallyEvaluated(a, stmt));
}

/** Splits `statements`; `fresh` names the temporaries. Undefined when no statement awaits. */
export function splitBody(
  statements: readonly ts.Statement[],
  source: ts.SourceFile,
  fresh: (prefix: string) => string,
): BodySplit | undefined {
  let last = -1;
  statements.forEach((s, i) => {
    if (awaitsIn(s).length > 0) last = i;
  });
  if (last < 0) return undefined;
  const stmt = statements[last]!;
  if (!hoistable(stmt))
    return { fetch: statements.slice(0, last + 1), hoisted: [], commit: statements.slice(last + 1) };
  const hoisted: Hoisted[] = [];
  let text = '';
  let at = stmt.getStart(source);
  for (const a of outermostAwaits(stmt)) {
    const name = fresh('awaited');
    hoisted.push({ name, operand: a.expression });
    text += source.text.slice(at, a.getStart(source)) + name;
    at = a.end;
  }
  text += source.text.slice(at, stmt.end);
  return {
    fetch: statements.slice(0, last),
    hoisted,
    commitHead: { statement: stmt, text },
    commit: statements.slice(last + 1),
  };
}

/** The nodes the fetch phase evaluates (whole statements plus the hoisted operands). */
export function fetchNodes(split: BodySplit): ts.Node[] {
  return [...split.fetch, ...split.hoisted.map((h) => h.operand)];
}

/** The nodes the commit phase evaluates. */
export function commitNodes(split: BodySplit): ts.Node[] {
  return [...(split.commitHead ? [split.commitHead.statement] : []), ...split.commit];
}

/** Names declared by the top-level statements of the fetch phase (visible to the commit phase). */
export function fetchDeclarations(split: BodySplit): { names: string[]; hasVar: boolean } {
  const names: string[] = [];
  let hasVar = false;
  for (const s of split.fetch) {
    if (ts.isVariableStatement(s)) {
      if (!(s.declarationList.flags & ts.NodeFlags.BlockScoped)) hasVar = true;
      for (const d of s.declarationList.declarations) collect(d.name, names);
    } else if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && s.name) names.push(s.name.text);
  }
  for (const h of split.hoisted) names.push(h.name);
  return { names, hasVar };
}

function collect(name: ts.BindingName, out: string[]): void {
  if (ts.isIdentifier(name)) out.push(name.text);
  else for (const el of name.elements) if (!ts.isOmittedExpression(el)) collect(el.name, out);
}

/** True when a `var` is declared anywhere in the body (function-scoped: it outlives the callback). */
export function declaresVar(statements: readonly ts.Statement[]): boolean {
  let found = false;
  for (const s of statements) {
    const check = (n: ts.Node): void => {
      if (ts.isVariableDeclarationList(n) && !(n.flags & ts.NodeFlags.BlockScoped)) found = true;
    };
    check(s);
    forEachDescendant(
      s,
      (n) => {
        check(n);
        return true;
      },
      true,
    );
  }
  return found;
}
