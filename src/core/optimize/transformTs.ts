// TS → ESM JavaScript for generated files (scaffold wrappers, the original's plain-JS module). esbuild
// when it loads (the dev tree, or the workspace's own), else the TypeScript compiler inside the engine:
// the VSIX ships no node_modules, so the engine must never import esbuild at load time.
import { loadEsbuild } from '../profile/bundle.js';
import { ts } from '../analysis/ts.js';

export async function transformTs(code: string, root: string, sourcefile = 'input.ts'): Promise<string> {
  const found = await loadEsbuild(root);
  if (found)
    return (
      await found.esbuild.transform(code, { loader: 'ts', format: 'esm', target: 'es2022', sourcefile })
    ).code;
  return ts.transpileModule(code, {
    fileName: sourcefile,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      verbatimModuleSyntax: false,
      isolatedModules: true,
    },
  }).outputText;
}
