// The bundled kernel library among a loop's variants where it computes the kernel up to
// reassociation (gemm, gemv as well as the reductions), with its measured error stated; and kernels
// that return nothing are checked on what they write, so a variant that writes wrong values is WRONG.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeSource } from '../../src/core/analysis/index.js';
import { runBench } from '../../src/core/bench/runner.js';
import type { Kernel } from '../../src/core/ir/types.js';
import { libraryMatchFor } from '../../src/core/optimize/libraryMatch.js';
import { replayShapeFor } from '../../src/core/optimize/shape.js';
import { benchSpecFor, stateReassociation, writeOriginal } from '../../src/core/optimize/spec.js';
import type { ParamShape } from '../../src/core/profile/types.js';

const examples = join(import.meta.dirname, '..', '..', 'examples');
function kernelOf(file: string, fn: string): Kernel {
  const path = join(examples, 'src', file);
  return analyzeSource(path, readFileSync(path, 'utf8'), { rootDir: examples }).loops.find(
    (l) => l.functionName === fn && l.kernel,
  )!.kernel!;
}
const quick = { samples: 4, samplesPerRound: 2, sampleMs: 2, warmupMs: 5, resamples: 200 };

describe('kernel library variants with a stated tolerance', () => {
  test('gemm and gemv match the library with the sizes in the right roles; reductions keep their routine', () => {
    assert.deepEqual(libraryMatchFor(kernelOf('matmul.ts', 'gemm')), {
      routine: 'gemm',
      export: 'gemm',
      argOrder: [3, 4, 5, 0, 1, 2],
      call: 'gemm(n, m, k, a, b, { out: c })',
    });
    assert.deepEqual(libraryMatchFor(kernelOf('matmul.ts', 'gemv'))?.argOrder, [3, 4, 0, 1, 2]);
    assert.equal(libraryMatchFor(kernelOf('sensorStats.ts', 'sum'))?.routine, 'sum');
    assert.equal(libraryMatchFor(kernelOf('imageFilter.ts', 'boxBlur')), undefined);
  });

  test('gemm at a recorded non-square shape: the library variant is correct and states its max relative error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotloop-optlib-'));
    try {
      const k = kernelOf('matmul.ts', 'gemm');
      const arr = (name: string, length: number): ParamShape => ({
        name,
        kind: 'array',
        type: 'Float64Array',
        length,
      });
      const num = (name: string, value: number): ParamShape => ({ name, kind: 'scalar', value });
      // C (n×m) = A (n×k) · B (k×m) with n = 40, m = 24, k = 56: a swapped role would read out of bounds.
      const replay = replayShapeFor(
        k,
        {
          entries: 1,
          iterations: 40,
          arrays: [],
          params: [
            arr('a', 40 * 56),
            arr('b', 56 * 24),
            arr('c', 40 * 24),
            num('n', 40),
            num('m', 24),
            num('k', 56),
          ],
        },
        1000,
        1e6,
      );
      const original = await writeOriginal(k, dir);
      // A "rewrite" that writes nothing: before effects were compared, it passed as correct.
      const lazy = join(dir, 'lazy.mjs');
      writeFileSync(lazy, 'export function gemm() {}\n');
      const { spec } = benchSpecFor(k, replay.n, original, [], undefined, replay);
      const withLazy = {
        ...spec,
        variants: [
          ...spec.variants,
          { id: 'lazy', label: 'writes nothing', module: lazy, export: 'gemm', input: 'typed' as const },
        ],
      };
      const r = stateReassociation(await runBench(withLazy, quick));
      const lib = r.variants.find((v) => v.id === 'library');
      assert.ok(lib, JSON.stringify(r.variants.map((v) => v.id)));
      assert.equal(lib.correctness.status, 'ok', JSON.stringify(lib.correctness));
      assert.match(lib.label, /^kernel library: gemm — reassociates \(max rel\. error [0-9.e+-]+\)$/);
      assert.ok(lib.correctness.maxRelError! < 1e-12, JSON.stringify(lib.correctness));
      assert.equal(r.variants.find((v) => v.id === 'lazy')!.correctness.status, 'wrong');
      assert.equal(r.shape?.source, 'recorded');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
