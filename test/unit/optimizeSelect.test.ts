// The light parts of `hotloop optimize`: which program it profiles, which loops it picks and in what
// order, the benchmark spec of a loop (variants, input forms, sizes) and the library routine mapping.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeSource } from '../../src/core/analysis/index.js';
import type { FileAnalysis } from '../../src/core/analysis/types.js';
import { libraryExportFor } from '../../src/core/bench/library.js';
import type { ProfileResult } from '../../src/core/profile/types.js';
import { isTestFile, pickLoops, profileTargetOf, sizeFor } from '../../src/core/optimize/select.js';
import { argsFor, benchSpecFor, originalForm, sweepArgsFor } from '../../src/core/optimize/spec.js';

const examples = join(import.meta.dirname, '..', '..', 'examples');
function analyse(file: string): FileAnalysis {
  const path = join(examples, 'src', file);
  return {
    schema: 1,
    file: `src/${file}`,
    loops: analyzeSource(path, readFileSync(path, 'utf8'), { rootDir: examples }).loops,
    diagnostics: [],
  };
}

describe('optimize: what to profile', () => {
  test('a start script "node [flags] <file> args" is profiled as that file; else main; else npm start', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotloop-optsel-'));
    try {
      writeFileSync(
        join(dir, 'package.json'),
        JSON.stringify({ scripts: { start: 'node --import tsx src/main.ts all' } }),
      );
      assert.deepEqual(profileTargetOf(dir), { kind: 'file', file: 'src/main.ts', args: ['all'] });
      writeFileSync(join(dir, 'app.js'), '');
      writeFileSync(
        join(dir, 'package.json'),
        JSON.stringify({ main: 'app.js', scripts: { start: 'webpack serve && echo' } }),
      );
      assert.deepEqual(profileTargetOf(dir), { kind: 'file', file: 'app.js', args: [] });
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ scripts: { start: 'vite' } }));
      assert.deepEqual(profileTargetOf(dir), { kind: 'npm', script: 'start' });
      writeFileSync(join(dir, 'package.json'), '{}');
      assert.equal(profileTargetOf(dir), undefined);
      assert.deepEqual(profileTargetOf(examples), { kind: 'file', file: 'src/main.ts', args: ['all'] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('optimize: which loops', () => {
  const files = [analyse('sensorStats.ts'), analyse('matmul.ts')];
  const loopId = (fn: string): string =>
    files.flatMap((f) => f.loops).find((l) => l.functionName === fn && l.kernel)!.id;
  const heat = (id: string, share: number, maxLength?: number) => ({
    loopId: id,
    file: '',
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    functionName: '',
    selfMs: 0,
    totalMs: 0,
    inclusiveMs: 0,
    selfShare: share,
    totalShare: share,
    gcMs: 0,
    waitMs: 0,
    threads: [0],
    ...(maxLength
      ? {
          shape: {
            entries: 1,
            iterations: 1,
            arrays: [{ name: 'xs', kind: 'Array', minLength: 1, maxLength }],
          },
        }
      : {}),
  });

  test('ranked by CPU share, the top N, one per kernel; n from the shapes pass, capped', () => {
    const profile = {
      loops: [
        heat(loopId('sumArray'), 0.05, 2_000_000),
        heat(loopId('gemm'), 0.4),
        heat(loopId('variance'), 0.2),
      ],
    } as unknown as ProfileResult;
    const picked = pickLoops(files, profile, 2);
    assert.deepEqual(
      picked.map((c) => c.kernel.name),
      ['gemm', 'variance'],
    );
    assert.equal(picked[0]!.share, 0.4);
    const all = pickLoops(files, profile, 5);
    assert.deepEqual(
      all.map((c) => c.kernel.name),
      ['gemm', 'variance', 'sumArray'],
    );
    assert.equal(sizeFor(all[2]!, 100_000, 1_000_000), 1_000_000);
    assert.equal(sizeFor(all[0]!, 100_000, 1_000_000), 100_000);
  });

  test('without a profile: every translatable loop in source order (or the first N)', () => {
    const all = pickLoops(files, undefined);
    const translatable = files.flatMap((f) => f.loops).filter((l) => l.kernel && l.verdict.translatable);
    assert.ok(all.length >= 6 && all.length <= translatable.length);
    assert.equal(all[0]!.kernel.name, 'sum');
    assert.equal(
      all.every((c) => c.share === undefined),
      true,
    );
    assert.equal(pickLoops(files, undefined, 2).length, 2);
  });

  test('loops in test code are never picked: they are the workload, not the library', () => {
    for (const p of [
      'test/umap.test.ts',
      'src/__tests__/x.js',
      'tests/helpers.js',
      'spec/a.ts',
      'lib/a.spec.mjs',
    ])
      assert.equal(isTestFile(p), true, p);
    for (const p of ['src/umap.ts', 'lib/testing.js', 'contest/a.js', 'src/attest.ts', 'latest/x.ts'])
      assert.equal(isTestFile(p), false, p);
    const inTests = files.map((f) => ({
      ...f,
      loops: f.loops.map((l) => ({ ...l, file: `test/${l.file}` })),
    }));
    const profile = {
      loops: inTests.flatMap((f) => f.loops).map((l) => heat(l.id, 0.3)),
    } as unknown as ProfileResult;
    assert.ok(
      pickLoops(files, {
        loops: files.flatMap((f) => f.loops).map((l) => heat(l.id, 0.3)),
      } as unknown as ProfileResult).length > 0,
    );
    assert.deepEqual(pickLoops(inTests, profile), []);
  });
});

describe('optimize: the benchmark spec of a loop', () => {
  const kernelOf = (file: string, fn: string) =>
    analyse(file).loops.find((l) => l.functionName === fn && l.kernel)!.kernel!;

  test('number[] original: each rewrite twice (converted per call, data already typed), JS on Float64Array and the library routine join', () => {
    const k = kernelOf('sensorStats.ts', 'sumArray');
    assert.equal(originalForm(k), 'array');
    const { spec, notes } = benchSpecFor(k, 1000, '/x/original.mjs', [
      {
        target: 'wasm',
        entry: '/x/wasm/dist/index.js',
        properties: { reassociates: true, precision: 'f64', async: false },
      },
    ]);
    assert.deepEqual(
      spec.variants.map((v) => [v.id, v.input]),
      [
        ['original', 'array'],
        ['js-typed', 'typed'],
        ['wasm', 'array'],
        ['wasm-typed', 'typed'],
        ['library', 'typed'],
      ],
    );
    assert.match(spec.variants.find((v) => v.id === 'wasm')!.label, /converted per call/);
    assert.match(spec.variants.find((v) => v.id === 'wasm-typed')!.label, /data already typed/);
    assert.match(notes.join(' '), /verdict for applying .* uses it/);
    assert.equal(spec.variants.find((v) => v.id === 'library')!.export, 'sum');
    assert.equal(spec.variants.find((v) => v.id === 'wasm')!.reassociates, true);
    assert.deepEqual(spec.args, [{ kind: 'array', dtype: 'f64', length: 1000 }]);
    assert.equal(spec.ir, k);
  });

  test('number[] original: the tuned JS runs the number[] as is (no conversion) and on typed data, ids apart from js-typed', () => {
    const k = kernelOf('sensorStats.ts', 'sumArray');
    const { spec } = benchSpecFor(k, 1000, '/x/original.mjs', [
      {
        target: 'js',
        entry: '/x/js/dist/index.js',
        properties: { reassociates: false, precision: 'f64', async: false },
      },
    ]);
    const ids = spec.variants.map((v) => v.id);
    assert.deepEqual(ids.slice(0, 4), ['original', 'js-typed', 'js', 'js-tuned-typed']);
    assert.equal(new Set(ids).size, ids.length, 'variant ids are unique');
    assert.match(
      spec.variants.find((v) => v.id === 'js')!.label,
      /^tuned JS \(number\[\] as is, no conversion\)$/,
    );
    assert.match(
      spec.variants.find((v) => v.id === 'js-tuned-typed')!.label,
      /^tuned JS \(data already typed\)$/,
    );
    assert.equal(spec.variants.find((v) => v.id === 'js')!.reassociates, false);
  });

  test('typed-array original: no separate typed rewrite; 2-D kernels keep their shapes and cannot be swept', () => {
    const blur = kernelOf('imageFilter.ts', 'boxBlur');
    assert.equal(originalForm(blur), 'typed');
    const { spec, notes } = benchSpecFor(blur, 10_000, '/x/o.mjs', []);
    assert.deepEqual(
      spec.variants.map((v) => v.id),
      ['original'],
    );
    assert.match(notes.join(' '), /already takes typed arrays/);
    const args = argsFor(blur, 10_000);
    assert.ok(
      args.some((a) => a.kind === 'scalar' && a.value === 100),
      JSON.stringify(args),
    ); // width = height = √n
    assert.equal(sweepArgsFor(blur), undefined);
    assert.deepEqual(sweepArgsFor(kernelOf('sensorStats.ts', 'sumArray')), [{ kind: 'array', dtype: 'f64' }]);
  });

  test('library routine names map to the builtin:library exports', () => {
    assert.equal(libraryExportFor('variance(xs, { ddof: 1 })'), 'varianceSample');
    assert.equal(libraryExportFor('std(xs)'), 'std');
    assert.equal(libraryExportFor('dot(a, b)'), 'dot');
    assert.equal(libraryExportFor('gemm(a, b)'), undefined);
  });
});
