// Pipelines over the records: `rows.filter(p)…[.map(f)].reduce(r, init)` and `rows.filter(p).length`,
// with callbacks that only read fields (`r.price`). Each becomes one loop over the columns — the
// filters are predicates on the columns (no intermediate arrays), the map a local, the reduce an
// accumulator — so the values are combined in the same order as before (same floating-point result).
import { ts } from '../../analysis/ts.js';
import { forEachDescendant } from '../io/scope.js';
import type { FieldKind } from './records.js';

type Callback = ts.ArrowFunction | ts.FunctionExpression;

export interface Chain {
  /** The whole pipeline expression (what the loop replaces). */
  readonly node: ts.Expression;
  readonly filters: readonly Callback[];
  readonly map?: Callback;
  readonly terminal:
    | { readonly kind: 'reduce'; readonly fn: Callback; readonly init: ts.Expression }
    | { readonly kind: 'count' };
  /** Fields the callbacks read from the records. */
  readonly fields: ReadonlySet<string>;
}

export type ChainUse =
  | { readonly kind: 'chain'; readonly chain: Chain }
  | { readonly kind: 'length'; readonly node: ts.PropertyAccessExpression }
  | { readonly kind: 'other'; readonly reason: string };

const PIPELINE_METHODS = new Set([
  'filter',
  'map',
  'reduce',
  'forEach',
  'some',
  'every',
  'find',
  'findIndex',
  'flatMap',
  'reduceRight',
]);

/** Calls a callback may make: pure functions of their arguments (no effects to reorder). */
export const PURE_CALL = /^(Math\.\w+|Number\.\w+|Number|String|Boolean|isNaN|isFinite|parseFloat|parseInt)$/;

/** The callback body's single expression (an expression body, or a block that is one `return E;`). */
export function bodyExpression(fn: Callback): ts.Expression | undefined {
  if (!ts.isBlock(fn.body)) return fn.body;
  const [only, ...rest] = fn.body.statements;
  return only && rest.length === 0 && ts.isReturnStatement(only) ? only.expression : undefined;
}

function asCallback(e: ts.Expression | undefined, params: number): Callback | string {
  if (!e || (!ts.isArrowFunction(e) && !ts.isFunctionExpression(e)))
    return 'its callback is not a function written in place';
  if (e.asteriskToken || e.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword))
    return 'its callback is async or a generator';
  if (
    e.parameters.length !== params ||
    e.parameters.some((p) => !ts.isIdentifier(p.name) || p.initializer || p.dotDotDotToken)
  )
    return `its callback does not take exactly ${params} plain parameter(s) (an index or the array would need the records)`;
  if (!bodyExpression(e)) return 'its callback is more than one expression';
  let bad: string | undefined;
  forEachDescendant(e.body, (n) => {
    if (ts.isFunctionLike(n)) bad = 'its callback defines a function';
    else if (n.kind === ts.SyntaxKind.ThisKeyword || (ts.isIdentifier(n) && n.text === 'arguments'))
      bad = 'its callback uses `this`/`arguments`';
    // The fused loop runs filter, map and reduce per element, not stage by stage: effects would reorder.
    else if ((ts.isCallExpression(n) && !PURE_CALL.test(n.expression.getText())) || ts.isNewExpression(n))
      bad = `its callback calls \`${n.getText().slice(0, 40)}\`, whose effects the fused loop could reorder`;
    else if (ts.isTaggedTemplateExpression(n) || ts.isAwaitExpression(n) || ts.isYieldExpression(n))
      bad = 'its callback may have effects the fused loop could reorder';
    return bad === undefined;
  });
  return bad ?? e;
}

const isWrite = (n: ts.Node): boolean => {
  const p = n.parent;
  if (ts.isBinaryExpression(p) && p.left === n)
    return (
      p.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
      p.operatorToken.kind <= ts.SyntaxKind.LastAssignment
    );
  if (ts.isDeleteExpression(p) || ts.isPostfixUnaryExpression(p)) return true;
  return (
    ts.isPrefixUnaryExpression(p) &&
    (p.operator === ts.SyntaxKind.PlusPlusToken || p.operator === ts.SyntaxKind.MinusMinusToken)
  );
};

