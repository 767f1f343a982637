// Is an awaiting loop over independent items? The checks, in order: shapes a concurrent rewrite
// cannot keep (for await, early exits, `var`, timers, ordered sinks), then dependence (the fetch
// phase reads what the body changes: a cursor, a page token, the previous answer), then effects the
// fetch phase would reorder across items.
import { ts } from '../../analysis/ts.js';
import { awaitsIn, declaredNames, forEachDescendant, mutatedRoots, referencedNames } from './scope.js';
import { declaresVar, fetchNodes, splitBody, type BodySplit } from './split.js';

/** Awaited calls that pace a loop on purpose (rate limits, backoff). */
const TIMER = /^(sleep|delay|wait|pause|setTimeout|throttle|backoff)$/i;
/** Awaited methods that append to one sink: the order of the writes is the output. */
const SINK = /^(write|writeln|writeLine|append|appendFile|send|enqueue)$/;

/** How an index loop counts: `for (let i = START; i < END; i++)`. */
export interface IndexLoop {
  readonly name: string;
  readonly start: ts.Expression;
  readonly end: ts.Expression;
  readonly inclusive: boolean;
}

export type Classified =
  | { readonly kind: 'independent'; readonly split: BodySplit; readonly params: readonly string[] }
  | { readonly kind: 'dependent'; readonly reason: string }
  | { readonly kind: 'not-rewritable'; readonly reason: string };

const list = (names: Iterable<string>): string =>
  [...names]
    .sort()
    .map((n) => `\`${n}\``)
    .join(', ');

function calleeName(e: ts.Expression): string | undefined {
  let x = e;
  while (ts.isParenthesizedExpression(x)) x = x.expression;
  if (ts.isNewExpression(x) && ts.isIdentifier(x.expression) && x.expression.text === 'Promise')
    return /\bsetTimeout\b/.test(x.getText()) ? 'setTimeout' : undefined;
  if (!ts.isCallExpression(x)) return undefined;
  const c = x.expression;
  if (ts.isIdentifier(c)) return c.text;
  if (ts.isPropertyAccessExpression(c)) return c.name.text;
  return undefined;
}

/** Early exits of the loop itself (not of nested loops or functions), and where they are. */
function exits(statements: readonly ts.Statement[]): { early?: string; continues: ts.Node[] } {
  let early: string | undefined;
  const continues: ts.Node[] = [];
  const visit = (n: ts.Node, inNestedLoop: boolean, inSwitch: boolean): void => {
    if (ts.isFunctionLike(n) || ts.isClassLike(n)) return;
    if (ts.isReturnStatement(n)) early ??= 'returns from inside the loop';
    else if (ts.isYieldExpression(n)) early ??= 'yields inside the loop';
    else if (ts.isThrowStatement(n))
      early ??= undefined; // a throw is an error: surfaced in order
    else if (ts.isBreakStatement(n) && (n.label || (!inNestedLoop && !inSwitch)))
      early ??= 'breaks out of the loop: later items may never be requested';
    else if (ts.isContinueStatement(n) && (n.label || !inNestedLoop)) {
      if (n.label) early ??= 'continues an outer loop';
      else continues.push(n);
    }
    const loop = inNestedLoop || ts.isIterationStatement(n, false);
    const sw = inSwitch || ts.isSwitchStatement(n);
    ts.forEachChild(n, (c) => {
      visit(c, loop, sw);
    });
  };
  for (const s of statements) visit(s, false, false);
  return early !== undefined ? { early, continues } : { continues };
}

function shapeProblem(
  statements: readonly ts.Statement[],
  awaits: readonly ts.AwaitExpression[],
): string | undefined {
  const ex = exits(statements).early;
  if (ex !== undefined) return ex;
  if (declaresVar(statements))
    return 'declares a `var` in the body (function-scoped: it would not survive the rewrite)';
  for (const a of awaits) {
    const name = calleeName(a.expression);
    if (name !== undefined && TIMER.test(name))
      return `awaits ${name}(): the loop is paced on purpose (a rate limit or backoff)`;
    const c = a.expression;
    if (
      ts.isCallExpression(c) &&
      ts.isPropertyAccessExpression(c.expression) &&
      SINK.test(c.expression.name.text)
    )
      return `awaits ${c.expression.getText()}(): writes to one sink, whose order is the output`;
  }
  return undefined;
}

/** Unawaited calls standing as statements in the fetch phase: effects that would interleave across items. */
function fetchEffects(split: BodySplit): string | undefined {
  for (const s of split.fetch) {
    let found: string | undefined;
    const check = (n: ts.Node): void => {
      if (found === undefined && ts.isExpressionStatement(n) && ts.isCallExpression(n.expression))
        found = n.expression.expression.getText();
    };
    check(s);
    forEachDescendant(
      s,
      (n) => {
        check(n);
        return !ts.isAwaitExpression(n);
      },
      true,
    );
    if (found !== undefined)
      return `calls ${found}() before its last await: the calls of different items would interleave`;
  }
  return undefined;
}

/**
 * Classifies the body of a loop over `params` (the loop variable names). `headerReads` are names the
 * loop re-evaluates per iteration (an index loop's bound); `fresh` names hoisted temporaries.
 */
export function classifyBody(
  statements: readonly ts.Statement[],
  params: readonly string[],
  headerReads: readonly string[],
  source: ts.SourceFile,
  fresh: (prefix: string) => string,
): Classified {
  const awaits = statements.flatMap((s) => awaitsIn(s));
  const shape = shapeProblem(statements, awaits);
  if (shape !== undefined) return { kind: 'not-rewritable', reason: shape };
  const split = splitBody(statements, source, fresh);
  if (!split) return { kind: 'not-rewritable', reason: 'no await in the body' };
  const local = declaredNames(statements);
  const outer = (n: string): boolean => !local.has(n);
  const mutated = [...mutatedRoots(statements)].filter(outer);
  const reads = referencedNames(fetchNodes(split));
  for (const h of headerReads) reads.add(h);
  const carried = mutated.filter((m) => reads.has(m) && !(params.includes(m) && !headerReads.includes(m)));
  if (carried.length > 0)
    return {
      kind: 'dependent',
      reason: `each request uses ${list(carried)}, which the loop body changes: an iteration needs the one before`,
    };
  const early = mutatedRoots(fetchNodes(split));
  const earlyOuter = [...early].filter((m) => outer(m) && !params.includes(m));
  if (earlyOuter.length > 0)
    return {
      kind: 'not-rewritable',
      reason: `changes ${list(earlyOuter)} before its last await: the items' changes would interleave`,
    };
  const effect = fetchEffects(split);
  if (effect !== undefined) return { kind: 'not-rewritable', reason: effect };
  if (exits(split.fetch).continues.length > 0)
    return { kind: 'not-rewritable', reason: '`continue` before the last await' };
  return { kind: 'independent', split, params };
}
