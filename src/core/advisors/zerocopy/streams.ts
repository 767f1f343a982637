// Two more zero-copy rewrites: (1) an HTTP handler that reads a whole file only to answer with it
// (`res.end(await readFile(p))`) → `await pipeline(createReadStream(p), res)`: the bytes stream through
// in chunks instead of being held whole in memory; (2) `postMessage(typedArray)` without a transfer
// list (the array is copied by structured clone) → `postMessage(a, [a.buffer])` where the array owns
// its buffer, the sender never touches it again, and the receiver is a Worker or a MessagePort.
import { ts } from '../../analysis/ts.js';
import type { TextEdit } from '../types.js';
import { asFsCall, type fsImports } from './fsCalls.js';
import type { ZeroCopyVerdict } from './types.js';

/** Value references to `name` under `root` (not property names; not inside a function whose parameter shadows it). */
function refs(root: ts.Node, name: string): ts.Identifier[] {
  const out: ts.Identifier[] = [];
  const walk = (n: ts.Node): void => {
    if (
      n !== root &&
      ts.isFunctionLike(n) &&
      n.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === name)
    )
      return;
    if (
      ts.isIdentifier(n) &&
      n.text === name &&
      !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n) &&
      !(ts.isPropertyAssignment(n.parent) && n.parent.name === n)
    )
      out.push(n);
    ts.forEachChild(n, walk);
  };
  walk(root);
  return out;
}

function enclosingFunction(n: ts.Node): ts.Node {
  for (let p = n.parent as ts.Node | undefined; p; p = p.parent)
    if (ts.isFunctionLike(p) || ts.isSourceFile(p)) return p;
  return n.getSourceFile();
}

/** `import { name } from 'mod';` unless the file already imports that name from one of `mods`. */
function missingImport(source: ts.SourceFile, name: string, mods: readonly string[]): string | undefined {
  for (const s of source.statements) {
    if (!ts.isImportDeclaration(s)) continue;
    const b = s.importClause?.namedBindings;
    if (
      ts.isStringLiteral(s.moduleSpecifier) &&
      mods.includes(s.moduleSpecifier.text) &&
      b &&
      ts.isNamedImports(b) &&
      b.elements.some((el) => el.name.text === name && !el.propertyName)
    )
      return undefined;
  }
  return `import { ${name} } from '${mods[0]!}';`;
}

/**
 * The import edits of the file-response rewrite: the new imports after the last import, and the
 * readFile import dropped when the rewrite left it unused (one edit when both touch one declaration).
 */
function importEdits(
  source: ts.SourceFile,
  add: readonly string[],
  drop: { decl: ts.ImportDeclaration; local: string } | undefined,
): TextEdit[] {
  const last = [...source.statements].reverse().find(ts.isImportDeclaration);
  if (!last) return [];
  const b = drop?.decl.importClause?.namedBindings;
  const local = drop?.local;
  const rest = b && ts.isNamedImports(b) ? b.elements.filter((el) => el.name.text !== local) : [];
  const out: TextEdit[] = [];
  if (drop && b && rest.length > 0)
    out.push({
      start: b.getStart(source),
      end: b.end,
      text: `{ ${rest.map((el) => el.getText(source)).join(', ')} }`,
    });
  else if (drop) {
    const start = drop.decl.getStart(source);
    const nl = source.text.indexOf('\n', drop.decl.end);
    const whole = drop.decl === last && add.length > 0;
    out.push({
      start,
      end: whole ? drop.decl.end : nl < 0 ? drop.decl.end : nl + 1,
      text: whole ? add.join('\n') : '',
    });
    if (whole) return out;
  }
  if (add.length > 0) out.push({ start: last.end, end: last.end, text: `\n${add.join('\n')}` });
  return out;
}

