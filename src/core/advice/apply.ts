// Applying a scaffolded rewrite: the text edits that replace the original function's body with a
// call to the scaffold's wrapper (`return sumNative(xs);`) and add its import at the top. Plain text
// in, offset edits out (no vscode): the extension turns them into one previewed WorkspaceEdit (one
// undo step), and the tests check that the inverse edits give back the original byte for byte.
// Anything that is not a plain function declaration / const function whose whole body is the kernel
// is refused with the reason; nothing here ever drops text it does not replace on purpose.
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type { LoopFacts } from '../analysis/types.js';
import { scriptKindOf, ts } from '../analysis/ts.js';
import { hoistedReads, planExtractedApply, writtenFields } from '../apply/extract.js';
import { inputParams } from '../ir/fresh.js';

/** Replace text[start, end) with newText (offsets into the text the edits were computed on). */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

export interface ApplyWrapper {
  /** Import specifier from the source file, e.g. `../hotloop/sum-native/index.js`. */
  readonly importPath: string;
  /** The wrapper's export (the kernel's name). */
  readonly exportName: string;
  /** Target name for the local alias and the comment (`native` → `sumNative`). */
  readonly target: string;
  /** The wrapper returns a Promise (worker, GPU): only a function that already is async may call it. */
  readonly async: boolean;
  /** Where the original is kept (for the comment), e.g. `hotloop/sum-native/original.ts`. */
  readonly originalPath?: string;
}

export interface ApplyRequest {
  readonly text: string;
  /** Decides TS vs JS parsing (`.ts`, `.js`, `.mjs`, …). */
  readonly fileName: string;
  readonly loop: Pick<LoopFacts, 'id' | 'functionName' | 'range' | 'kernel'> &
    Partial<Pick<LoopFacts, 'verdict'>>;
  readonly wrapper: ApplyWrapper;
  /** {@link textHash} of the text the loop facts came from; a mismatch refuses (the file changed since). */
  readonly expectedHash?: string;
}

export type ApplyPlan =
  | {
      readonly ok: true;
      /** Non-overlapping edits, in ascending order of `start`. */
      readonly edits: readonly TextEdit[];
      readonly functionName: string;
      /** The import's local name (`sumNative`). */
      readonly localName: string;
      /** One line for previews and logs. */
      readonly summary: string;
    }
  | { readonly ok: false; readonly reason: string };

/** A short content hash (what "the file changed since the analysis" is checked against). */
export function textHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16);
}

/** `text` with `edits` applied (edits in terms of the original offsets, non-overlapping). */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.start < at || e.end < e.start || e.end > text.length)
      throw new Error(`overlapping or out-of-range edit [${e.start}, ${e.end})`);
    out += text.slice(at, e.start) + e.newText;
    at = e.end;
  }
  return out + text.slice(at);
}

/** The edits that turn `applyTextEdits(text, edits)` back into `text` (offsets into the edited text). */
export function inverseTextEdits(text: string, edits: readonly TextEdit[]): TextEdit[] {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  const out: TextEdit[] = [];
  let shift = 0;
  for (const e of sorted) {
    const start = e.start + shift;
    out.push({ start, end: start + e.newText.length, newText: text.slice(e.start, e.end) });
    shift += e.newText.length - (e.end - e.start);
  }
  return out;
}

/**
 * The import specifier of the scaffold's wrapper from `sourceFile` (both absolute, `/` or native
 * separators): `<dir>/index.js` for TypeScript sources (resolves to index.ts under NodeNext/bundlers,
 * compiled along), `<dir>/dist/index.js` for JavaScript sources (the folder's `npm run build` output).
 */
export function wrapperImportPath(sourceFile: string, scaffoldDir: string): string {
  const norm = (p: string): string => p.split('\\').join('/');
  const js = /\.(m|c)?jsx?$/i.test(sourceFile);
  const rel = posix.relative(
    posix.dirname(norm(sourceFile)),
    posix.join(norm(scaffoldDir), js ? 'dist/index.js' : 'index.js'),
  );
  return rel.startsWith('.') ? rel : `./${rel}`;
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
/** `f`, `A.f`, `A.prototype.f`: the names of functions and members the analysis reports. */
const DOTTED = /^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)*$/;

type FnNode = ts.FunctionDeclaration | ts.MethodDeclaration | ts.ArrowFunction | ts.FunctionExpression;

