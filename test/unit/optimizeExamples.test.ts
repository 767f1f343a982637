// `hotloop optimize examples --json` (heavy: profiles the examples, shapes pass, benchmarks): the last
// line of stdout is one JSON object whose loops carry their CPU share, every parameter's shape and its
// source, the workload and the variants; gemm is replayed at the recorded 192×192×192 (not ∛ of the
// array length) and the kernel library's gemm is among its variants with its error stated. Structure
// and recorded sizes only — never timings. Listed in HEAVY in scripts/test.mjs.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { optimizeCommand } from '../../src/cli/optimize.js';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

const examples = join(import.meta.dirname, '..', '..', 'examples');

describe('hotloop optimize examples --json', () => {
  test('loops with cpu_share, shape (every parameter), shape_source, workload, variants; gemm recorded at 192', async () => {
    const out = mkdtempSync(join(tmpdir(), 'hotloop-optimize-json-'));
    try {
      const stdout = new Capture();
      const stderr = new Capture();
      // No scaffold targets (the original, JS on Float64Array and the kernel library are enough for the
      // structure); gemm is among the top loops of the examples, the top 6 leave room for noise in the ranking.
      const code = await optimizeCommand.run(
        [
          examples,
          '--json',
          '--top',
          '6',
          '--targets',
          '',
          '--samples',
          '4',
          '--no-save',
          '--out',
          join(out, 'report.html'),
        ],
        { signal: new AbortController().signal, stdout, stderr },
      );
      assert.equal(code, 0, stderr.text);
      const last = stdout.text.trimEnd().split('\n').at(-1)!;
      const json = JSON.parse(last) as {
        workload: { kind: string } | null;
        loops: Record<string, unknown>[];
      };
      assert.equal(json.workload?.kind, 'start');
      assert.ok(json.loops.length > 0);
      for (const l of json.loops) {
        for (const key of ['loop', 'cpu_share', 'shape', 'shape_source', 'workload', 'variants'])
          assert.ok(key in l, `${key} missing in ${JSON.stringify(l)}`);
        assert.ok(typeof l.cpu_share === 'number' && l.cpu_share > 0);
        assert.ok(l.shape_source === 'recorded' || l.shape_source === 'guessed');
        for (const v of l.variants as Record<string, unknown>[])
          for (const key of ['name', 'speedup', 'ci', 'correct', 'max_rel_error'])
            assert.ok(key in v, `${key} missing in ${JSON.stringify(v)}`);
      }
      const gemm = json.loops.find((l) => l.loop === 'src/matmul.ts#gemm/0');
      assert.ok(gemm, `gemm not among ${json.loops.map((l) => String(l.loop)).join(', ')}`);
      assert.equal(gemm.shape_source, 'recorded', JSON.stringify(gemm.shape));
      const shape = gemm.shape as Record<string, unknown>;
      assert.deepEqual([shape.n, shape.m, shape.k], [192, 192, 192]);
      assert.deepEqual(shape.a, { type: 'Float64Array', length: 192 * 192 });
      const lib = (
        gemm.variants as { id: string; name: string; correct: boolean; max_rel_error: number | null }[]
      ).find((v) => v.id === 'library');
      assert.ok(lib, JSON.stringify(gemm.variants));
      assert.match(lib.name, /^kernel library: gemm — reassociates \(max rel\. error /);
      assert.equal(lib.correct, true);
      assert.ok(typeof lib.max_rel_error === 'number' && lib.max_rel_error < 1e-12);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
