// The zero-copy advisor: (1) a file read whole into a Buffer only to be written whole elsewhere →
// `copyFile` (the kernel copies; no bytes cross into JS); (2) `acc = Buffer.concat([acc, chunk])` in a
// loop, which copies everything so far on every iteration → collect the chunks, concat once after the
// loop (one allocation of the final size). Syntax only. Apply one finding at a time (applyZeroCopy).
import { scriptKindOf, ts } from '../../analysis/ts.js';
import type { Range } from '../../analysis/types.js';
import { lineIndent } from '../io/rewrite.js';
import { forEachDescendant, mutatedRoots, referencedNames } from '../io/scope.js';
import type { TextEdit } from '../types.js';
import { asFsCall, fsImports, namedImportEdit, sameFlavour } from './fsCalls.js';
import { fileResponseFinding, messageTargets, postMessageFinding } from './streams.js';
import type { ZeroCopyFinding, ZeroCopyVerdict } from './types.js';

function rangeOf(source: ts.SourceFile, n: ts.Node): Range {
  const s = source.getLineAndCharacterOfPosition(n.getStart(source));
  const e = source.getLineAndCharacterOfPosition(n.end);
  return { start: { line: s.line, character: s.character }, end: { line: e.line, character: e.character } };
}

function functionOf(n: ts.Node): { name: string; body: ts.Node } {
  for (let p = n.parent as ts.Node | undefined; p; p = p.parent) {
    if (ts.isFunctionLike(p)) {
      const named =
        'name' in p && p.name && ts.isIdentifier(p.name)
          ? p.name.text
          : ts.isVariableDeclaration(p.parent) && ts.isIdentifier(p.parent.name)
            ? p.parent.name.text
            : '<anonymous>';
      return { name: named, body: p };
    }
    if (ts.isSourceFile(p)) return { name: '<module>', body: p };
  }
  return { name: '<module>', body: n.getSourceFile() };
}

/** Identifier nodes named `name` under `root` that are value references (not property names). */
function uses(root: ts.Node, name: string): ts.Identifier[] {
  const out: ts.Identifier[] = [];
  forEachDescendant(root, (n) => {
    if (
      ts.isIdentifier(n) &&
      n.text === name &&
      !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n)
    )
      out.push(n);
    return true;
  });
  return out;
}

/** The whole lines of a statement (for deleting it with its indentation and newline). */
function lineSpan(text: string, s: ts.Statement, source: ts.SourceFile): { start: number; end: number } {
  const start = text.lastIndexOf('\n', s.getStart(source) - 1) + 1;
  const nl = text.indexOf('\n', s.end);
  return { start, end: nl < 0 ? s.end : nl + 1 };
}

function readWriteFinding(
  source: ts.SourceFile,
  block: readonly ts.Statement[],
  k: number,
  imports: ReturnType<typeof fsImports>,
): ZeroCopyVerdict | undefined {
  const s = block[k]!;
  if (!ts.isVariableStatement(s) || s.declarationList.declarations.length !== 1) return undefined;
  const d = s.declarationList.declarations[0]!;
  if (!ts.isIdentifier(d.name) || !d.initializer) return undefined;
  const read = asFsCall(d.initializer, imports);
  if (!read || !read.method.startsWith('readFile')) return undefined;
  const bytes = d.name.text;
  const writeAt = block.findIndex((w, j) => j > k && uses(w, bytes).length > 0);
  const w = block[writeAt];
  const write = w && ts.isExpressionStatement(w) ? asFsCall(w.expression, imports) : undefined;
  if (!w || !write || !write.method.startsWith('writeFile') || !sameFlavour(read, write)) return undefined;
  const [dst, arg] = write.call.arguments;
  if (!dst || !arg || !ts.isIdentifier(arg) || arg.text !== bytes) return undefined;
  const no = (reason: string): ZeroCopyVerdict => ({ kind: 'left-alone', reason });
  if (read.call.arguments.length !== 1)
    return no(
      `reads with options (${read.call.arguments[1]!.getText(source)}): a decode/encode round trip is not a byte copy`,
    );
  if (write.call.arguments.length !== 2) return no('writes with options (mode, flag or encoding)');
  const fn = functionOf(s).body;
  if (uses(fn, bytes).length !== 2)
    return no(`\`${bytes}\` is also used elsewhere: the bytes are needed in JS`);
  const src = read.call.arguments[0]!;
  const between = block.slice(k + 1, writeAt);
  const changed = [...mutatedRoots(between)].filter((m) => referencedNames([src]).has(m));
  if (changed.length > 0)
    return no(`the source path's ${changed.join(', ')} changes between the read and the write`);
  const text = source.text;
  const edits: TextEdit[] = [
    { ...lineSpan(text, s, source), text: '' },
    {
      start: write.call.getStart(source),
      end: write.call.end,
      text: `${read.copyCallee}(${src.getText(source)}, ${dst.getText(source)})`,
    },
  ];
  if (read.named) {
    const { decl, local } = read.named;
    // After the rewrite a name used only by the removed read (or the replaced write) would be unused.
    const drop: string[] = [];
    if (uses(source, local).length <= 2) drop.push(local);
    if (write.named && write.named.decl === decl && uses(source, write.named.local).length <= 2)
      drop.push(write.named.local);
    const e = namedImportEdit(decl, read.copyCallee, drop, source);
    if (e) edits.push(e);
  }
  return {
    kind: 'rewrite',
    summary: `the file is read into a Buffer only to be written whole: ${read.copyCallee}() copies it without the bytes crossing into JS`,
    assumes: `the source and destination are different files${between.length > 0 ? ' and nothing between the read and the write changes the source' : ''}; the copy keeps the source's permission bits`,
    edits,
  };
}

