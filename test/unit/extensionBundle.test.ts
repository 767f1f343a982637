// The activation bundle must stay thin: no TypeScript compiler (that is dist/engine.js, loaded lazily).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as esbuild from 'esbuild';
import type * as EngineModule from '../../src/engine.js';

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
  assert.deepEqual(
    inputs.filter((p) => p.includes('node_modules/typescript/')),
    [],
  );
  assert.deepEqual(
    inputs.filter((p) => p.startsWith('src/core/analysis/') && !p.endsWith('types.ts')),
    [],
    'the analysis engine is loaded lazily from dist/engine.js',
  );
  const bytes = result.outputFiles[0]!.contents.byteLength;
  assert.ok(bytes < 300_000, `extension bundle is ${bytes} bytes; the TypeScript compiler alone is ~9 MB`);
});

test('the built engine bundle (what the extension loads) finds its TypeScript libs and types a Float64Array loop', async () => {
  const root = new URL('../..', import.meta.url).pathname;
  const { existsSync } = await import('node:fs');
  const { createRequire } = await import('node:module');
  // `npm test` builds first; run alone, build here.
  if (!existsSync(`${root}dist/engine.js`) || !existsSync(`${root}dist/lib.es2023.d.ts`)) {
    const { execFileSync } = await import('node:child_process');
    execFileSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'ignore' });
  }
  const engine = createRequire(import.meta.url)(`${root}dist/engine.js`) as typeof EngineModule;
  const analysis = engine.analyzeSource(
    'sum.ts',
    'export function sum(xs: Float64Array): number {\n  let s = 0;\n  for (let i = 0; i < xs.length; i++) s += xs[i];\n  return s;\n}\n',
  );
  const [loop] = analysis.loops;
  assert.ok(loop, 'one loop');
  assert.deepEqual(
    loop.arrays.map((a) => a.elementType),
    ['Float64Array'],
  );
  assert.equal(loop.verdict.translatable, true, JSON.stringify(loop.verdict));
});

test('dist/engine.js loads with no node_modules beside it (the VSIX ships none): no load-time require of a dependency', async () => {
  const root = new URL('../..', import.meta.url).pathname;
  const { cpSync, mkdtempSync, rmSync, existsSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const path = await import('node:path');
  const join = (...parts: string[]): string => path.join(...parts);
  const { execFileSync } = await import('node:child_process');
  if (!existsSync(`${root}dist/engine.js`))
    execFileSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'ignore' });
  const dir = mkdtempSync(join(tmpdir(), 'hotloop-vsix-engine-'));
  try {
    cpSync(`${root}dist`, join(dir, 'dist'), { recursive: true, filter: (p) => !p.endsWith('.map') });
    // A child with the temp dir as its only module root: a top-level require('esbuild') (or any dependency) throws.
    const out = execFileSync(
      process.execPath,
      ['-e', "const e = require('./dist/engine.js'); process.stdout.write(typeof e.analyzeSource)"],
      { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_PATH: '' } },
    );
    assert.equal(out, 'function');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
