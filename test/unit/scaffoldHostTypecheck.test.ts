// Scaffold folders inside a host project: `tsc --noEmit` of the host, which includes the folder, must
// stay green under a strict Node tsconfig without the DOM lib (strict, isolatedModules,
// erasableSyntaxOnly, module nodenext and commonjs) — a scaffold once broke a library's own
// type-check with 7 errors (`Cannot find namespace 'WebAssembly'`, parameter properties).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeSource } from '../../src/core/analysis/index.js';
import { planScaffold, writeScaffold } from '../../src/core/scaffold/index.js';
import type { TargetName } from '../../src/core/scaffold/types.js';

const REPO = new URL('../..', import.meta.url).pathname;
const TSC = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');

// A number[] reduction after a guard (extracted kernel), a typed-array map and rows written in place
// (number[][]): every parameter kind.
const SOURCE = `export function spread(xs: number[], k: number): number {
  if (xs.length === 0) return 0;
  let acc = 0;
  for (let i = 0; i < xs.length; i++) acc += xs[i] * k;
  console.log(acc);
  return acc;
}
export function scale(out: Float64Array, xs: Float64Array, a: number): void {
  for (let i = 0; i < xs.length; i++) out[i] = xs[i] * a;
}
export function scaleRows(m: number[][], a: number): void {
  for (let i = 0; i < m.length; i++) {
    for (let j = 0; j < m[i].length; j++) m[i][j] = m[i][j] * a;
  }
}
`;

const BASE = {
  strict: true,
  isolatedModules: true,
  erasableSyntaxOnly: true,
  noEmit: true,
  skipLibCheck: true,
  target: 'ES2022',
  lib: ['ES2022'],
  types: ['node'],
};
const HOSTS: Record<string, object> = {
  nodenext: { ...BASE, module: 'nodenext', moduleResolution: 'nodenext' },
  // node10 is what CommonJS projects use; TypeScript 6 wants its deprecation acknowledged.
  commonjs: {
    ...BASE,
    module: 'commonjs',
    moduleResolution: 'node10',
    esModuleInterop: true,
    ignoreDeprecations: '6.0',
  },
};
const TARGETS: readonly TargetName[] = ['wasm', 'native', 'worker', 'gpu', 'js'];

describe('generated scaffolds type-check inside a host project (no DOM lib)', () => {
  const root = mkdtempSync(join(tmpdir(), 'hl-host-'));
  symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'));
  mkdirSync(join(root, 'src'));
  writeFileSync(join(root, 'src', 'lib.ts'), SOURCE);
  // The js target's wrapper (plain JS + .d.ts) as an applied call site uses it: the original's own
  // typed-array signature, and number[] too.
  writeFileSync(
    join(root, 'src', 'useJs.ts'),
    "import { scale } from '../hotloop/scale-js/index.js';\nconst out: Float64Array = new Float64Array(2);\nscale(out, new Float64Array([1, 2]), 2);\nscale([0, 0], [1, 2], 2);\n",
  );
  writeFileSync(join(root, 'package.json'), '{ "name": "host", "private": true }\n');

  test('every target scaffolds', async () => {
    const loops = analyzeSource(join(root, 'src', 'lib.ts'), SOURCE).loops.filter(
      (l) => l.kernel && l.depth === 0,
    );
    assert.equal(loops.length, 3);
    for (const loop of loops) {
      // The GPU target declines arrays of rows (with a stated reason).
      const rows = loop.kernel!.params.some((q) => q.kind === 'array' && q.rank === 2);
      for (const target of TARGETS.filter((t) => !rows || t !== 'gpu')) {
        const p = await planScaffold({
          kernel: loop.kernel!,
          target,
          workspaceRoot: root,
          outputDir: 'hotloop',
          workspaceTrusted: true,
          source: { file: 'src/lib.ts', line: 1, loopId: loop.id },
        });
        assert.ok(p.ok, p.ok ? '' : p.reason);
        assert.ok((await writeScaffold(p.plan)).ok);
      }
    }
  });

  for (const [host, options] of Object.entries(HOSTS)) {
    test(`tsc --noEmit of the host (module ${host}) is clean over every target's folder`, () => {
      writeFileSync(
        join(root, `tsconfig.${host}.json`),
        JSON.stringify({ compilerOptions: options, include: ['src/**/*.ts', 'hotloop/**/*.ts'] }, null, 2),
      );
      const r = spawnSync(process.execPath, [TSC, '--noEmit', '-p', `tsconfig.${host}.json`], {
        cwd: root,
        encoding: 'utf8',
      });
      const out = `${r.stdout}${r.stderr}`;
      if (r.status !== 0)
        writeFileSync(join(REPO, 'test', 'unit', `scaffoldHostTypecheck.${host}.actual`), out);
      assert.equal(r.status, 0, out.slice(0, 4000));
    });
  }

  test('cleanup', () => {
    rmSync(root, { recursive: true, force: true });
  });
});