/** `X = Buffer.concat([X, E])` → the X and E texts, else undefined. */
function concatStep(s: ts.Statement): { acc: string; chunk: ts.Expression } | undefined {
  if (!ts.isExpressionStatement(s)) return undefined;
  const e = s.expression;
  if (
    !ts.isBinaryExpression(e) ||
    e.operatorToken.kind !== ts.SyntaxKind.EqualsToken ||
    !ts.isIdentifier(e.left)
  )
    return undefined;
  const r = e.right;
  if (
    !ts.isCallExpression(r) ||
    r.arguments.length !== 1 ||
    r.expression.getText() !== 'Buffer.concat' ||
    !ts.isArrayLiteralExpression(r.arguments[0]!)
  )
    return undefined;
  const [first, chunk, ...rest] = r.arguments[0].elements;
  if (!first || !chunk || rest.length > 0 || !ts.isIdentifier(first) || first.text !== e.left.text)
    return undefined;
  if (ts.isSpreadElement(chunk)) return undefined;
  return { acc: e.left.text, chunk };
}

function freshName(text: string, base: string): string {
  for (let k = 0; ; k++) {
    const name = k === 0 ? base : `${base}${k}`;
    if (!new RegExp(`\\b${name}\\b`).test(text)) return name;
  }
}

function concatFinding(
  source: ts.SourceFile,
  loop: ts.IterationStatement,
  s: ts.ExpressionStatement,
  step: { acc: string; chunk: ts.Expression },
  typescript: boolean,
): ZeroCopyVerdict {
  const others = uses(loop, step.acc).length - 2; // the assignment's target and first element
  if (others > 0)
    return {
      kind: 'left-alone',
      reason: `the loop also reads \`${step.acc}\`: it needs the joined bytes inside the loop`,
    };
  const anchor: ts.Statement = ts.isLabeledStatement(loop.parent) ? loop.parent : loop;
  if (!ts.isBlock(anchor.parent) && !ts.isSourceFile(anchor.parent) && !ts.isModuleBlock(anchor.parent))
    return {
      kind: 'left-alone',
      reason: 'the loop is not a statement of a block (nowhere to put the final concat)',
    };
  const text = source.text;
  const parts = freshName(text, `${step.acc}Parts`);
  const indent = lineIndent(text, anchor.getStart(source));
  const lineStart = text.lastIndexOf('\n', anchor.getStart(source) - 1) + 1;
  return {
    kind: 'rewrite',
    summary: `\`${step.acc} = Buffer.concat([${step.acc}, …])\` copies everything joined so far on every iteration: collect the chunks and concat once after the loop (one allocation of the final size)`,
    assumes: `nothing reads \`${step.acc}\` while the loop runs (also not after a throw inside it)`,
    edits: [
      {
        start: lineStart,
        end: lineStart,
        text: `${indent}const ${parts}${typescript ? ': Uint8Array[]' : ''} = [${step.acc}];\n`,
      },
      { start: s.getStart(source), end: s.end, text: `${parts}.push(${step.chunk.getText(source)});` },
      { start: anchor.end, end: anchor.end, text: `\n${indent}${step.acc} = Buffer.concat(${parts});` },
    ],
  };
}

/** Finds the zero-copy opportunities of one file. */
export function adviseZeroCopy(fileName: string, text: string): ZeroCopyFinding[] {
  const kind = scriptKindOf(fileName);
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true, kind);
  const typescript = kind === ts.ScriptKind.TS || kind === ts.ScriptKind.TSX;
  const imports = fsImports(source);
  const targets = messageTargets(source);
  const out: ZeroCopyFinding[] = [];
  const push = (n: ts.Node, k: ZeroCopyFinding['kind'], verdict: ZeroCopyVerdict): void => {
    out.push({
      advisor: 'zerocopy',
      kind: k,
      file: fileName,
      line: source.getLineAndCharacterOfPosition(n.getStart(source)).line + 1,
      range: rangeOf(source, n),
      functionName: functionOf(n).name,
      verdict,
    });
  };
  const visit = (n: ts.Node): void => {
    if (ts.isBlock(n) || ts.isSourceFile(n) || ts.isModuleBlock(n))
      n.statements.forEach((s, k) => {
        const v = readWriteFinding(source, n.statements, k, imports);
        if (v) push(s, 'read-write-copy', v);
        const r = fileResponseFinding(source, n.statements, k, imports);
        if (r) push(s, 'file-response', r);
      });
    if (ts.isCallExpression(n)) {
      const p = postMessageFinding(n, targets);
      if (p) push(n, 'post-untransferred', p.verdict);
    }
    if (ts.isIterationStatement(n, false)) {
      const body = ts.isBlock(n.statement) ? n.statement.statements : [n.statement];
      for (const s of body) {
        const step = concatStep(s);
        if (step && ts.isExpressionStatement(s))
          push(s, 'concat-in-loop', concatFinding(source, n, s, step, typescript));
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(source);
  return out;
}