/** Checks a record parameter's uses: field reads only. Returns the fields read, or why not. */
function recordReads(
  fn: Callback,
  param: string,
  fields: ReadonlyMap<string, FieldKind>,
  out: Set<string>,
): string | undefined {
  let bad: string | undefined;
  forEachDescendant(fn.body, (n) => {
    if (bad || !ts.isIdentifier(n) || n.text !== param) return bad === undefined;
    const p = n.parent;
    if (ts.isPropertyAccessExpression(p) && p.name === n) return true;
    if (!ts.isPropertyAccessExpression(p) || p.expression !== n)
      bad = `a callback uses the record \`${param}\` whole (\`${p.getText()}\`): it escapes`;
    else if (isWrite(p)) bad = `a callback writes \`${p.getText()}\`: the records are mutated`;
    else if (!fields.has(p.name.text))
      bad = `a callback reads \`${p.name.text}\`, which the records are not known to have`;
    else out.add(p.name.text);
    return bad === undefined;
  });
  return bad;
}

function paramWritten(fn: Callback): string | undefined {
  const names = new Set(fn.parameters.map((p) => (p.name as ts.Identifier).text));
  let bad: string | undefined;
  forEachDescendant(fn.body, (n) => {
    if (ts.isIdentifier(n) && names.has(n.text) && isWrite(n))
      bad = `a callback assigns its parameter \`${n.text}\``;
    return bad === undefined;
  });
  return bad;
}

const pname = (fn: Callback, k: number): string => (fn.parameters[k]!.name as ts.Identifier).text;

/** What a use of the records' name is: the head of a pipeline this advisor rewrites, `.length`, or anything else. */
export function classifyUse(id: ts.Identifier, fields: ReadonlyMap<string, FieldKind>): ChainUse {
  const src = id.getSourceFile();
  const line = src.getLineAndCharacterOfPosition(id.getStart(src)).line + 1;
  const other = (why: string): ChainUse => ({ kind: 'other', reason: `${why} (line ${line})` });
  const filters: Callback[] = [];
  let map: Callback | undefined;
  const read = new Set<string>();
  let cur: ts.Expression = id;
  for (;;) {
    const p = cur.parent;
    const method = ts.isPropertyAccessExpression(p) && p.expression === cur ? p.name.text : undefined;
    if (method === 'length' && cur === id) return { kind: 'length', node: p as ts.PropertyAccessExpression };
    if (method === 'length' && filters.length > 0 && !map)
      return {
        kind: 'chain',
        chain: { node: p as ts.Expression, filters, terminal: { kind: 'count' }, fields: read },
      };
    const call = p.parent;
    if (!method || !PIPELINE_METHODS.has(method) || !ts.isCallExpression(call) || call.expression !== p) {
      if (cur === id && ts.isForOfStatement(p))
        return other('a `for…of` loop reads the records outside a pipeline: they may change or escape there');
      if (cur === id)
        return other(`\`${p.getText(src).slice(0, 60)}\` uses the records otherwise: they escape or change`);
      return other(`\`${cur.getText(src).slice(0, 60)}…\` hands out the records or an array, not one value`);
    }
    const onRecords = !map;
    if (method === 'filter' && onRecords) {
      const fn = asCallback(call.arguments[0], 1);
      if (typeof fn === 'string') return other(`a filter: ${fn}`);
      const bad = recordReads(fn, pname(fn, 0), fields, read) ?? paramWritten(fn);
      if (bad) return other(bad);
      filters.push(fn);
    } else if (method === 'map' && onRecords) {
      const fn = asCallback(call.arguments[0], 1);
      if (typeof fn === 'string') return other(`a map: ${fn}`);
      const bad = recordReads(fn, pname(fn, 0), fields, read) ?? paramWritten(fn);
      if (bad) return other(bad);
      map = fn;
    } else if (method === 'reduce' && call.arguments.length === 2) {
      const fn = asCallback(call.arguments[0], 2);
      if (typeof fn === 'string') return other(`a reduce: ${fn}`);
      const bad = (onRecords ? recordReads(fn, pname(fn, 1), fields, read) : undefined) ?? paramWritten(fn);
      if (bad) return other(bad);
      return {
        kind: 'chain',
        chain: {
          node: call,
          filters,
          map,
          terminal: { kind: 'reduce', fn, init: call.arguments[1]! },
          fields: read,
        },
      };
    } else
      return other(
        `\`.${method}(…)\`${method === 'reduce' ? ' without an initial value' : ''} is not a filter/map/reduce pipeline this advisor rewrites`,
      );
    cur = call;
  }
}

