// Replaying recorded shapes of real code: arrays of rows (`number[][]`) keep their rows, and arrays
// whose values index other arrays (`sum[idxs[i]][h]`) get whole numbers in range — otherwise the
// original itself throws on inputs the program never gives it (skmeans' centroid sums did).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeSource } from '../../src/core/analysis/index.js';
import { flatValues, makeArgs } from '../../src/core/bench/inputs.js';
import type { Kernel } from '../../src/core/ir/types.js';
import { indexArrays } from '../../src/core/optimize/indexArrays.js';
import { replayShapeFor } from '../../src/core/optimize/shape.js';
import { argsFor } from '../../src/core/optimize/spec.js';
import { profileTarget } from '../../src/core/profile/index.js';

const SUMS = `
export function centroidSums(len, idxs, sum, data, vlen) {
  for (let i = 0; i < len; i++) {
    let idx = idxs[i], vsum = sum[idx], vect = data[i];
    for (let h = 0; h < vlen; h++) {
      vsum[h] += vect[h];
    }
  }
}
const data = [], idxs = [], sum = [];
for (let i = 0; i < 3000; i++) { data.push([Math.sin(i), Math.cos(i), i % 7]); idxs.push(i % 5); }
for (let j = 0; j < 5; j++) sum.push([0, 0, 0]);
for (let r = 0; r < 400; r++) centroidSums(data.length, idxs, sum, data, 3);
console.log(sum[0][0].toFixed(3));
`;

function kernelOf(src: string, file: string, fn: string): Kernel {
  const facts = analyzeSource(file, src);
  const loop = facts.loops.find((l) => l.id.includes(fn) && l.kernel);
  assert.ok(loop?.kernel, JSON.stringify(facts.loops.map((l) => [l.id, l.verdict])));
  return loop.kernel;
}

describe('replaying rows and index arrays', () => {
  test('the kernel knows idxs indexes the rows of sum', () => {
    const k = kernelOf(SUMS, 'sums.js', 'centroidSums');
    assert.deepEqual(indexArrays(k).get('idxs'), [{ array: 'sum', axis: 'index' }]);
    assert.equal(indexArrays(k).has('data'), false);
  });

  test('a look-alike that computes with the loaded value is not an index array', () => {
    const src = `export function f(a, b, out, n) { for (let i = 0; i < n; i++) { const t = a[i] + 1; out[i] = b[t] * 2; } }`;
    const k = kernelOf(src, 'f.js', 'f');
    assert.equal(indexArrays(k).has('a'), false);
  });

  test('makeArgs builds rows in both forms with the same values, and integer index values in range', () => {
    const specs = [
      { kind: 'array', dtype: 'f64', length: 4, rowLength: 3 },
      { kind: 'array', dtype: 'f64', length: 50, integer: true, min: 0, max: 4 },
    ] as const;
    const typed = makeArgs(specs, 10, 7, 'typed');
    const plain = makeArgs(specs, 10, 7, 'array');
    const rows = typed[0] as Float64Array[];
    assert.equal(rows.length, 4);
    assert.ok(rows.every((r) => r instanceof Float64Array && r.length === 3));
    assert.ok((plain[0] as number[][]).every((r) => Array.isArray(r) && r.length === 3));
    assert.deepEqual(flatValues(rows), flatValues(plain[0] as number[][]));
    const idx = typed[1] as Float64Array;
    assert.ok(
      [...idx].every((v) => Number.isInteger(v) && v >= 0 && v < 4),
      String([...idx]),
    );
    assert.equal(new Set(idx).size, 4, 'every row index is drawn');
  });

  test('recorded through a real profile: rows with their length, idxs in [0, 5), and the original runs on them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotloop-replay-rows-'));
    try {
      writeFileSync(join(dir, 'sums.mjs'), SUMS);
      const result = await profileTarget({ kind: 'file', file: 'sums.mjs' }, { root: dir, shapes: true });
      const loop = result.loops.find((l) => l.loopId.includes('centroidSums'));
      const sumShape = loop?.shape?.params?.find((p) => p.name === 'sum');
      assert.deepEqual(
        sumShape && { ...sumShape },
        {
          name: 'sum',
          kind: 'array',
          type: 'Array',
          length: 5,
          elementKind: 'object',
          rowLength: 3,
          rowType: 'Array',
        },
        JSON.stringify(loop?.shape),
      );
      const k = kernelOf(SUMS, 'sums.mjs', 'centroidSums');
      const replay = replayShapeFor(k, loop!.shape, 1000, 1_000_000);
      assert.equal(replay.shape.source, 'recorded', replay.shape.note);
      const byName = new Map(k.params.map((p, i) => [p.name, replay.args[i]!]));
      assert.deepEqual(byName.get('sum'), { kind: 'array', dtype: 'f64', length: 5, rowLength: 3 });
      assert.deepEqual(byName.get('idxs'), {
        kind: 'array',
        dtype: 'f64',
        length: 3000,
        integer: true,
        min: 0,
        max: 5,
      });
      // The original function runs on the replayed inputs without reading a missing row.
      const args = makeArgs(replay.args, replay.n, 1, 'array');
      const { centroidSums } = (await import(join(dir, 'sums.mjs'))) as {
        centroidSums: (...a: unknown[]) => void;
      };
      assert.doesNotThrow(() => {
        centroidSums(...args);
      });
      assert.ok(
        flatValues(args[k.params.findIndex((p) => p.name === 'sum')] as number[][]).every(Number.isFinite),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('guessed shapes of a rank-2 kernel have rows and fitted index arrays too', () => {
    const k = kernelOf(SUMS, 'sums.js', 'centroidSums');
    const args = argsFor(k, 400);
    const byName = new Map(k.params.map((p, i) => [p.name, args[i]!]));
    const sum = byName.get('sum');
    assert.ok(
      sum?.kind === 'array' && sum.rowLength !== undefined && sum.rowLength >= 1,
      JSON.stringify(sum),
    );
    const idxs = byName.get('idxs');
    assert.ok(idxs?.kind === 'array' && idxs.integer && idxs.max === sum.length, JSON.stringify(idxs));
  });
});
