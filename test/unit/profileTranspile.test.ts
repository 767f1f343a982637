// The bundler of last resort (no esbuild loads: the extension from the VSIX in a workspace without
// esbuild): TypeScript transpiles file by file into a mirror under .hotloop/, and the profile still
// lands on the original .ts line. Also the bundle cache: an unchanged program is not bundled again.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleEntry } from '../../src/core/profile/bundle.js';
import { profileTarget } from '../../src/core/profile/index.js';
import { fixtureRoot, hotLine, hotLoop } from './profileHelpers.js';

describe('profile without esbuild (TypeScript transpile fallback)', { concurrency: 2 }, () => {
  test('ESM, several files, extensionless and .js imports: the hot loop of lib.ts on its own line', async () => {
    const root = mkdtempSync(join(tmpdir(), 'hotloop-transpile-'));
    try {
      writeFileSync(join(root, 'package.json'), JSON.stringify({ type: 'module' }));
      writeFileSync(
        join(root, 'util.ts'),
        'export interface Opts { readonly n: number }\nexport const size = (o: Opts): number => o.n;\n',
      );
      // Line 4 (0-based 3) holds the hot loop; the type annotations must be stripped for node to run it.
      writeFileSync(
        join(root, 'lib.ts'),
        [
          'export function spin(xs: Float64Array, rounds: number): number {',
          '  let s: number = 0;',
          '  for (let r = 0; r < rounds; r++) {',
          '    for (let i = 0; i < xs.length; i++) s += Math.sqrt(xs[i]!) * Math.cos(s);',
          '  }',
          '  return s;',
          '}',
          '',
        ].join('\n'),
      );
      writeFileSync(
        join(root, 'main.ts'),
        [
          "import { spin } from './lib.js';",
          "import { size, type Opts } from './util';",
          'const opts: Opts = { n: 200_000 };',
          'const xs = new Float64Array(size(opts)).map((_, i) => i);',
          'await Promise.resolve();',
          'console.log(spin(xs, 30).toFixed(2));',
          '',
        ].join('\n'),
      );
      const result = await profileTarget(
        { kind: 'file', file: 'main.ts' },
        { root, bundler: 'typescript', timeoutMs: 60_000 },
      );
      assert.equal(result.outcome?.exitCode, 0, result.outcome?.message);
      const first = result.loops[0];
      assert.ok(first, 'a loop');
      // The outer and the inner loop share the time with calls; the inner one owns it (self time).
      const bySelf = [...result.loops].sort((a, b) => b.selfMs - a.selfMs)[0];
      assert.ok(bySelf, 'a loop');
      assert.equal(bySelf.file, 'lib.ts', JSON.stringify(result.loops.slice(0, 3)));
      assert.equal(bySelf.range.start.line, 3);
      assert.equal(bySelf.functionName, 'spin');
      assert.equal(result.loops[0]?.file, 'lib.ts');
      const heat = result.lines['lib.ts'];
      assert.ok(heat, JSON.stringify(Object.keys(result.lines)));
      const [hottest] = Object.entries(heat).sort((a, b) => b[1] - a[1]);
      assert.equal(Number(hottest![0]), 3, JSON.stringify(heat)); // zero-based, like the loop ranges
      // The mirror is gone after the run.
      assert.deepEqual(
        readdirSync(join(root, '.hotloop')).filter((n) => n.startsWith('run-')),
        [],
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('CommonJS fixture through the fallback: same hot line as with esbuild', async () => {
    const result = await profileTarget(
      { kind: 'file', file: 'sequential.ts' },
      { root: fixtureRoot, bundler: 'typescript', env: { HOTLOOP_FIXTURE_ROUNDS: '200' } },
    );
    const loop = hotLoop(result, 'sequential.ts');
    assert.equal(result.loops[0]?.loopId, loop?.loopId, JSON.stringify(result.loops.slice(0, 2)));
    assert.equal(loop?.functionName, 'sumOfRoots');
    const [hottest] = Object.entries(result.lines['sequential.ts'] ?? {}).sort((a, b) => b[1] - a[1]);
    assert.equal(Number(hottest?.[0]), hotLine('sequential.ts') + 1);
    rmSync(join(fixtureRoot, '.hotloop'), { recursive: true, force: true });
  });

  test('a syntax error names the file and line', async () => {
    const root = mkdtempSync(join(tmpdir(), 'hotloop-transpile-'));
    try {
      writeFileSync(join(root, 'bad.ts'), 'const x = 1;\nconst y = ;\n');
      await assert.rejects(
        bundleEntry({ entry: join(root, 'bad.ts'), outDir: join(root, 'out'), root, bundler: 'typescript' }),
        /Could not transpile .*bad\.ts:2 for profiling/,
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('bundle cache', () => {
  test('an unchanged program reuses its bundle; an edit rebuilds it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'hotloop-bcache-'));
    try {
      writeFileSync(join(root, 'a.ts'), "import { b } from './b';\nconsole.log(b(1));\n");
      writeFileSync(join(root, 'b.ts'), 'export const b = (x: number): number => x + 1;\n');
      const first = await bundleEntry({ entry: join(root, 'a.ts'), outDir: join(root, 'o1'), root });
      const second = await bundleEntry({ entry: join(root, 'a.ts'), outDir: join(root, 'o2'), root });
      assert.equal(second.cached, true);
      assert.equal(second.file, first.file);
      writeFileSync(join(root, 'b.ts'), 'export const b = (x: number): number => x + 2;\n');
      const third = await bundleEntry({ entry: join(root, 'a.ts'), outDir: join(root, 'o3'), root });
      assert.notEqual(third.cached, true);
      assert.notEqual(third.file, first.file);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