export interface Names {
  readonly rows: string;
  readonly cols: string;
  readonly i: string;
  readonly acc: string;
  readonly v: string;
  /** `!` after a column read in TypeScript (noUncheckedIndexedAccess). */
  readonly bang: string;
}

/** The callback's expression with its parameters replaced: records' fields → column reads, others → `subst`. */
function inline(
  fn: Callback,
  names: Names,
  recordParam: string | undefined,
  subst: ReadonlyMap<string, string>,
): string {
  const e = bodyExpression(fn)!;
  const src = e.getSourceFile();
  const base = e.getStart(src);
  const edits: { start: number; end: number; text: string }[] = [];
  forEachDescendant(e, (n) => {
    if (!ts.isIdentifier(n)) return true;
    const p = n.parent;
    if (ts.isPropertyAccessExpression(p) && p.name === n) return true;
    if (n.text === recordParam && ts.isPropertyAccessExpression(p))
      edits.push({
        start: p.getStart(src),
        end: p.end,
        text: `${names.cols}.${p.name.text}[${names.i}]${names.bang}`,
      });
    else if (subst.has(n.text)) {
      // `{ acc }` shorthand keeps its key.
      const text = ts.isShorthandPropertyAssignment(p)
        ? `${n.text}: ${subst.get(n.text)!}`
        : subst.get(n.text)!;
      edits.push({ start: n.getStart(src), end: n.end, text });
    }
    return true;
  });
  let text = e.getText(src);
  if (ts.isIdentifier(e) && subst.has(e.text)) return subst.get(e.text)!;
  for (const ed of edits.sort((a, b) => b.start - a.start))
    text = text.slice(0, ed.start - base) + ed.text + text.slice(ed.end - base);
  const comma = ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.CommaToken;
  return comma || ts.isObjectLiteralExpression(e) ? `(${text})` : text;
}

/** The loop (an immediately-called arrow function, so it stays an expression) that replaces a chain. */
export function chainLoop(c: Chain, names: Names, indent: string): string {
  const { i, acc, v } = names;
  const body: string[] = [];
  for (const f of c.filters) body.push(`if (!(${inline(f, names, pname(f, 0), new Map())})) continue;`);
  if (c.map) body.push(`const ${v} = ${inline(c.map, names, pname(c.map, 0), new Map())};`);
  let init = '0';
  if (c.terminal.kind === 'count') body.push(`${acc}++;`);
  else {
    const fn = c.terminal.fn;
    init = c.terminal.init.getText();
    const subst = new Map([[pname(fn, 0), acc]]);
    if (c.map) subst.set(pname(fn, 1), v);
    body.push(`${acc} = ${inline(fn, names, c.map ? undefined : pname(fn, 1), subst)};`);
  }
  const pad = `${indent}    `;
  return [
    '(() => {',
    `${indent}  let ${acc} = ${init};`,
    `${indent}  for (let ${i} = 0; ${i} < ${names.rows}.length; ${i}++) {`,
    ...body.map((b) => `${pad}${b}`),
    `${indent}  }`,
    `${indent}  return ${acc};`,
    `${indent}})()`,
  ].join('\n');
}
