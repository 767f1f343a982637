// The IO advisor: every loop that awaits in its own body (not only in a nested loop or function) is
// IO-bound; the ones over independent items get a bounded-concurrency rewrite, the others say why
// they are left alone. Syntax only (no type checker): fast enough to run on every keystroke.
import { scriptKindOf, ts } from '../../analysis/ts.js';
import type { Range } from '../../analysis/types.js';
import { classifyBody, type Classified } from './classify.js';
import { hasHelper, helperSource } from './helper.js';
import { loopReplacement } from './rewrite.js';
import { awaitsIn, bindingNames, declaredNames, mutatedRoots, referencedNames } from './scope.js';
import type { TextEdit } from '../types.js';
import { DEFAULT_IO_CONCURRENCY, type IoLoopFinding, type IoLoopKind, type IoVerdict } from './types.js';

export interface IoAdvisorOptions {
  /** Awaits in flight in the rewrite (default 8). */
  readonly concurrency?: number;
}

type Loop = ts.ForStatement | ts.ForOfStatement | ts.WhileStatement | ts.DoStatement;

function isLoop(n: ts.Node): n is Loop {
  return ts.isForStatement(n) || ts.isForOfStatement(n) || ts.isWhileStatement(n) || ts.isDoStatement(n);
}

function kindOf(l: Loop): IoLoopKind {
  if (ts.isForOfStatement(l)) return l.awaitModifier ? 'for-await' : 'for-of';
  if (ts.isForStatement(l)) return 'for';
  return ts.isWhileStatement(l) ? 'while' : 'do-while';
}

function statementsOf(body: ts.Statement): readonly ts.Statement[] {
  return ts.isBlock(body) ? body.statements : [body];
}

function functionNameOf(n: ts.Node): string {
  for (let p = n.parent as ts.Node | undefined; p; p = p.parent) {
    if (ts.isFunctionDeclaration(p) || ts.isMethodDeclaration(p) || ts.isFunctionExpression(p))
      if (p.name && ts.isIdentifier(p.name)) return p.name.text;
    if (ts.isArrowFunction(p) && ts.isVariableDeclaration(p.parent) && ts.isIdentifier(p.parent.name))
      return p.parent.name.text;
  }
  return '<module>';
}

function rangeOf(source: ts.SourceFile, n: ts.Node): Range {
  const s = source.getLineAndCharacterOfPosition(n.getStart(source));
  const e = source.getLineAndCharacterOfPosition(n.end);
  return { start: { line: s.line, character: s.character }, end: { line: e.line, character: e.character } };
}

const short = (t: string): string => {
  const one = t.replace(/\s+/g, ' ');
  return one.length > 60 ? `${one.slice(0, 57)}…` : one;
};

/** `for (let i = START; i < END; i++)` (or `<=`, `++i`, `i += 1`), else undefined. */
function indexLoop(l: ts.ForStatement): { name: string; items: string; reads: string[] } | undefined {
  const init = l.initializer;
  if (!init || !ts.isVariableDeclarationList(init) || !(init.flags & ts.NodeFlags.Let)) return undefined;
  const d = init.declarations.length === 1 ? init.declarations[0]! : undefined;
  if (!d || !ts.isIdentifier(d.name) || !d.initializer) return undefined;
  const name = d.name.text;
  const c = l.condition;
  if (!c || !ts.isBinaryExpression(c) || !ts.isIdentifier(c.left) || c.left.text !== name) return undefined;
  const op = c.operatorToken.kind;
  if (op !== ts.SyntaxKind.LessThanToken && op !== ts.SyntaxKind.LessThanEqualsToken) return undefined;
  const inc = l.incrementor;
  const step =
    inc &&
    (((ts.isPostfixUnaryExpression(inc) || ts.isPrefixUnaryExpression(inc)) &&
      inc.operator === ts.SyntaxKind.PlusPlusToken &&
      ts.isIdentifier(inc.operand) &&
      inc.operand.text === name) ||
      (ts.isBinaryExpression(inc) &&
        inc.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken &&
        ts.isIdentifier(inc.left) &&
        inc.left.text === name &&
        inc.right.getText() === '1'));
  if (!step) return undefined;
  const start = d.initializer.getText();
  const end = c.right.getText();
  const count =
    op === ts.SyntaxKind.LessThanToken
      ? start === '0'
        ? /\.length$/.test(end)
          ? end
          : `Math.max(0, Math.ceil(${end}))`
        : `Math.max(0, Math.ceil(${end} - (${start})))`
      : `Math.max(0, Math.floor(${end} - (${start})) + 1)`;
  const items = `Array.from({ length: ${count} }, (_, k) => ${start === '0' ? 'k' : `${start} + k`})`;
  return { name, items, reads: [name, ...referencedNames([c.right])] };
}

interface Plan {
  readonly classified: Classified;
  readonly items?: string;
  readonly param?: string;
  readonly params?: readonly string[];
}