/** `const X = await readFile(P)` whose bytes only go to `res.end(X)`: stream the file instead. */
export function fileResponseFinding(
  source: ts.SourceFile,
  block: readonly ts.Statement[],
  k: number,
  imports: ReturnType<typeof fsImports>,
): ZeroCopyVerdict | undefined {
  const s = block[k]!;
  if (!ts.isVariableStatement(s) || s.declarationList.declarations.length !== 1) return undefined;
  const d = s.declarationList.declarations[0]!;
  if (!ts.isIdentifier(d.name) || !d.initializer || !ts.isAwaitExpression(d.initializer)) return undefined;
  const read = asFsCall(d.initializer, imports);
  if (!read || read.method !== 'readFile') return undefined;
  const bytes = d.name.text;
  const isEnd = (w: ts.Statement): boolean =>
    ts.isExpressionStatement(w) &&
    ts.isCallExpression(w.expression) &&
    ts.isPropertyAccessExpression(w.expression.expression) &&
    w.expression.expression.name.text === 'end' &&
    w.expression.arguments.length === 1 &&
    w.expression.arguments[0]!.getText(source) === bytes;
  const w = block.find((x, j) => j > k && isEnd(x));
  const call = w && ts.isExpressionStatement(w) ? w.expression : undefined;
  if (
    !call ||
    !ts.isCallExpression(call) ||
    !ts.isPropertyAccessExpression(call.expression) ||
    call.expression.name.text !== 'end' ||
    !ts.isIdentifier(call.expression.expression) ||
    call.arguments.length !== 1 ||
    !ts.isIdentifier(call.arguments[0]!) ||
    call.arguments[0].text !== bytes
  )
    return undefined;
  const res = call.expression.expression.text;
  const no = (reason: string): ZeroCopyVerdict => ({ kind: 'left-alone', reason });
  if (read.call.arguments.length !== 1)
    return no('reads with options (an encoding): the response is text built in JS, not the file');
  if (refs(enclosingFunction(s), bytes).length !== 2)
    return no(`\`${bytes}\` is also used elsewhere (a Content-Length, a digest): the bytes are needed in JS`);
  for (let p = s.parent as ts.Node | undefined; p && !ts.isFunctionLike(p); p = p.parent)
    if (ts.isTryStatement(p))
      return no(
        'the read is inside a try: its error handling answers before the response starts, which a stream cannot promise',
      );
  if (!source.statements.some(ts.isImportDeclaration))
    return no('the file has no ES imports (CommonJS?): the rewrite would add some');
  const text = source.text;
  const start = text.lastIndexOf('\n', s.getStart(source) - 1) + 1;
  const nl = text.indexOf('\n', s.end);
  const edits: TextEdit[] = [
    { start, end: nl < 0 ? s.end : nl + 1, text: '' },
    {
      start: call.getStart(source),
      end: call.end,
      text: `await pipeline(createReadStream(${read.call.arguments[0]!.getText(source)}), ${res})`,
    },
  ];
  const add = [
    missingImport(source, 'createReadStream', ['node:fs', 'fs']),
    missingImport(source, 'pipeline', ['node:stream/promises', 'stream/promises']),
  ].filter((x): x is string => x !== undefined);
  const unused = read.named && refs(source, read.named.local).length <= 2 ? read.named : undefined;
  edits.push(...importEdits(source, add, unused));
  return {
    kind: 'rewrite',
    summary: `the whole file is read into a Buffer only to answer with it: \`pipeline(createReadStream(…), ${res})\` streams it in chunks (memory bounded, the first bytes leave before the last are read)`,
    assumes:
      'the file exists and is readable (a read error now ends the response after the status line, where it rejected before it); the file does not change while it is sent; the response goes out chunked (no Content-Length)',
    edits,
  };
}

/** Names that are a Worker, a MessagePort or worker_threads' parentPort in this file. */
export function messageTargets(source: ts.SourceFile): Set<string> {
  const out = new Set<string>();
  const walk = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n) && n.initializer && ts.isNewExpression(n.initializer)) {
      const ctor = n.initializer.expression.getText(source);
      if (/^(Worker|\w+\.Worker)$/.test(ctor) && ts.isIdentifier(n.name)) out.add(n.name.text);
      if (/^(MessageChannel|\w+\.MessageChannel)$/.test(ctor) && ts.isObjectBindingPattern(n.name))
        for (const el of n.name.elements) if (ts.isIdentifier(el.name)) out.add(el.name.text);
    }
    if (ts.isImportSpecifier(n) && (n.propertyName ?? n.name).text === 'parentPort') out.add(n.name.text);
    ts.forEachChild(n, walk);
  };
  walk(source);
  return out;
}

const TYPED = /^(Float64|Float32|Int32|Uint32|Int16|Uint16|Int8|Uint8|Uint8Clamped|BigInt64|BigUint64)Array$/;

