// The shapes pass records every parameter of a kernel at its entry (scalars by value, arrays by type
// and length) and how the calls spread over shapes: many small calls against a few large ones.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeSource } from '../../src/core/analysis/index.js';
import type { Kernel } from '../../src/core/ir/types.js';
import { centredSizes } from '../../src/core/bench/sweep.js';
import { replayShapeFor, replayText } from '../../src/core/optimize/shape.js';
import { profileTarget } from '../../src/core/profile/index.js';
import type { LoopShape, ParamShape } from '../../src/core/profile/types.js';
import {
  finishHistogram,
  formatParams,
  mergeBuckets,
  type BucketAcc,
} from '../../src/core/profile/shapeHistogram.js';

const PROGRAM = `
export function scale(xs: Float64Array, out: Float64Array, n: number, s: number): void {
  for (let i = 0; i < n; i++) {
    out[i] = xs[i] * s;
  }
}
const small = new Float64Array(8);
const smallOut = new Float64Array(8);
for (let r = 0; r < 3000; r++) scale(small, smallOut, 8, 2);
const big = new Float64Array(400_000);
const bigOut = new Float64Array(400_000);
for (let r = 0; r < 150; r++) scale(big, bigOut, big.length, 3);
`;

describe('shapes of every parameter', () => {
  test('small-many-times and large-few-times: both shapes with their calls; the large one dominates the work', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotloop-shapes-params-'));
    try {
      writeFileSync(join(dir, 'main.ts'), PROGRAM);
      const result = await profileTarget({ kind: 'file', file: 'main.ts' }, { root: dir, shapes: true });
      const loop = result.loops.find((l) => l.functionName === 'scale' || l.loopId.includes('scale'));
      assert.ok(loop?.shape?.histogram, JSON.stringify(result.loops.map((l) => [l.loopId, l.shape])));
      const h = loop.shape.histogram;
      assert.equal(h.length, 2, JSON.stringify(h));
      const n = (b: (typeof h)[number]): unknown => b.params.find((p) => p.name === 'n');
      assert.deepEqual(n(h[0]!), { name: 'n', kind: 'scalar', value: 400_000 });
      assert.deepEqual(n(h[1]!), { name: 'n', kind: 'scalar', value: 8 });
      assert.deepEqual(
        h[0]!.params.find((p) => p.name === 'xs'),
        { name: 'xs', kind: 'array', type: 'Float64Array', length: 400_000 },
      );
      assert.deepEqual(
        h[0]!.params.find((p) => p.name === 's'),
        { name: 's', kind: 'scalar', value: 3 },
      );
      // Each of the first 1024 entries, then every 64th: estimates within about one sampling step.
      assert.ok(Math.abs(h[0]!.calls - 150) <= 64, String(h[0]!.calls));
      assert.ok(Math.abs(h[1]!.calls - 3000) <= 64, String(h[1]!.calls));
      assert.ok(h[0]!.workShare > 0.9, String(h[0]!.workShare));
      assert.deepEqual(loop.shape.params, h[0]!.params);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the histogram scales sampled calls to the entries and ranks by work, not by calls', () => {
    const acc = new Map<string, BucketAcc>();
    mergeBuckets(
      acc,
      [
        { params: [{ kind: 'scalar', value: 10 }], calls: 1024 + 2 * 64, iterations: 10 * (1024 + 128) },
        { params: [{ kind: 'scalar', value: 1e6 }], calls: 2, iterations: 2e6 },
      ],
      ['n'],
    );
    mergeBuckets(acc, [{ params: [{ kind: 'scalar', value: 1e6 }], calls: 1, iterations: 1e6 }], ['n']);
    const h = finishHistogram(acc, 1155, 0);
    assert.deepEqual(
      h.map((b) => [b.params[0], b.calls]),
      [
        [{ name: 'n', kind: 'scalar', value: 1e6 }, 3],
        [{ name: 'n', kind: 'scalar', value: 10 }, 1152],
      ],
    );
    assert.ok(h[0]!.workShare > 0.99);
    assert.equal(
      formatParams([
        { name: 'a', kind: 'array', type: 'Array', length: 3, elementKind: 'mixed' },
        { name: 'n', kind: 'scalar', value: 3 },
      ]),
      'a: Array[3] of mixed, n = 3',
    );
  });
});

// Kernel parameters whose names are not variables at the loop: a live-in scalar (`s_in`, `lo_in`), a
// field read before the loop (`this.n` as `n`, `this.data` as `data`), the live-outs array the wrapper
// makes. Each is recorded by its role and the benchmark replays the recorded shape.
const ROLES = `
class Grid {
  data: Float64Array;
  n: number;
  constructor(n: number) {
    this.data = new Float64Array(n);
    this.n = n;
  }
  total(scale: number): number {
    let s = 0;
    const start = Date.now() > 0 ? 0 : 1;
    for (let i = start; i < this.n; i++) {
      s += this.data[i] * scale;
    }
    return s + (Date.now() > 0 ? 0 : 1);
  }
}
export function twoOuts(xs: Float64Array): number {
  let lo = Infinity;
  let hi = -Infinity;
  const label = String(xs.length);
  for (let i = 0; i < xs.length; i++) {
    if (xs[i] < lo) lo = xs[i];
    if (xs[i] > hi) hi = xs[i];
  }
  return hi - lo + label.length;
}
const g = new Grid(50_000);
let t = 0;
const ys = new Float64Array(30_000).map((_, i) => Math.sin(i));
for (let r = 0; r < 200; r++) { t += g.total(1.5); t += twoOuts(ys); }
console.log(t);
`;