function plan(l: Loop, source: ts.SourceFile, fresh: (prefix: string) => string): Plan {
  const body = statementsOf(l.statement);
  const no = (reason: string): Plan => ({ classified: { kind: 'not-rewritable', reason } });
  if (ts.isLabeledStatement(l.parent))
    return no('the loop is labelled (a labelled break or continue needs it)');
  if (ts.isForOfStatement(l)) {
    if (l.awaitModifier) return no('`for await` reads an async iterable, one item after the other');
    const init = l.initializer;
    if (!ts.isVariableDeclarationList(init) || !(init.flags & ts.NodeFlags.BlockScoped))
      return no('the loop variable is declared outside the loop');
    const d = init.declarations[0]!;
    const params = bindingNames(d.name);
    return {
      classified: classifyBody(body, params, [], source, fresh),
      items: l.expression.getText(source),
      param: d.name.getText(source),
      params,
    };
  }
  if (ts.isForStatement(l)) {
    const ix = indexLoop(l);
    if (!ix) return no('the loop header is not `for (let i = a; i < b; i++)`');
    const classified = classifyBody(body, [ix.name], ix.reads, source, fresh);
    return { classified, items: ix.items, param: ix.name, params: [ix.name] };
  }
  // while / do-while: no list of items. Dependent when what the body changes feeds the condition or
  // the next await (a cursor, a page token); otherwise still not something to spread automatically.
  const local = declaredNames(body);
  const reads = referencedNames([l.expression, ...awaitsIn(l.statement).map((a) => a.expression)]);
  const carried = [...mutatedRoots(body)].filter((m) => !local.has(m) && reads.has(m));
  if (carried.length > 0 || awaitsIn(l.expression).length > 0)
    return {
      classified: {
        kind: 'dependent',
        reason:
          carried.length > 0
            ? `the loop awaits with ${carried.map((c) => `\`${c}\``).join(', ')}, which its body changes: each iteration needs the one before`
            : `the loop condition (${short(l.expression.getText(source))}) awaits: each iteration needs the one before`,
      },
    };
  return no('a while loop has no list of items to spread; collect the items first, then loop over them');
}

/** A name not used in `text`. */
function freshNames(text: string): (prefix: string) => string {
  const next = new Map<string, number>();
  return (prefix) => {
    let k = next.get(prefix) ?? 0;
    while (new RegExp(`\\b${prefix}${k}\\b`).test(text)) k++;
    next.set(prefix, k + 1);
    return `${prefix}${k}`;
  };
}

/** Finds the IO-bound loops of one file and advises each. */
export function adviseIoLoops(
  fileName: string,
  text: string,
  options: IoAdvisorOptions = {},
): IoLoopFinding[] {
  const concurrency = options.concurrency ?? DEFAULT_IO_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new RangeError(`IO concurrency must be a positive integer, got ${concurrency}`);
  const kind = scriptKindOf(fileName);
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true, kind);
  const typescript = kind === ts.ScriptKind.TS || kind === ts.ScriptKind.TSX;
  const fresh = freshNames(text);
  const helper = hasHelper(text)
    ? undefined
    : {
        start: text.length,
        end: text.length,
        text: `${text.endsWith('\n') ? '' : '\n'}\n${helperSource(typescript)}`,
      };
  const out: IoLoopFinding[] = [];
  const visit = (n: ts.Node): void => {
    if (isLoop(n)) {
      const direct = awaitsIn(n.statement, true);
      const header = ts.isWhileStatement(n) || ts.isDoStatement(n) ? awaitsIn(n.expression) : [];
      if (direct.length + header.length > 0 || (ts.isForOfStatement(n) && n.awaitModifier))
        out.push(finding(n, source, fileName, fresh, concurrency, helper));
    }
    ts.forEachChild(n, visit);
  };
  visit(source);
  return out;
}

function finding(
  l: Loop,
  source: ts.SourceFile,
  file: string,
  fresh: (prefix: string) => string,
  concurrency: number,
  helper: TextEdit | undefined,
): IoLoopFinding {
  const p = plan(l, source, fresh);
  const awaits = awaitsIn(l.statement).map((a) => short(a.expression.getText(source)));
  let verdict: IoVerdict;
  const c = p.classified;
  if (c.kind === 'independent' && p.items !== undefined && p.param !== undefined) {
    const text = loopReplacement({
      source,
      loop: l,
      split: c.split,
      items: p.items,
      param: p.param,
      params: p.params ?? [],
      concurrency,
      outcome: fresh('outcome'),
    });
    verdict = {
      kind: 'independent',
      assumes: `the awaited calls (${awaits.join('; ')}) of different items do not depend on each other; after a failure, up to ${concurrency - 1} later items may already have been requested`,
      rewrite: {
        concurrency,
        loop: { start: l.getStart(source), end: l.end, text },
        ...(helper ? { helper } : {}),
      },
    };
  } else if (c.kind === 'independent') verdict = { kind: 'not-rewritable', reason: 'no items to spread' };
  else verdict = c;
  return {
    advisor: 'io',
    file,
    line: source.getLineAndCharacterOfPosition(l.getStart(source)).line + 1,
    range: rangeOf(source, l),
    loopKind: kindOf(l),
    functionName: functionNameOf(l),
    awaits,
    verdict,
  };
}