/** True when `e` is a length (a number), not an ArrayBuffer whose views would share the transfer. */
function isLength(e: ts.Expression, fn: ts.Node): boolean {
  if (ts.isNumericLiteral(e) || ts.isBinaryExpression(e)) return true;
  if (ts.isPropertyAccessExpression(e)) return e.name.text === 'length';
  if (!ts.isIdentifier(e)) return false;
  let ok = false;
  const walk = (n: ts.Node): void => {
    if (
      (ts.isParameter(n) || ts.isVariableDeclaration(n)) &&
      ts.isIdentifier(n.name) &&
      n.name.text === e.text
    )
      ok =
        n.type?.kind === ts.SyntaxKind.NumberKeyword ||
        (n.initializer !== undefined && !ts.isIdentifier(n.initializer) && isLength(n.initializer, fn));
    ts.forEachChild(n, walk);
  };
  walk(ts.isSourceFile(fn) ? fn : fn.parent);
  return ok;
}

/** The declaration of `name` as `const name = new XArray(n)` in `fn` (the array owns its buffer). */
function ownedTypedArray(fn: ts.Node, name: string): ts.VariableDeclaration | undefined {
  let found: ts.VariableDeclaration | undefined;
  const walk = (n: ts.Node): void => {
    if (
      ts.isVariableDeclaration(n) &&
      ts.isIdentifier(n.name) &&
      n.name.text === name &&
      n.initializer &&
      ts.isNewExpression(n.initializer) &&
      TYPED.test(n.initializer.expression.getText()) &&
      n.initializer.arguments?.length === 1 &&
      isLength(n.initializer.arguments[0]!, fn)
    )
      found = n;
    ts.forEachChild(n, walk);
  };
  walk(fn);
  return found;
}

/** `target.postMessage(a)` with `a` a typed array the sender owns and never uses again → a transfer list. */
export function postMessageFinding(
  call: ts.CallExpression,
  targets: ReadonlySet<string>,
): { verdict: ZeroCopyVerdict } | undefined {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) && !ts.isPropertyAccessChain(callee)) return undefined;
  if (callee.name.text !== 'postMessage' || call.arguments.length !== 1) return undefined;
  const arg = call.arguments[0]!;
  if (!ts.isIdentifier(arg)) return undefined;
  const fn = enclosingFunction(call);
  const decl = ownedTypedArray(fn, arg.text);
  if (!decl) return undefined;
  const no = (reason: string): { verdict: ZeroCopyVerdict } => ({ verdict: { kind: 'left-alone', reason } });
  let target: ts.Expression = callee.expression;
  while (ts.isNonNullExpression(target) || ts.isParenthesizedExpression(target)) target = target.expression;
  if (!ts.isIdentifier(target) || !targets.has(target.text))
    return no(
      `the receiver \`${target.getText()}\` is not known to be a Worker or a MessagePort (a window's postMessage takes a target origin second)`,
    );
  const name = arg.text;
  const after = refs(fn, name).filter((r) => r.getStart() > call.end);
  if (after.length > 0) return no(`\`${name}\` is used after it is posted: a transfer would detach it`);
  for (let p = call.parent as ts.Node | undefined; p && p !== fn; p = p.parent)
    if (ts.isIterationStatement(p, false) && decl.pos < p.pos)
      return no(
        `the post is in a loop and \`${name}\` is made before it: the second post would send a detached array`,
      );
  const escapes = refs(fn, name).filter((r) => {
    if (r === decl.name || r === arg) return false;
    const p = r.parent;
    return !(
      (ts.isElementAccessExpression(p) && p.expression === r) ||
      (ts.isPropertyAccessExpression(p) && p.expression === r && /^(length|fill|set)$/.test(p.name.text))
    );
  });
  if (escapes.length > 0)
    return no(
      `\`${name}\` is also handed elsewhere (\`${escapes[0]!.parent.getText()}\`): a transfer would detach it there too`,
    );
  return {
    verdict: {
      kind: 'rewrite',
      summary: `\`${name}\` is copied by structured clone: a transfer list (\`[${name}.buffer]\`) moves its buffer to the receiver without a copy`,
      assumes: `nothing else holds \`${name}\` or its buffer (after the post it is detached: length 0)`,
      edits: [{ start: arg.end, end: arg.end, text: `, [${name}.buffer]` }],
    },
  };
}
