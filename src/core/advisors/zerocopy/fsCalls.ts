// Which calls are node:fs's readFile/writeFile (named, namespace or default imports, `fs.promises`),
// and the import edits a rewrite to copyFile needs. Syntax only: names are traced to their imports.
import { ts } from '../../analysis/ts.js';
import type { TextEdit } from '../types.js';

const FS_MODULES = new Set(['fs', 'node:fs', 'fs/promises', 'node:fs/promises']);

export interface FsCall {
  readonly call: ts.CallExpression;
  /** `readFile` / `readFileSync` / `writeFile` / `writeFileSync`. */
  readonly method: 'readFile' | 'readFileSync' | 'writeFile' | 'writeFileSync';
  /** The callee text with the method replaced by `copyFile`/`copyFileSync` when it is a property access. */
  readonly copyCallee: string;
  /** The named import the callee comes from (when it is a bare identifier). */
  readonly named?: { readonly decl: ts.ImportDeclaration; readonly local: string };
}

interface FsImports {
  /** local name → [declaration, imported name] for named imports of fs modules. */
  readonly named: Map<string, { decl: ts.ImportDeclaration; imported: string }>;
  /** local names bound to a whole fs module (namespace or default import, `require`). */
  readonly modules: Map<string, string>;
}

export function fsImports(source: ts.SourceFile): FsImports {
  const named = new Map<string, { decl: ts.ImportDeclaration; imported: string }>();
  const modules = new Map<string, string>();
  for (const s of source.statements) {
    if (!ts.isImportDeclaration(s) || !ts.isStringLiteral(s.moduleSpecifier)) continue;
    const mod = s.moduleSpecifier.text;
    if (!FS_MODULES.has(mod) || !s.importClause || s.importClause.phaseModifier === ts.SyntaxKind.TypeKeyword)
      continue;
    if (s.importClause.name) modules.set(s.importClause.name.text, mod);
    const b = s.importClause.namedBindings;
    if (b && ts.isNamespaceImport(b)) modules.set(b.name.text, mod);
    else if (b)
      for (const el of b.elements)
        named.set(el.name.text, { decl: s, imported: (el.propertyName ?? el.name).text });
  }
  return { named, modules };
}

const METHODS = new Set(['readFile', 'readFileSync', 'writeFile', 'writeFileSync']);

/** The fs call `e` is (after an optional `await`), else undefined. */
export function asFsCall(e: ts.Expression, imports: FsImports): FsCall | undefined {
  let x = e;
  if (ts.isAwaitExpression(x)) x = x.expression;
  if (!ts.isCallExpression(x)) return undefined;
  const c = x.expression;
  if (ts.isIdentifier(c)) {
    const imp = imports.named.get(c.text);
    if (!imp || !METHODS.has(imp.imported)) return undefined;
    const method = imp.imported as FsCall['method'];
    return { call: x, method, copyCallee: copyName(method), named: { decl: imp.decl, local: c.text } };
  }
  if (!ts.isPropertyAccessExpression(c) || !METHODS.has(c.name.text)) return undefined;
  const base = c.expression;
  const ok =
    (ts.isIdentifier(base) && imports.modules.has(base.text)) ||
    (ts.isPropertyAccessExpression(base) &&
      base.name.text === 'promises' &&
      ts.isIdentifier(base.expression) &&
      imports.modules.has(base.expression.text));
  if (!ok) return undefined;
  const method = c.name.text as FsCall['method'];
  return { call: x, method, copyCallee: `${base.getText()}.${copyName(method)}` };
}

function copyName(method: FsCall['method']): string {
  return method.endsWith('Sync') ? 'copyFileSync' : 'copyFile';
}

/** True for readFile/writeFile pairs of one flavour (both promise-returning, or both synchronous). */
export function sameFlavour(read: FsCall, write: FsCall): boolean {
  return read.method.endsWith('Sync') === write.method.endsWith('Sync');
}

/**
 * The edit of a named import after a rewrite: `copyFile` added (imported from the module the read
 * came from) and `drop` removed (names the rewrite left without a use).
 */
export function namedImportEdit(
  decl: ts.ImportDeclaration,
  add: string,
  drop: readonly string[],
  source: ts.SourceFile,
): TextEdit | undefined {
  const b = decl.importClause?.namedBindings;
  if (!b || !ts.isNamedImports(b)) return undefined;
  const names = b.elements.filter((el) => !drop.includes(el.name.text)).map((el) => el.getText(source));
  if (!b.elements.some((el) => el.name.text === add && !el.propertyName)) names.push(add);
  return { start: b.getStart(source), end: b.end, text: `{ ${names.join(', ')} }` };
}
