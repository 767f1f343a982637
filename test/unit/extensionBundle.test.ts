// The activation bundle must stay thin: no TypeScript compiler (that is dist/engine.js, loaded lazily).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as esbuild from 'esbuild';

test('dist/extension.js does not bundle the TypeScript compiler or the engine, and stays small', async () => {
  const result = await esbuild.build({
    entryPoints: ['src/extension/extension.ts'],
    absWorkingDir: new URL('../..', import.meta.url).pathname,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    write: false,
    metafile: true,
    external: ['vscode'],
    logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs);
  assert.deepEqual(inputs.filter((p) => p.includes('node_modules/typescript/')), []);
  assert.deepEqual(inputs.filter((p) => p.startsWith('src/core/analysis/') && !p.endsWith('types.ts')), [], 'the analysis engine is loaded lazily from dist/engine.js');
  const bytes = result.outputFiles[0]!.contents.byteLength;
  assert.ok(bytes < 300_000, `extension bundle is ${bytes} bytes; the TypeScript compiler alone is ~9 MB`);
});
