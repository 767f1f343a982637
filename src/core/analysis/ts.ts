// The one module that imports the TypeScript compiler (pinned ~6.0.3, the classic JS API).
// Everything else in the engine gets `ts` from here, so a move to TypeScript 7's API touches one room.
import ts from 'typescript';

export { ts };

/** Version of the bundled compiler, for logs and reports. */
export const tsVersion: string = ts.version;

/** Compiler options for analysis: TS and JS (JSDoc types, inference), no emit, no @types lookup. */
export function analysisCompilerOptions(noResolve: boolean): ts.CompilerOptions {
  return {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowJs: true,
    checkJs: true,
    noEmit: true,
    strict: true,
    skipLibCheck: true,
    types: [],
    lib: ['lib.es2023.d.ts'],
    noResolve,
    allowNonTsExtensions: true,
  };
}

/** Script kind from a file name (`.js/.mjs/.cjs/.jsx` → JS, `.tsx` → TSX, else TS). */
export function scriptKindOf(fileName: string): ts.ScriptKind {
  if (/\.(m|c)?js$/i.test(fileName)) return ts.ScriptKind.JS;
  if (/\.jsx$/i.test(fileName)) return ts.ScriptKind.JSX;
  if (/\.tsx$/i.test(fileName)) return ts.ScriptKind.TSX;
  return ts.ScriptKind.TS;
}

/** True for the file names the analysis reads (TypeScript and JavaScript sources, not declarations). */
export function isAnalysableFile(fileName: string): boolean {
  return /\.(m|c)?(t|j)sx?$/i.test(fileName) && !/\.d\.(m|c)?ts$/i.test(fileName);
}