/** The innermost function-like node whose body contains `pos`. */
export function enclosingFunction(sf: ts.SourceFile, pos: number): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (n: ts.Node): void => {
    if (pos < n.getStart(sf) || pos >= n.end) return;
    if (ts.isFunctionLike(n)) found = n;
    n.forEachChild(visit);
  };
  sf.forEachChild(visit);
  return found;
}

/**
 * Whether the kernel is the whole function `name` (the analysis names it after the function path,
 * `A.prototype.f` → `A_prototype_f`, maybe with `_2`), not one loop of it (`…_loop3`).
 */
function isWholeFunctionKernel(kernel: string, name: string): boolean {
  if (kernel === name) return true;
  const base = name.replace(/[^A-Za-z0-9_$]+/g, '_').replace(/^_+|_+$/g, '');
  return (
    !/_loop\d+(_\d+)?$/.test(kernel) &&
    (kernel === base || new RegExp(`^${base.replace(/\$/g, '\\$')}_\\d+$`).test(kernel))
  );
}

/** The name a method or property-assigned function expression is known by (`a.b.c` → `c`). */
function memberName(node: ts.Node): string | undefined {
  if ((ts.isMethodDeclaration(node) || ts.isPropertyAssignment(node)) && ts.isIdentifier(node.name))
    return node.name.text;
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const l = node.left;
    if (ts.isPropertyAccessExpression(l)) return l.name.text;
  }
  return undefined;
}

/**
 * Why `node` is not a function whose body we may replace, or its declaration. Besides plain
 * functions and const arrows: a method (class or object literal) and a function expression that is
 * the value of a property (`X.prototype.f = function (…) {…}`, `{ f: function (…) {…} }`) — the
 * callers keep calling the same member, only its body changes; the kernel takes exactly the
 * member's parameters (checked by the caller), so nothing of `this` is lost.
 */
function plainFunction(node: ts.Node, name: string): { fn: FnNode; declared: string } | string {
  const last = name.split('.').at(-1)!;
  if (ts.isFunctionDeclaration(node)) {
    if (!node.body) return `${name} has no body (an overload signature?)`;
    if (node.name?.text !== name) return `the loop is not directly inside the function ${name}`;
    return { fn: node, declared: 'function declaration' };
  }
  if (ts.isMethodDeclaration(node)) {
    if (!node.body) return `${name} has no body (an abstract or overload signature?)`;
    if (memberName(node) !== last) return `the loop is not directly inside the method ${name}`;
    return { fn: node, declared: 'method' };
  }
  if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) {
    const decl = node.parent;
    if (
      (ts.isPropertyAssignment(decl) && decl.initializer === node) ||
      (ts.isBinaryExpression(decl) && decl.right === node)
    ) {
      if (memberName(decl) !== last) return `the loop is not directly inside ${name}`;
      return { fn: node, declared: 'member function' };
    }
    if (
      !ts.isVariableDeclaration(decl) ||
      decl.initializer !== node ||
      !ts.isIdentifier(decl.name) ||
      (decl.name.text !== name && decl.name.text !== last)
    ) {
      return `${name} is a function expression that is not the value of a variable or a property named ${last}`;
    }
    // const, let or var: only the body of this function object changes, so a later reassignment of
    // the variable replaces the rewritten function exactly as it would have replaced the original.
    return { fn: node, declared: 'function variable' };
  }
  if (ts.isConstructorDeclaration(node) || ts.isAccessor(node))
    return `${name} is a constructor or accessor: only functions and methods are rewritten (change the call sites instead)`;
  return `${name} is not a plain function, method or const arrow function`;
}

