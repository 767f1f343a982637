// The bundler of last resort: when no esbuild can be loaded (the extension installed from the VSIX,
// which ships no node_modules, in a workspace without esbuild), each source file reachable from the
// entry through relative imports is transpiled on its own with the TypeScript compiler the engine
// already holds (ts.transpileModule, no type check) into a mirror of the sources, with a source map
// that points at the original file. Bare imports (packages) resolve from the workspace's
// node_modules, because the mirror lives inside the workspace (`.hotloop/run-…`).
// Limits: tsconfig `paths` aliases and `const enum`s across files are not understood; ESM imports
// without an extension resolve like a bundler would (`./x` → `./x.ts`) and are rewritten.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ts } from '../analysis/ts.js';

export interface TranspileRequest {
  readonly entry: string;
  /** Workspace root: the mirror is written under `<root>/.hotloop/` (else the temp dir). */
  readonly root: string;
  readonly format: 'cjs' | 'esm';
  readonly transform?: (file: string, text: string) => string | undefined;
}

export interface Transpiled {
  /** The entry's transpiled file. */
  readonly file: string;
  /** The mirror directory (remove it when the profile is attributed). */
  readonly dir: string;
  readonly files: number;
}

const CODE = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const TS_FOR_JS: Record<string, readonly string[]> = {
  '.js': ['.ts', '.tsx'],
  '.mjs': ['.mts'],
  '.cjs': ['.cts'],
  '.jsx': ['.tsx'],
};
const TRY_EXT = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '.json'];

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** A relative specifier → the source file it means, as TypeScript and bundlers resolve it. */
export function resolveRelative(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec);
  const ext = extname(base);
  for (const alt of TS_FOR_JS[ext] ?? []) {
    const p = base.slice(0, -ext.length) + alt;
    if (isFile(p)) return p;
  }
  if (isFile(base)) return base;
  for (const e of TRY_EXT) if (isFile(base + e)) return base + e;
  for (const e of TRY_EXT) if (isFile(join(base, `index${e}`))) return join(base, `index${e}`);
  return undefined;
}

function outExt(file: string): string {
  const ext = extname(file);
  if (ext === '.mts' || ext === '.mjs') return '.mjs';
  if (ext === '.cts' || ext === '.cjs') return '.cjs';
  if (ext === '.json') return '.json';
  return '.js';
}

function relSpec(fromOut: string, toOut: string): string {
  const r = relative(dirname(fromOut), toOut).split('\\').join('/');
  return r.startsWith('.') ? r : `./${r}`;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Transpiles the entry and every file it reaches by relative imports into a fresh mirror directory. */
export function transpileEntry(req: TranspileRequest): Transpiled {
  let parent = join(req.root, '.hotloop');
  try {
    mkdirSync(parent, { recursive: true });
  } catch {
    parent = tmpdir();
  }
  const dir = mkdtempSync(join(parent, 'run-'));
  // Node decides .js files' format by the nearest package.json: the mirror's own says which.
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ type: req.format === 'esm' ? 'module' : 'commonjs' }),
  );
  const outOf = (src: string): string => {
    const rel = relative(req.root, src);
    const inside = rel && !rel.startsWith('..') && !isAbsolute(rel);
    const mirrored = inside ? rel : join('__outside__', src.replace(/^[a-zA-Z]:/, '').replace(/^[\\/]+/, ''));
    const ext = extname(mirrored);
    return join(dir, ext ? mirrored.slice(0, -ext.length) + outExt(src) : mirrored);
  };
  const entry = resolve(req.entry);
  const queue = [entry];
  const done = new Set<string>();
  while (queue.length) {
    const src = queue.pop()!;
    if (done.has(src)) continue;
    done.add(src);
    const out = outOf(src);
    mkdirSync(dirname(out), { recursive: true });
    if (!CODE.test(src)) {
      copyFileSync(src, out);
      continue;
    }
    const original = readFileSync(src, 'utf8');
    const text = req.transform?.(src, original) ?? original;
    const moduleKind =
      outExt(src) === '.mjs' || (outExt(src) === '.js' && req.format === 'esm')
        ? ts.ModuleKind.ESNext
        : ts.ModuleKind.CommonJS;
    const result = ts.transpileModule(text, {
      fileName: src,
      reportDiagnostics: true,
      compilerOptions: {
        target: ts.ScriptTarget.ES2022,
        module: moduleKind,
        sourceMap: true,
        inlineSources: false,
        allowJs: true,
        jsx: ts.JsxEmit.React,
        esModuleInterop: true,
        verbatimModuleSyntax: false,
        isolatedModules: true,
      },
    });
    const syntax = result.diagnostics?.find((d) => d.category === ts.DiagnosticCategory.Error);
    if (syntax) {
      const where =
        syntax.file && syntax.start !== undefined
          ? `:${syntax.file.getLineAndCharacterOfPosition(syntax.start).line + 1}`
          : '';
      throw new Error(
        `Could not transpile ${src}${where} for profiling: ${ts.flattenDiagnosticMessageText(syntax.messageText, '\n')}. Fix the syntax error or profile the project's own build (a "script" target).`,
      );
    }
    let code = result.outputText.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
    // Relative imports: follow them, and point them at the mirrored file (extension included).
    const info = ts.preProcessFile(text, true, true);
    for (const ref of info.importedFiles) {
      const spec = ref.fileName;
      if (!spec.startsWith('.')) continue;
      const target = resolveRelative(src, spec);
      if (!target) continue;
      queue.push(target);
      const to = relSpec(out, outOf(target));
      if (to !== spec) code = code.replace(new RegExp(`(['"])${escapeRe(spec)}\\1`, 'g'), JSON.stringify(to));
    }
    const map = JSON.parse(result.sourceMapText ?? '{}') as {
      sources?: string[];
      sourceRoot?: string;
      file?: string;
    };
    map.sources = [pathToFileURL(src).href];
    map.sourceRoot = '';
    map.file = out;
    writeFileSync(`${out}.map`, JSON.stringify(map));
    writeFileSync(out, `${code}//# sourceMappingURL=${relSpec(out, `${out}.map`).replace(/^\.\//, '')}\n`);
  }
  return { file: outOf(entry), dir, files: done.size };
}
