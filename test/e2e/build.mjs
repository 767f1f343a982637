// esbuild options for the in-host test bundle `out/test/suite/index.js` (imported by esbuild.mjs).
// Every `test/e2e/suite/*.e2e.ts` is included automatically: the virtual module `hotloop:e2e-files`
// lists them (read at build time), each behind a lazy loader so mocha's `suite`/`test` globals exist
// when the file's top level runs.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const suiteDir = new URL('./suite/', import.meta.url).pathname;

/** @type {import('esbuild').Plugin} */
const e2eFilesPlugin = {
  name: 'hotloop-e2e-files',
  setup(build) {
    build.onResolve({ filter: /^hotloop:e2e-files$/ }, () => ({
      path: 'e2e-files',
      namespace: 'hotloop-e2e',
    }));
    build.onLoad({ filter: /.*/, namespace: 'hotloop-e2e' }, () => {
      const files = readdirSync(suiteDir)
        .filter((f) => f.endsWith('.e2e.ts'))
        .sort();
      const entries = files.map(
        (f) => `  { name: ${JSON.stringify(f)}, load: () => require(${JSON.stringify(`./${f}`)}) },`,
      );
      return {
        contents: `module.exports = [\n${entries.join('\n')}\n];\n`,
        resolveDir: suiteDir,
        loader: 'js',
        watchDirs: [suiteDir],
      };
    });
  },
};

/**
 * The build entry for the in-host suite, given the shared Node options of esbuild.mjs.
 * @param {import('esbuild').BuildOptions} node
 * @returns {import('esbuild').BuildOptions}
 */
export function e2eSuiteBuild(node) {
  return {
    ...node,
    entryPoints: { index: join(suiteDir, 'index.ts') },
    outdir: 'out/test/suite',
    // mocha is bundled in: the harness folder that runs the suite has no node_modules.
    external: ['vscode'],
    // mocha's parallel mode (unused here) require.resolve()s its worker files.
    logOverride: { 'require-resolve-not-external': 'silent' },
    plugins: [e2eFilesPlugin],
    // Test sources are small; keep names readable in stack traces.
    minify: false,
    sourcemap: true,
  };
}