function lineStart(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

export function indentAt(text: string, pos: number): string {
  const s = lineStart(text, pos);
  return /^[ \t]*/.exec(text.slice(s, pos))![0];
}

/** `'use strict'` and other directives at the top of the file (they must stay first). */
function prologue(sf: ts.SourceFile): ts.Statement[] {
  const out: ts.Statement[] = [];
  for (const s of sf.statements) {
    if (!ts.isExpressionStatement(s) || !ts.isStringLiteral(s.expression)) break;
    out.push(s);
  }
  return out;
}

/**
 * Where the import goes: after the last import (or, in a CommonJS file, after the directive prologue
 * such as 'use strict'), else above the first statement (and the comments attached to it).
 */
export function importEdit(sf: ts.SourceFile, text: string, line: string): TextEdit {
  const imports = sf.statements.filter(ts.isImportDeclaration);
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  const last = imports.at(-1) ?? prologue(sf).at(-1);
  if (last) return { start: last.end, end: last.end, newText: `${nl}${line}` };
  const first = sf.statements[0];
  if (!first) return { start: text.length, end: text.length, newText: `${line}${nl}` };
  let at = first.getStart(sf);
  // Comments directly above the statement (no blank line between) belong to it (JSDoc): go above them,
  // but never above the file's first comment when it is separated from the statement by a blank line.
  const comments = ts.getLeadingCommentRanges(text, first.pos) ?? [];
  for (let i = comments.length - 1; i >= 0; i--) {
    const between = text.slice(comments[i]!.end, at);
    if (/\n[ \t]*\r?\n/.test(between)) break;
    at = comments[i]!.pos;
  }
  // Never before a byte order mark (U+FEFF would end up mid-file) nor above a shebang line.
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  at = Math.max(lineStart(text, at), bom);
  if (at === bom && text.startsWith('#!', bom)) at = text.indexOf('\n') + 1;
  return { start: at, end: at, newText: `${line}${nl}${nl}` };
}

export function localNameFor(text: string, fn: string, target: string): string {
  const base = `${fn}${target.charAt(0).toUpperCase()}${target.slice(1).replace(/[^A-Za-z0-9_$]/g, '')}`;
  for (let k = 1; ; k++) {
    const name = k === 1 ? base : `${base}${k}`;
    if (!new RegExp(`(^|[^A-Za-z0-9_$])${name.replace(/\$/g, '\\$')}($|[^A-Za-z0-9_$])`).test(text))
      return name;
  }
}

/** Whether the file is an ES module or CommonJS (which `require`s the wrapper instead of importing it). */
export function moduleKind(sf: ts.SourceFile, fileName: string): 'esm' | 'cjs' {
  if (/\.c[jt]s$/i.test(fileName)) return 'cjs';
  const esm = sf.statements.some(
    (s) =>
      ts.isImportDeclaration(s) ||
      ts.isExportDeclaration(s) ||
      ts.isExportAssignment(s) ||
      (ts.canHaveModifiers(s) && ts.getModifiers(s)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)),
  );
  return !esm && /\brequire\s*\(|\bmodule\.exports\b|\bexports\.[A-Za-z_$]/.test(sf.text) ? 'cjs' : 'esm';
}

/**
 * The line that brings the wrapper in: an `import`, or in a CommonJS file a `require` of the wrapper's
 * ES module build (Node ≥ 20.19 loads a synchronous ES module with `require`; the wrapper has no
 * top-level await).
 */
export function wrapperImportLine(kind: 'esm' | 'cjs', w: ApplyWrapper, local: string): string {
  return kind === 'cjs'
    ? `const { ${w.exportName}: ${local} } = require('${w.importPath}');`
    : `import { ${w.exportName} as ${local} } from '${w.importPath}';`;
}

/** Why a CommonJS file cannot call this wrapper, or undefined. */
function cjsRefusal(sf: ts.SourceFile, fileName: string, w: ApplyWrapper): string | undefined {
  if (moduleKind(sf, fileName) === 'esm') return undefined;
  if (w.async)
    return `${fileName} is a CommonJS module and the ${w.target} wrapper is asynchronous: call it from an async function by hand`;
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  const requireEsm = major >= 23 || (major === 22 && minor >= 12) || (major === 20 && minor >= 19);
  if (!requireEsm)
    return `${fileName} is a CommonJS module: requiring the ES module wrapper needs Node ≥ 20.19 / 22.12 (this is ${process.versions.node})`;
  return undefined;
}

/**
 * The edits that make the function around `req.loop` call the scaffold's wrapper, or why not.
 * Refuses: a changed file (hash), a loop whose kernel is not the whole function, anything but a
 * plain `function f(…)` / `const f = (…) => …` with simple parameters matching the kernel's, an
 * async wrapper for a sync function or a CommonJS file (which `require`s a synchronous wrapper).
 */
export function planApply(req: ApplyRequest): ApplyPlan {
  const { text, loop, wrapper } = req;
  const refuse = (reason: string): ApplyPlan => ({ ok: false, reason });
  if (req.expectedHash !== undefined && textHash(text) !== req.expectedHash) {
    return refuse('the file changed since it was analysed; analyse it again and retry');
  }
  const name = loop.functionName;
  const k = loop.kernel;
  if (!k) return refuse(`the loop ${loop.id} is not translatable, so there is no rewrite to apply`);
  if (!IDENT.test(wrapper.exportName))
    return refuse(`the wrapper's export '${wrapper.exportName}' is not an identifier`);
  const sf = ts.createSourceFile(
    req.fileName,
    text,
    ts.ScriptTarget.Latest,
    true,
    scriptKindOf(req.fileName),
  );
  const cjs = cjsRefusal(sf, req.fileName, wrapper);
  if (cjs) return refuse(cjs);
  let pos: number;
  try {
    pos = sf.getPositionOfLineAndCharacter(loop.range.start.line, loop.range.start.character);
  } catch {
    return refuse('the loop is not where the analysis saw it (the file changed); analyse it again and retry');
  }
  const node = enclosingFunction(sf, pos);
  if (!node) return refuse(`the loop is not inside a function (top-level code cannot be replaced by a call)`);
  // A loop that is only part of its function: extract it into its own function, then replace that
  // (the new function is named after the kernel, so an anonymous enclosing function is no obstacle).
  if (!isWholeFunctionKernel(k.name, name))
    return planExtractedApply({
      sf,
      text,
      pos,
      fn: node,
      kernel: k,
      functionName: name,
      wrapper,
      hoisted: hoistedReads(loop.verdict?.translatable ? loop.verdict.notes : undefined),
      fields: writtenFields(loop.verdict?.translatable ? loop.verdict.notes : undefined),
    });
  if (!DOTTED.test(name))
    return refuse(
      `the loop is in '${name}', not a named function or method: only those are rewritten (change the call sites instead)`,
    );
  const plain = plainFunction(node, name);
  if (typeof plain === 'string') return refuse(plain);
  const { fn } = plain;
  const isAsync = ts.getModifiers(fn)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword) ?? false;
  if (fn.asteriskToken) return refuse(`${name} is a generator`);
  if (wrapper.async && !isAsync) {
    return refuse(
      `the ${wrapper.target} wrapper returns a Promise but ${name} returns its result directly: replacing the body would change what every caller gets. Import ${wrapper.exportName} from '${wrapper.importPath}' and await it at the call sites instead`,
    );
  }
  const params: string[] = [];
  for (const p of fn.parameters) {
    if (!ts.isIdentifier(p.name))
      return refuse(`${name} has a destructured parameter: only plain parameters are passed on`);
    if (p.name.text === 'this') continue;
    if (p.dotDotDotToken || p.initializer)
      return refuse(
        `${name}'s parameter ${p.name.text} is a rest parameter or has a default: only plain parameters are passed on`,
      );
    params.push(p.name.text);
  }
  // Fresh output arrays are allocated by the wrapper: the original takes the other parameters.
  const kParams = inputParams(k).map((p) => p.name);
  if (params.join(',') !== kParams.join(',')) {
    return refuse(
      `${name}(${params.join(', ')}) does not take the kernel's parameters (${kParams.join(', ')}) in order; the wrapper cannot be called with the same arguments`,
    );
  }
  const local = localNameFor(text, name.split('.').at(-1)!, wrapper.target);
  const call = `${local}(${params.join(', ')})`;
  const keptIn = wrapper.originalPath ? `; the original is kept in ${wrapper.originalPath}` : '';
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  const body = fn.body!;
  let bodyEdit: TextEdit;
  if (ts.isBlock(body)) {
    const outer = indentAt(text, fn.getStart(sf));
    const firstStmt = body.statements[0];
    const inner = firstStmt ? indentAt(text, firstStmt.getStart(sf)) : `${outer}  `;
    const innerIndent = inner.length > outer.length ? inner : `${outer}  `;
    const open = body.getStart(sf) + 1;
    const close = body.end - 1;
    bodyEdit = {
      start: open,
      end: close,
      newText: `${nl}${innerIndent}// Hotloop: ${wrapper.target} rewrite (undo to restore the loop${keptIn}).${nl}${innerIndent}return ${call};${nl}${outer}`,
    };
  } else {
    bodyEdit = { start: body.getStart(sf), end: body.end, newText: call };
  }
  const importLine = wrapperImportLine(moduleKind(sf, req.fileName), wrapper, local);
  const imp = importEdit(sf, text, importLine);
  if (imp.start > bodyEdit.start && imp.start < bodyEdit.end)
    return refuse('internal: the import would land inside the function');
  const edits = [imp, bodyEdit].sort((a, b) => a.start - b.start);
  return {
    ok: true,
    edits,
    functionName: name,
    localName: local,
    summary: `${name} calls the ${wrapper.target} rewrite (${wrapper.importPath})`,
  };
}