describe('parameters recorded by their role, not their name', () => {
  test('live-in scalars, fields read before the loop and the live-outs array: recorded and replayed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotloop-shapes-roles-'));
    try {
      writeFileSync(join(dir, 'main.ts'), ROLES);
      const loops = analyzeSource(join(dir, 'main.ts'), ROLES, { rootDir: dir }).loops;
      const result = await profileTarget(
        { kind: 'file', file: 'main.ts' },
        { root: dir, shapes: true, topLoops: 2 },
      );
      for (const [fn, want] of [
        [
          'Grid.total',
          [num('start', 0), num('n', 50_000), arr('data', 50_000), num('scale', 1.5), num('s_in', 0)],
        ],
        [
          'twoOuts',
          [
            arr('xs', 30_000),
            { name: 'lo_in', kind: 'other', type: 'Infinity' },
            { name: 'hi_in', kind: 'other', type: '-Infinity' },
          ],
        ],
      ] as const) {
        const facts = loops.find((l) => l.functionName === fn && l.kernel)!;
        const heat = result.loops.find((l) => l.loopId === facts.id);
        const shape = heat?.shape;
        assert.ok(shape?.params, `${fn}: ${JSON.stringify(heat ?? result.loops.map((l) => l.loopId))}`);
        assert.deepEqual(shape.params.slice(0, want.length), want, fn);
        const r = replayShapeFor(facts.kernel!, shape, 100_000, 1_000_000);
        assert.equal(r.shape.source, 'recorded', `${fn}: ${r.shape.note ?? ''}`);
      }
      const two = replayShapeFor(
        loops.find((l) => l.functionName === 'twoOuts' && l.kernel)!.kernel!,
        result.loops.find((l) => l.loopId.startsWith('main.ts#twoOuts'))!.shape,
        100_000,
        1_000_000,
      );
      // The live-outs array is the wrapper's (two slots), not a recorded input.
      assert.deepEqual(two.args.at(-1), { kind: 'array', dtype: 'f64', length: 2 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const arr = (name: string, length: number): ParamShape => ({
  name,
  kind: 'array',
  type: 'Float64Array',
  length,
});
const num = (name: string, value: number): ParamShape => ({ name, kind: 'scalar', value });

describe('the shape a benchmark replays', () => {
  const examples = join(import.meta.dirname, '..', '..', 'examples');
  const gemm = (): Kernel => {
    const path = join(examples, 'src', 'matmul.ts');
    return analyzeSource(path, readFileSync(path, 'utf8'), { rootDir: examples }).loops.find(
      (l) => l.functionName === 'gemm' && l.kernel,
    )!.kernel!;
  };
  const recorded192: LoopShape = {
    entries: 16,
    iterations: 16 * 192,
    arrays: [],
    params: [arr('a', 36864), arr('b', 36864), arr('c', 36864), num('n', 192), num('m', 192), num('k', 192)],
  };

  test('gemm recorded at 192×192×192 is replayed exactly (not ∛ of the array length) and says so', () => {
    const r = replayShapeFor(gemm(), recorded192, 100_000, 1_000_000);
    assert.equal(r.shape.source, 'recorded');
    assert.deepEqual(r.args.slice(3), [
      { kind: 'scalar', value: 192 },
      { kind: 'scalar', value: 192 },
      { kind: 'scalar', value: 192 },
    ]);
    assert.deepEqual(r.args[0], { kind: 'array', dtype: 'f64', length: 36864 });
    assert.equal(r.n, 36864);
    assert.equal(replayText(r), 'n = 192, m = 192, k = 192 (recorded)');
  });

  test('without a recording, or when it does not fit, the shape is guessed and the reason given', () => {
    const g = replayShapeFor(
      gemm(),
      {
        entries: 1,
        iterations: 1,
        arrays: [{ name: 'a', kind: 'Float64Array', minLength: 36864, maxLength: 36864 }],
      },
      100_000,
      1_000_000,
    );
    assert.equal(g.shape.source, 'guessed');
    assert.match(g.shape.note ?? '', /not its parameters/);
    assert.deepEqual(
      g.shape.params.find((p) => p.name === 'n'),
      { name: 'n', kind: 'scalar', value: 33 },
    );
    const missing = replayShapeFor(
      gemm(),
      { ...recorded192, params: recorded192.params!.filter((p) => p.name !== 'k') },
      100_000,
      1_000_000,
    );
    assert.equal(missing.shape.source, 'guessed');
    assert.match(missing.shape.note ?? '', /parameter k was not recorded/);
    const capped = replayShapeFor(gemm(), recorded192, 100_000, 10_000);
    assert.equal(capped.shape.source, 'guessed');
    assert.match(capped.shape.note ?? '', /exceeds the size cap/);
  });
});

describe('a sweep centred on the recorded size', () => {
  test('two decades either side of the centre, the centre itself among the sizes, clamped to 1…max', () => {
    const s = centredSizes(36864, 1e7);
    assert.ok(s.includes(36864));
    assert.equal(s[0], 369);
    assert.equal(s.at(-1), 3686400);
    assert.deepEqual(centredSizes(8, 1e7).slice(0, 2), [1, 3]);
    assert.equal(centredSizes(5e6, 1e7).at(-1), 1e7);
  });
});
