// The loader: order prebuilt → local build → wasm → TS, the report of every path tried, the
// package-root search that lets bundles in dist/ find native/build, and forced backends.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import * as esbuild from 'esbuild';
import { describeLoad, loadKernels, packageRoot } from '../../native/index.js';
import type { Kernels } from '../../native/types.js';
import { ROUTINES } from '../../native/types.js';
import { crossLoaderBundle, nativeKernels, nodeCommand } from './helpers.js';

const root = packageRoot();

test('the package root is found from nested folders', () => {
  assert.equal(packageRoot(join(root, 'dist')), root);
  assert.equal(packageRoot(join(root, 'native', 'src')), root);
});

test('native loads first and reports its SIMD level, threads and Node-API version', () => {
  const k = loadKernels();
  assert.equal(k.backend, 'native', describeLoad(k.tried));
  const info = k.info();
  assert.ok(info.simdLevels.includes(info.simd));
  assert.ok(info.simdLevels.includes('scalar'));
  assert.equal(info.napiVersion, 8);
  // Under native/scripts/sanitize.mjs: the sanitized build, and nothing else, is what ran.
  if (process.env.HOTLOOP_NATIVE_PATH) assert.equal(info.path, process.env.HOTLOOP_NATIVE_PATH);
  assert.equal(info.sanitizers, process.env.HOTLOOP_EXPECT_SANITIZERS === '1');
  assert.ok(info.threads >= 1);
  for (const r of ROUTINES) {
    assert.equal(typeof k[r], 'function', r);
    assert.equal(typeof (k as unknown as Record<string, unknown>)[`${r}Async`], 'function', `${r}Async`);
  }
});

test('without any build the loader falls back to TS and says what it tried and what to do', () => {
  const empty = mkdtempSync(join(tmpdir(), 'hotloop-loader-'));
  try {
    const k = loadKernels({ root: empty, env: {} });
    assert.equal(k.backend, 'ts');
    assert.deepEqual(
      k.tried.map((t) => [t.backend, t.ok]),
      [
        ['native', false],
        ['native', false],
        ['wasm', false],
        ['ts', true],
      ],
    );
    const msg = describeLoad(k.tried);
    assert.match(msg, /prebuilds/);
    assert.match(msg, /hotloop_kernels\.node\) — not found/);
    assert.match(msg, /npm run build:native/);
    assert.throws(
      () => loadKernels({ root: empty, env: {}, requireNative: true }),
      /no backend loaded[\s\S]*npm run build:native/,
    );
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});

test('a bad addon path is reported with the dlopen error', () => {
  const k = loadKernels({ nativePath: join(root, 'package.json'), backend: 'wasm', env: {} });
  assert.equal(k.backend, 'wasm');
  assert.throws(
    () => loadKernels({ nativePath: join(root, 'package.json'), requireNative: true }),
    /HOTLOOP_NATIVE_PATH[\s\S]*package\.json\) — not a Hotloop kernel addon/,
  );
});

test('forcing a SIMD level the CPU lacks is a RangeError listing the available ones', () => {
  for (const be of ['wasm', 'ts'] as const)
    assert.throws(() => loadKernels({ backend: be }).setSimdLevel('avx512'), RangeError);
});

test(
  'an esbuild CommonJS bundle (as in dist/) finds and loads the addon',
  {
    // The arm64 run is itself such a bundle (cross.mjs checks it loads the arm64 prebuild); esbuild's
    // arm64 binary is not installed in an x64 checkout.
    skip: crossLoaderBundle ? 'arm64 cross run: the whole run loads an esbuild bundle of the loader' : false,
  },
  async () => {
    const dir = mkdtempSync(join(root, 'native', 'build', 'bundle-'));
    try {
      const out = join(dir, 'k.js');
      await esbuild.build({
        entryPoints: [join(root, 'native', 'index.ts')],
        bundle: true,
        platform: 'node',
        format: 'cjs',
        outfile: out,
        logLevel: 'silent',
        external: ['*.node'],
      });
      const mod = createRequire(out)(out) as { getKernels(): Kernels };
      const k = mod.getKernels();
      assert.equal(k.backend, 'native', describeLoad(k.tried));
      assert.equal(k.sum(Float64Array.from([1, 2, 3.5])), 6.5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test('HOTLOOP_SIMD picks the level at load; an unknown one is reported by the loader', () => {
  const loader = JSON.stringify(crossLoaderBundle ?? './native/index.ts');
  const script = `const { loadKernels, describeLoad } = require(${loader}); const k = loadKernels(); console.log(JSON.stringify({ b: k.backend, s: k.backend === 'native' ? k.info().simd : null, r: describeLoad(k.tried) }));`;
  const [node, pre] = nodeCommand();
  // The lowest level above scalar this CPU has (sse2 on x64, neon on arm64), not the best one.
  const levels = nativeKernels().info().simdLevels;
  const low = levels[1] ?? levels[0]!;
  const run = (simd: string) => {
    const r = spawnSync(node, [...pre, ...(crossLoaderBundle ? [] : ['--import', 'tsx']), '-e', script], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, HOTLOOP_SIMD: simd, HOTLOOP_REQUIRE_NATIVE: '0' },
    });
    return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as {
      b: string;
      s: string | null;
      r: string;
    };
  };
  assert.deepEqual(run(low).s, low);
  const bad = run('avx9000');
  assert.notEqual(bad.b, 'native');
  assert.match(bad.r, /HOTLOOP_SIMD='avx9000' is not available on this CPU; unset it or use one of: scalar/);
});
